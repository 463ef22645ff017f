/// A recursive-descent reader for the Python literals `ast.literal_eval` accepts: numbers,
/// strings, `True`/`False`/`None`, lists, tuples, dicts and sets. Each `parse` method returns
/// nil for text Python would reject, which leaves the caller's value a plain string.
struct PythonLiteralParser {
    /// Deeper nesting than any inventory needs is refused rather than risking the stack.
    private static let maximumNesting = 64

    private let characters: [Character]
    private var index = 0
    private var nesting = 0

    init(_ text: String) {
        characters = Array(text)
    }

    /// One literal filling the whole text, allowing surrounding blanks and a trailing `# comment`.
    mutating func parseWhole() -> InventoryValue? {
        skipBlanks()
        guard let value = parseValue() else { return nil }
        skipBlanks()
        if peek == "#" { index = characters.endIndex }
        return index == characters.endIndex ? value : nil
    }

    private var peek: Character? {
        index < characters.endIndex ? characters[index] : nil
    }

    private mutating func skipBlanks() {
        while let character = peek, character == " " || character == "\t" || character == "\u{0C}" {
            index += 1
        }
    }

    private mutating func consume(_ expected: Character) -> Bool {
        guard peek == expected else { return false }
        index += 1
        return true
    }

    private mutating func parseValue() -> InventoryValue? {
        guard let first = peek, nesting < Self.maximumNesting else { return nil }
        nesting += 1
        defer { nesting -= 1 }
        switch first {
        case "'", "\"": return parseStrings()
        case "[": return parseList()
        case "(": return parseParenthesized()
        case "{": return parseBraces()
        case "+", "-", ".": return parseNumber()
        case _ where first.isASCII && first.isNumber: return parseNumber()
        default: return parseName()
        }
    }

    private mutating func parseName() -> InventoryValue? {
        let start = index
        while let character = peek, character.isASCII, character.isLetter || character.isNumber || character == "_" {
            index += 1
        }
        switch String(characters[start..<index]) {
        case "True": return .bool(true)
        case "False": return .bool(false)
        case "None": return .null
        default: return nil
        }
    }

    /// Python joins adjacent string literals: `'a' "b"` is `ab`.
    private mutating func parseStrings() -> InventoryValue? {
        var text = ""
        repeat {
            guard let (part, end) = PythonStringLiteral.read(characters, at: index) else { return nil }
            text += part
            index = end
            skipBlanks()
        } while peek == "'" || peek == "\""
        return .string(text)
    }

    private mutating func parseNumber() -> InventoryValue? {
        guard let (number, end) = PythonNumberLiteral.read(characters, at: index) else { return nil }
        index = end
        return number
    }

    // MARK: Containers

    private mutating func parseList() -> InventoryValue? {
        index += 1
        return parseElements(until: "]").map(InventoryValue.list)
    }

    /// `(x)` is just x; `()` and `(x,)` are tuples, which Ansible turns into lists.
    private mutating func parseParenthesized() -> InventoryValue? {
        index += 1
        skipBlanks()
        if consume(")") { return .list([]) }
        guard let first = parseValue() else { return nil }
        skipBlanks()
        if consume(")") { return first }
        guard consume(","), let rest = parseElements(until: ")") else { return nil }
        return .list([first] + rest)
    }

    /// `{}` and `{k: v, ...}` are dicts; `{a, b}` is a set, which Ansible turns into a list.
    private mutating func parseBraces() -> InventoryValue? {
        index += 1
        skipBlanks()
        if consume("}") { return .dict([:]) }
        guard let first = parseValue() else { return nil }
        skipBlanks()
        if consume(":") { return parseDict(firstKey: first) }
        if consume("}") { return .list([first]) }
        guard consume(","), let rest = parseElements(until: "}") else { return nil }
        var unique: [InventoryValue] = []
        for element in [first] + rest where !unique.contains(element) { unique.append(element) }
        return .list(unique)
    }

    private mutating func parseDict(firstKey: InventoryValue) -> InventoryValue? {
        var entries = InventoryDictionary()
        var key = firstKey
        while true {
            skipBlanks()
            guard let name = Self.dictKey(key), let value = parseValue() else { return nil }
            entries[name] = value
            skipBlanks()
            if consume("}") { return .dict(entries) }
            guard consume(",") else { return nil }
            skipBlanks()
            if consume("}") { return .dict(entries) }
            guard let next = parseValue() else { return nil }
            key = next
            skipBlanks()
            guard consume(":") else { return nil }
        }
    }

    /// Keys become strings, as in the JSON Ansible prints; keys other than strings and
    /// numbers are left unsupported, so such a dict stays text.
    private static func dictKey(_ key: InventoryValue) -> String? {
        switch key {
        case .string(let text): text
        case .int, .float: key.description
        default: nil
        }
    }

    /// Comma-separated values up to `closing`, a trailing comma allowed; the opener is consumed.
    private mutating func parseElements(until closing: Character) -> [InventoryValue]? {
        var elements: [InventoryValue] = []
        while true {
            skipBlanks()
            if consume(closing) { return elements }
            guard let element = parseValue() else { return nil }
            elements.append(element)
            skipBlanks()
            if consume(closing) { return elements }
            guard consume(",") else { return nil }
        }
    }
}
