/// A `[name]`, `[name:vars]` or `[name:children]` line of an INI inventory.
struct INISectionHeader {
    enum Kind: String {
        case hosts, vars, children
    }

    let group: String
    let kind: Kind
    /// Where the group name starts on the line, in characters.
    let groupOffset: Int

    /// Whether a line starting with `[` at `start` is a header rather than a host that begins
    /// with brackets, such as `[::1]:2222` or `[1:3].example.com`: those have a colon inside
    /// the brackets and more of the name right after them.
    static func isHeader(_ line: [Character], from start: Int) -> Bool {
        guard let close = line[start...].firstIndex(of: "]"), close + 1 < line.endIndex else { return true }
        let next = line[close + 1]
        return next.isWhitespace || INISyntax.isCommentMarker(next) || !line[start..<close].contains(":")
    }

    static func parse(_ line: [Character], from start: Int) throws(InventoryParseFailure) -> INISectionHeader {
        var index = start + 1
        while index < line.endIndex, !INISyntax.endsGroupName(line[index]) { index += 1 }
        guard index > start + 1 else {
            throw InventoryParseFailure(message: "expected a group name after '['", offset: index)
        }
        let group = String(line[(start + 1)..<index])
        var kind = Kind.hosts
        let hasKind = index < line.endIndex && line[index] == ":"
        if hasKind {
            (kind, index) = try parseKind(line, from: index + 1)
        }
        guard index < line.endIndex, line[index] == "]" else {
            let closed = hasKind ? "section header" : "group name"
            throw InventoryParseFailure(message: "expected ']' to close the \(closed)", offset: index)
        }
        index = line[(index + 1)...].firstIndex(where: { !$0.isWhitespace }) ?? line.endIndex
        guard index == line.endIndex || INISyntax.isCommentMarker(line[index]) else {
            throw InventoryParseFailure(message: "unexpected text after the section header", offset: index)
        }
        return INISectionHeader(group: group, kind: kind, groupOffset: start + 1)
    }

    /// The word after `[name:`, and the offset just past it.
    private static func parseKind(_ line: [Character], from start: Int) throws(InventoryParseFailure) -> (Kind, Int) {
        let end = line[start...].firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") } ?? line.endIndex
        let word = String(line[start..<end])
        guard let kind = Kind(rawValue: word) else {
            let problem = word.isEmpty ? "expected 'vars' or 'children' after ':'" : "unknown section type '\(word)'"
            throw InventoryParseFailure(
                message: problem + "; sections are [group], [group:vars] or [group:children]", offset: start)
        }
        return (kind, end)
    }
}
