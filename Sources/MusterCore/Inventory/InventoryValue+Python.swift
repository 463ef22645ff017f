extension InventoryValue {
    /// Python's `str()` of the value, which `ansible-inventory --graph --vars` prints:
    /// text as it is, `True`, `None`, and containers as Python writes them (`{'a': [1, 'x']}`).
    var pythonText: String {
        if case .string(let text) = self { return text }
        return pythonRepr
    }

    /// Python's `repr()`: text in quotes, escaped as Python escapes it.
    var pythonRepr: String {
        switch self {
        case .string(let text): Self.pythonRepr(of: text)
        case .int(let number): String(number)
        case .float(let number): number.isNaN ? "nan" : String(number)  // Swift's shortest form is Python's
        case .bool(let flag): flag ? "True" : "False"
        case .null: "None"
        case .list(let elements): "[" + elements.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .dict(let entries):
            "{" + entries.map { Self.pythonRepr(of: $0.key) + ": " + $0.value.pythonRepr }.joined(separator: ", ") + "}"
        }
    }

    /// Python's truth test: null, `""`, `0`, `False` and empty containers are false; Ansible
    /// treats such a value where it expects a mapping as an empty one.
    var isFalse: Bool {
        switch self {
        case .null: true
        case .string(let text): text.isEmpty
        case .int(let number): number == 0
        case .float(let number): number == 0
        case .bool(let flag): !flag
        case .list(let elements): elements.isEmpty
        case .dict(let entries): entries.isEmpty
        }
    }

    private static func pythonRepr(of text: String) -> String {
        let quote: Unicode.Scalar = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var result = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case quote, "\\": result += "\\" + String(scalar)
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case _ where isPrintable(scalar): result.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x100: result += "\\x" + hex(scalar.value, width: 2)
            case _ where scalar.value < 0x10000: result += "\\u" + hex(scalar.value, width: 4)
            default: result += "\\U" + hex(scalar.value, width: 8)
            }
        }
        return result + String(quote)
    }

    /// Python's `str.isprintable`: everything but controls, format characters, surrogates,
    /// private use, unassigned code points and separators other than the space.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
            .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
