/// Reads one quoted Python string literal, with its backslash escapes.
enum PythonStringLiteral {
    private static let simpleEscapes: [Character: Character] = [
        "\\": "\\", "'": "'", "\"": "\"", "n": "\n", "t": "\t", "r": "\r",
        "a": "\u{07}", "b": "\u{08}", "f": "\u{0C}", "v": "\u{0B}",
    ]

    /// The string's text and the offset just past its closing quote, or nil when Python
    /// would reject it (unterminated, a bad `\x`/`\u` escape, or `\N{...}`, which is not supported).
    static func read(_ characters: [Character], at start: Int) -> (String, Int)? {
        let quote = characters[start]
        var text = ""
        var index = start + 1
        while index < characters.endIndex {
            let character = characters[index]
            index += 1
            if character == quote { return (text, index) }
            guard character == "\\" else {
                text.append(character)
                continue
            }
            guard index < characters.endIndex else { return nil }
            let escaped = characters[index]
            index += 1
            if let replacement = simpleEscapes[escaped] {
                text.append(replacement)
            } else if let digits = ["x": 2, "u": 4, "U": 8][escaped] {
                guard let scalar = hexScalar(characters, at: index, digits: digits) else { return nil }
                text.unicodeScalars.append(scalar)
                index += digits
            } else if isOctalDigit(escaped) {
                let end = octalEnd(characters, from: index - 1)
                let value = UInt32(String(characters[(index - 1)..<end]), radix: 8)!
                text.unicodeScalars.append(Unicode.Scalar(value)!)  // at most 0o777, always a valid scalar
                index = end
            } else if escaped == "N" {
                return nil
            } else {
                text.append("\\")  // Python keeps unknown escapes as written
                text.append(escaped)
            }
        }
        return nil
    }

    private static func hexScalar(_ characters: [Character], at start: Int, digits: Int) -> Unicode.Scalar? {
        guard start + digits <= characters.endIndex else { return nil }
        let hex = characters[start..<(start + digits)]
        guard hex.allSatisfy({ $0.isASCII && $0.isHexDigit }), let value = UInt32(String(hex), radix: 16) else {
            return nil
        }
        return Unicode.Scalar(value)
    }

    /// Octal escapes take up to three digits: `\0`, `\12`, `\101`.
    private static func octalEnd(_ characters: [Character], from start: Int) -> Int {
        var end = start
        while end < characters.endIndex, end < start + 3, isOctalDigit(characters[end]) {
            end += 1
        }
        return end
    }

    private static func isOctalDigit(_ character: Character) -> Bool {
        character.isASCII && ("0"..."7").contains(character)
    }
}
