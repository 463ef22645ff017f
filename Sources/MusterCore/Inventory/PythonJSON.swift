/// JSON written as Python's `json.dumps(value, sort_keys=True, indent=4)` writes it, which is
/// what `ansible-inventory` prints: keys sorted by code point, non-ASCII text escaped, floats in
/// Python's shortest form (`1000.0` stays a float), and `Infinity`/`NaN` for the values JSON lacks.
enum PythonJSON {
    static func text(of value: InventoryValue) -> String {
        var output = ""
        write(value, depth: 0, to: &output)
        return output
    }

    static func write(_ value: InventoryValue, depth: Int, to output: inout String) {
        switch value {
        case .string(let text): writeString(text, to: &output)
        case .int(let number): output += String(number)
        case .float(let number): output += floatText(number)
        case .bool(let flag): output += flag ? "true" : "false"
        case .null: output += "null"
        case .list(let elements):
            writeContainer(elements, open: "[", close: "]", depth: depth, to: &output) { element, output in
                write(element, depth: depth + 1, to: &output)
            }
        case .dict(let entries):
            let sorted = entries.sorted { PythonOrder.precedes($0.key, $1.key) }
            writeContainer(sorted, open: "{", close: "}", depth: depth, to: &output) { entry, output in
                writeString(entry.key, to: &output)
                output += ": "
                write(entry.value, depth: depth + 1, to: &output)
            }
        }
    }

    private static func writeContainer<Element>(
        _ elements: [Element], open: String, close: String, depth: Int, to output: inout String,
        element writeElement: (Element, inout String) -> Void
    ) {
        guard !elements.isEmpty else {
            output += open + close
            return
        }
        let indent = String(repeating: " ", count: 4 * (depth + 1))
        output += open
        for (index, element) in elements.enumerated() {
            output += (index == 0 ? "\n" : ",\n") + indent
            writeElement(element, &output)
        }
        output += "\n" + String(repeating: " ", count: 4 * depth) + close
    }

    private static func floatText(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        return String(number)
    }

    /// Python's `ensure_ascii` escaping: `\uXXXX` (surrogate pairs above the BMP) for non-ASCII.
    static func writeString(_ text: String, to output: inout String) {
        output += "\""
        if text.utf8.allSatisfy({ (0x20..<0x7F).contains($0) && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            output += text + "\""  // nothing to escape, the usual case
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case _ where scalar.value < 0x20 || scalar.value > 0x7E && scalar.value != 0x7F:
                for unit in String(scalar).utf16 { output += "\\u" + hex4(unit) }
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    private static func hex4(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
