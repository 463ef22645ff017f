/// Splits an INI host line into words as Python's `shlex.split(line, comments=True)` does,
/// because that is what Ansible runs on host lines: quotes group and vanish (`a="x y"` is the
/// word `a=x y`), `\` escapes, and `#` outside quotes ends the line.
enum ShlexWords {
    struct Word {
        let text: String
        /// Where the word starts on the line, in characters.
        let offset: Int
    }

    static func split(_ line: [Character]) throws(InventoryParseFailure) -> [Word] {
        var words: [Word] = []
        var text = ""
        var start: Int?  // where the word being read began; nil between words
        func append(_ piece: String, at offset: Int) {
            text += piece
            start = start ?? offset
        }
        func endWord() {
            if let start { words.append(Word(text: text, offset: start)) }
            text = ""
            start = nil
        }
        var index = 0
        scanning: while index < line.count {
            let character = line[index]
            switch character {
            case "#":
                break scanning
            case _ where character.isWhitespace:
                endWord()
                index += 1
            case "\\":
                guard index + 1 < line.count else {
                    throw InventoryParseFailure(message: "nothing after '\\' to escape", offset: index)
                }
                append(String(line[index + 1]), at: index)
                index += 2
            case "'", "\"":
                let (quoted, end) = try self.quoted(line, openingAt: index)
                append(quoted, at: index)
                index = end
            default:
                append(String(character), at: index)
                index += 1
            }
        }
        endWord()
        return words
    }

    /// The text between a quote and its closing twin, and the offset just past the closing quote.
    /// Inside double quotes, `\` escapes only `"` and `\`, as in POSIX shells.
    private static func quoted(_ line: [Character], openingAt open: Int) throws(InventoryParseFailure) -> (String, Int) {
        let quote = line[open]
        var text = ""
        var index = open + 1
        while index < line.count {
            let character = line[index]
            if character == quote { return (text, index + 1) }
            let escapes =
                quote == "\"" && character == "\\" && index + 1 < line.count && "\"\\".contains(line[index + 1])
            if escapes {
                text.append(line[index + 1])
                index += 2
            } else {
                text.append(character)
                index += 1
            }
        }
        throw InventoryParseFailure(message: "no closing \(quote) for the quote opened here", offset: open)
    }
}
