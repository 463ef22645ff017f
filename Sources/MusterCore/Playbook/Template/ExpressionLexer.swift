/// A token of an expression, at its UTF-8 offset in the parsed text.
struct ExpressionToken: Sendable {
    enum Kind: Sendable, Equatable {
        case name(String)
        case int(Int)
        case float(Double)
        case string(String)
        case symbol(String)
        case end
    }

    let kind: Kind
    let offset: Int

    /// How the token reads in error messages.
    var quoted: String {
        switch kind {
        case .name(let name): "'\(name)'"
        case .int(let number): "'\(number)'"
        case .float(let number): "'\(number)'"
        case .string: "a string"
        case .symbol(let symbol): "'\(symbol)'"
        case .end: "the end of the expression"
        }
    }
}

/// Splits expression text into tokens. Inside a template it stops at the `}}` that closes
/// the `{{`, ignoring `}}` while brackets are open (as Jinja does), so `{{ {'a': {'b': 1}} }}` works.
struct ExpressionLexer {
    private let bytes: [UInt8]
    private(set) var position: Int
    /// Offset of the `{{` being closed, or nil for a bare expression that ends with the text.
    private let opening: Int?
    private var tokens: [ExpressionToken] = []
    /// Offsets of the brackets open at `position`.
    private var openBrackets: [Int] = []

    init(bytes: [UInt8], start: Int, opening: Int?) {
        self.bytes = bytes
        self.position = start
        self.opening = opening
    }

    /// The tokens up to and including `.end`; afterwards `position` is just past the `}}`.
    mutating func tokenize() throws(TemplateError) -> [ExpressionToken] {
        while true {
            skipWhitespace()
            guard position < bytes.count else {
                if let bracket = openBrackets.last, opening != nil { throw unclosed(bracket) }
                if let opening { throw .syntax(opening, "expected '}}' to close '{{'") }
                tokens.append(ExpressionToken(kind: .end, offset: position))
                return tokens
            }
            if opening != nil, openBrackets.isEmpty, byte(0) == UInt8(ascii: "}"), byte(1) == UInt8(ascii: "}") {
                tokens.append(ExpressionToken(kind: .end, offset: position))
                position += 2
                return tokens
            }
            tokens.append(try nextToken())
        }
    }

    private func byte(_ ahead: Int) -> UInt8? {
        position + ahead < bytes.count ? bytes[position + ahead] : nil
    }

    private mutating func skipWhitespace() {
        while let current = byte(0), [0x20, 0x09, 0x0A, 0x0D].contains(current) { position += 1 }
    }

    private mutating func nextToken() throws(TemplateError) -> ExpressionToken {
        let start = position
        let current = bytes[position]
        if current.isIdentifierStart {
            while let next = byte(0), next.isIdentifierStart || next.isDigit { position += 1 }
            return ExpressionToken(kind: .name(String(decoding: bytes[start..<position], as: UTF8.self)), offset: start)
        }
        if current.isDigit { return try number() }
        if current == UInt8(ascii: "'") || current == UInt8(ascii: "\"") {
            var reader = StringLiteralReader(bytes: bytes, position: position)
            let text = try reader.read()
            position = reader.position
            return ExpressionToken(kind: .string(text), offset: start)
        }
        return try symbol()
    }

    private mutating func symbol() throws(TemplateError) -> ExpressionToken {
        let start = position
        let pair = String(decoding: bytes[position..<min(position + 2, bytes.count)], as: UTF8.self)
        if ["==", "!=", "<=", ">="].contains(pair) {
            position += 2
            return ExpressionToken(kind: .symbol(pair), offset: start)
        }
        let single = Character(UnicodeScalar(bytes[position]))
        switch single {
        case "(", "[", "{":
            openBrackets.append(start)
        case ")", "]", "}":
            // `}}` where a `(` or `[` is open: that bracket, not the `{{`, is what is unclosed.
            if let top = openBrackets.last, bytes[top] != UInt8(ascii: "{"), single == "}",
                byte(1) == UInt8(ascii: "}"), opening != nil
            {
                throw unclosed(top)
            }
            // A mismatched closer is left for the parser to report; the bracket stays open.
            let opener: UInt8 = single == ")" ? UInt8(ascii: "(") : single == "]" ? UInt8(ascii: "[") : UInt8(ascii: "{")
            if let top = openBrackets.last, bytes[top] == opener { openBrackets.removeLast() }
        case "<", ">", ",", ":", ".", "|", "~", "+", "-", "=":
            break
        case "*", "/", "%":
            throw .syntax(start, "operator '\(single)' is not supported")
        default:
            throw .syntax(start, "unexpected character \(describe(at: start))")
        }
        position += 1
        return ExpressionToken(kind: .symbol(String(single)), offset: start)
    }

    private func unclosed(_ bracket: Int) -> TemplateError {
        let symbol = Character(UnicodeScalar(bytes[bracket]))
        let closer: Character = symbol == "(" ? ")" : symbol == "[" ? "]" : "}"
        return .syntax(bracket, "unclosed '\(symbol)': expected '\(closer)' before the closing '}}'")
    }

    private func describe(at offset: Int) -> String {
        let value = bytes[offset]
        if value >= 0x21 && value < 0x7F { return "'\(Character(UnicodeScalar(value)))'" }
        return "byte 0x" + String(value, radix: 16, uppercase: true)
    }

    /// Integers and floats as Jinja reads them (`1_000`, `1.5`, `2e3`); after a `.` only
    /// digits, so `a.0.1` is two indexes rather than a float.
    private mutating func number() throws(TemplateError) -> ExpressionToken {
        let start = position
        let afterDot = tokens.last?.kind == .symbol(".")
        digits()
        var isFloat = false
        if !afterDot, byte(0) == UInt8(ascii: "."), byte(1)?.isDigit == true {
            position += 1
            digits()
            isFloat = true
        }
        if !afterDot, byte(0) == UInt8(ascii: "e") || byte(0) == UInt8(ascii: "E") {
            let sign = byte(1) == UInt8(ascii: "+") || byte(1) == UInt8(ascii: "-") ? 1 : 0
            if byte(1 + sign)?.isDigit == true {
                position += 1 + sign
                digits()
                isFloat = true
            }
        }
        let text = String(String(decoding: bytes[start..<position], as: UTF8.self).filter { $0 != "_" })
        if isFloat, let number = Double(text) { return ExpressionToken(kind: .float(number), offset: start) }
        guard let number = Int(text) else { throw .syntax(start, "number \(text) is too large") }
        return ExpressionToken(kind: .int(number), offset: start)
    }

    /// Digits with single underscores between them.
    private mutating func digits() {
        while let current = byte(0) {
            if current.isDigit || (current == UInt8(ascii: "_") && byte(1)?.isDigit == true) {
                position += 1
            } else {
                return
            }
        }
    }
}

extension UInt8 {
    var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }

    var isIdentifierStart: Bool {
        (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z")) || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z"))
            || self == UInt8(ascii: "_")
    }
}
