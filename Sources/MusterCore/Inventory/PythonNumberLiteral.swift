/// Reads a Python int or float literal with an optional sign: `42`, `-3`, `1_000`, `0x1F`,
/// `0o17`, `0b101`, `1.5`, `.5`, `1e3`. Python 3 refuses leading zeros on ints, so `0022`
/// is no number; ints beyond Swift's `Int` are refused too, where Python's are unbounded.
enum PythonNumberLiteral {
    private static let radixes: [Character: Int] = ["x": 16, "o": 8, "b": 2]

    /// The number and the offset just past it.
    static func read(_ characters: [Character], at start: Int) -> (InventoryValue, Int)? {
        var index = start
        let negative = characters[index] == "-"
        if negative || characters[index] == "+" {
            index += 1
            while index < characters.endIndex, characters[index] == " " || characters[index] == "\t" { index += 1 }
        }
        let tokenStart = index
        while index < characters.endIndex, continuesToken(characters, at: index, tokenStart: tokenStart) {
            index += 1
        }
        guard let number = value(of: String(characters[tokenStart..<index]).lowercased(), negative: negative) else {
            return nil
        }
        return (number, index)
    }

    /// Letters, digits, `.` and `_`, plus the sign of an exponent (`1e-3`).
    private static func continuesToken(_ characters: [Character], at index: Int, tokenStart: Int) -> Bool {
        let character = characters[index]
        if character.isASCII && (character.isLetter || character.isNumber) || character == "." || character == "_" {
            return true
        }
        guard character == "+" || character == "-", index > tokenStart, "eE".contains(characters[index - 1]) else {
            return false
        }
        let isHexadecimal = index - tokenStart >= 2 && "xX".contains(characters[tokenStart + 1])
        return !isHexadecimal
    }

    private static func value(of token: String, negative: Bool) -> InventoryValue? {
        let sign = negative ? "-" : ""
        let characters = Array(token)
        if characters.count > 2, characters[0] == "0", let radix = radixes[characters[1]] {
            let isDigit = { (character: Character) in character.isASCII && (character.hexDigitValue ?? 16) < radix }
            let digits = removingUnderscores(characters.dropFirst(2), leadingAllowed: true, isDigit: isDigit)
            return digits.flatMap { Int(sign + $0, radix: radix) }.map(InventoryValue.int)
        }
        guard let cleaned = removingUnderscores(characters[...], leadingAllowed: false, isDigit: isDecimalDigit) else {
            return nil
        }
        if cleaned.allSatisfy(isDecimalDigit) {
            guard cleaned.first != "0" || cleaned.allSatisfy({ $0 == "0" }) else { return nil }
            return Int(sign + cleaned).map(InventoryValue.int)
        }
        guard isFloatLiteral(cleaned), let magnitude = Double(cleaned) else { return nil }
        return .float(negative ? -magnitude : magnitude)
    }

    /// Python allows `_` only between digits (and right after a `0x`-style prefix).
    private static func removingUnderscores(
        _ characters: ArraySlice<Character>, leadingAllowed: Bool, isDigit: (Character) -> Bool
    ) -> String? {
        for index in characters.indices where characters[index] == "_" {
            let digitBefore = index > characters.startIndex ? isDigit(characters[index - 1]) : leadingAllowed
            let digitAfter = index + 1 < characters.endIndex && isDigit(characters[index + 1])
            guard digitBefore && digitAfter else { return nil }
        }
        return String(characters.filter { $0 != "_" })
    }

    /// `1.5`, `1.`, `.5`, `1e3`, `1.5e-3`: digits with a point, an exponent, or both.
    private static func isFloatLiteral(_ text: String) -> Bool {
        let parts = text.split(separator: "e", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return false }
        if parts.count == 2 {
            let exponent = parts[1].first == "+" || parts[1].first == "-" ? parts[1].dropFirst() : parts[1]
            guard !exponent.isEmpty, exponent.allSatisfy(isDecimalDigit) else { return false }
        }
        let pieces = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count <= 2, pieces.allSatisfy({ $0.allSatisfy(isDecimalDigit) }),
            pieces.contains(where: { !$0.isEmpty })
        else { return false }
        return parts.count == 2 || pieces.count == 2
    }

    private static func isDecimalDigit(_ character: Character) -> Bool {
        character.isASCII && character.isNumber
    }
}
