/// Splits an argument string into words as Python's `shlex.split` does (POSIX mode, no
/// comments), because that is how Ansible turns `ansible_ssh_common_args` into ssh's argv:
/// quotes group and vanish, `\` escapes outside single quotes.
enum SSHArgumentWords {
    struct Word {
        let text: String
        /// 1-based column, in characters, where the word starts.
        let column: Int
    }

    enum Failure: Error {
        case unclosedQuote(column: Int)
        case danglingBackslash(column: Int)
    }

    static func split(_ text: String) throws(Failure) -> [Word] {
        let characters = Array(text)
        var words: [Word] = []
        var current: String?
        var start = 0
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == " " || character == "\t" || character == "\r" || character == "\n" {
                if let word = current { words.append(Word(text: word, column: start + 1)) }
                current = nil
                index += 1
                continue
            }
            if current == nil { (current, start) = ("", index) }
            switch character {
            case "\\":
                guard index + 1 < characters.count else { throw .danglingBackslash(column: index + 1) }
                current?.append(characters[index + 1])
                index += 2
            case "'", "\"":
                let (quoted, end) = try self.quoted(characters, openingAt: index)
                current?.append(quoted)
                index = end
            default:
                current?.append(character)
                index += 1
            }
        }
        if let word = current { words.append(Word(text: word, column: start + 1)) }
        return words
    }

    /// The text inside a quote and the index just past its closing twin; inside double quotes
    /// `\` escapes only `"` and `\`.
    private static func quoted(_ characters: [Character], openingAt open: Int) throws(Failure) -> (String, Int) {
        let quote = characters[open]
        var text = ""
        var index = open + 1
        while index < characters.count {
            let character = characters[index]
            if character == quote { return (text, index + 1) }
            if quote == "\"", character == "\\", index + 1 < characters.count, "\"\\".contains(characters[index + 1]) {
                text.append(characters[index + 1])
                index += 2
            } else {
                text.append(character)
                index += 1
            }
        }
        throw .unclosedQuote(column: open + 1)
    }
}
