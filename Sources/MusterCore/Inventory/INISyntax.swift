/// Character classes shared by the INI inventory's line kinds.
enum INISyntax {
    /// `#` and `;` start comment lines, and may follow section headers and child group names.
    static func isCommentMarker(_ character: Character) -> Bool {
        character == "#" || character == ";"
    }

    /// Ansible's group names run until whitespace, `:` or `]`.
    static func endsGroupName(_ character: Character) -> Bool {
        character.isWhitespace || character == ":" || character == "]"
    }
}
