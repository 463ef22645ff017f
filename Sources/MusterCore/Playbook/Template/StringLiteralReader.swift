/// Reads a quoted string literal with Python's backslash escapes, as Jinja does; an unknown
/// escape keeps its backslash, so regular expressions like `'\d+'` need no doubling.
struct StringLiteralReader {
    let bytes: [UInt8]
    var position: Int

    mutating func read() throws(TemplateError) -> String {
        let start = position
        let quote = bytes[position]
        position += 1
        var text: [UInt8] = []
        while position < bytes.count {
            let current = bytes[position]
            position += 1
            if current == quote { return String(decoding: text, as: UTF8.self) }
            if current == UInt8(ascii: "\\"), position < bytes.count {
                try escape(into: &text)
            } else {
                text.append(current)
            }
        }
        throw .syntax(start, "unterminated string")
    }

    /// The escape after a backslash; `position` is at the character after it.
    private mutating func escape(into text: inout [UInt8]) throws(TemplateError) {
        let backslash = position - 1
        let current = bytes[position]
        position += 1
        switch current {
        case UInt8(ascii: "\n"): break
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "a"): text.append(0x07)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "v"): text.append(0x0B)
        case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): text.append(current)
        case UInt8(ascii: "x"): try appendScalar(hexDigits: 2, into: &text, escapeAt: backslash)
        case UInt8(ascii: "u"): try appendScalar(hexDigits: 4, into: &text, escapeAt: backslash)
        case UInt8(ascii: "U"): try appendScalar(hexDigits: 8, into: &text, escapeAt: backslash)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var value = UInt32(current - UInt8(ascii: "0"))
            for _ in 0..<2 {
                guard position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[position]) else { break }
                value = value * 8 + UInt32(bytes[position] - UInt8(ascii: "0"))
                position += 1
            }
            text.append(contentsOf: Array(String(UnicodeScalar(value)!).utf8))
        default:
            text.append(UInt8(ascii: "\\"))
            position -= 1
        }
    }

    private mutating func appendScalar(hexDigits: Int, into text: inout [UInt8], escapeAt offset: Int)
        throws(TemplateError)
    {
        let end = position + hexDigits
        guard end <= bytes.count,
            let value = UInt32(String(decoding: bytes[position..<end], as: UTF8.self), radix: 16),
            bytes[position..<end].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }),
            let scalar = UnicodeScalar(value)
        else { throw .syntax(offset, "invalid escape: expected \(hexDigits) hex digits for a character") }
        position = end
        text.append(contentsOf: Array(String(scalar).utf8))
    }
}
