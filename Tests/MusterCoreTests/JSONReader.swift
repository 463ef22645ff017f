import MusterCore

/// A strict JSON reader for comparing `ansible-inventory` output with ours as data: numbers with
/// a fraction or exponent are floats and others ints, so `1000.0` and `1000` differ as they do in
/// Python; Python's `Infinity`, `-Infinity` and `NaN` are accepted; objects keep their key order.
struct JSONReader {
    struct Failure: Error, CustomStringConvertible {
        let offset: Int
        var description: String { "invalid JSON at byte \(offset)" }
    }

    private let bytes: [UInt8]
    private var index = 0

    static func parse(_ text: String) throws -> InventoryValue {
        var reader = JSONReader(bytes: Array(text.utf8))
        let value = try reader.value()
        reader.skipSpace()
        guard reader.index == reader.bytes.count else { throw Failure(offset: reader.index) }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func value() throws -> InventoryValue {
        skipSpace()
        guard index < bytes.count else { throw Failure(offset: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        default: return try word()
        }
    }

    private mutating func object() throws -> InventoryValue {
        index += 1
        var entries = InventoryDictionary()
        while true {
            skipSpace()
            if try consume("}") { return .dict(entries) }
            if !entries.isEmpty { try expect(",") }
            skipSpace()
            let key = try string()
            skipSpace()
            try expect(":")
            entries[key] = try value()
        }
    }

    private mutating func array() throws -> InventoryValue {
        index += 1
        var elements: [InventoryValue] = []
        while true {
            skipSpace()
            if try consume("]") { return .list(elements) }
            if !elements.isEmpty { try expect(",") }
            elements.append(try value())
        }
    }

    private mutating func string() throws -> String {
        try expect("\"")
        var units: [UInt16] = []
        var text = ""
        func flushUnits() {
            text += String(decoding: units, as: UTF16.self)
            units = []
        }
        var start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            guard bytes[index] == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            text += String(decoding: bytes[start..<index], as: UTF8.self)
            let escape = bytes[index + 1]
            index += 2
            if escape == UInt8(ascii: "u") {
                units.append(UInt16(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)!)
                index += 4
                if !(index + 1 < bytes.count && bytes[index] == UInt8(ascii: "\\") && bytes[index + 1] == UInt8(ascii: "u")) {
                    flushUnits()
                }
            } else {
                let simple: [UInt8: String] = [
                    UInt8(ascii: "n"): "\n", UInt8(ascii: "t"): "\t", UInt8(ascii: "r"): "\r", UInt8(ascii: "b"): "\u{08}",
                    UInt8(ascii: "f"): "\u{0C}",
                ]
                text += simple[escape] ?? String(UnicodeScalar(escape))
            }
            start = index
        }
        guard index < bytes.count else { throw Failure(offset: index) }
        text += String(decoding: bytes[start..<index], as: UTF8.self)
        index += 1
        return text
    }

    /// Literals and numbers: everything up to the next delimiter.
    private mutating func word() throws -> InventoryValue {
        let start = index
        while index < bytes.count, !" \t\r\n,]}".utf8.contains(bytes[index]) { index += 1 }
        let word = String(decoding: bytes[start..<index], as: UTF8.self)
        switch word {
        case "true": return true
        case "false": return false
        case "null": return .null
        case "Infinity": return .float(.infinity)
        case "-Infinity": return .float(-.infinity)
        case "NaN": return .float(.nan)
        default:
            if word.contains(where: { ".eE".contains($0) }), let number = Double(word) { return .float(number) }
            if let number = Int(word) { return .int(number) }
            throw Failure(offset: start)
        }
    }

    private mutating func skipSpace() {
        while index < bytes.count, " \t\r\n".utf8.contains(bytes[index]) { index += 1 }
    }

    private mutating func consume(_ character: Unicode.Scalar) throws -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(character.value) else { return false }
        index += 1
        return true
    }

    private mutating func expect(_ character: Unicode.Scalar) throws {
        guard try consume(character) else { throw Failure(offset: index) }
    }
}
