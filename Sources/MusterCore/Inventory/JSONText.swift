import Foundation

/// Ansible's loader reads any file that is valid JSON with Python's `json` module before trying
/// YAML. libyaml reads nearly all JSON the same way; this rewrites the two things it reads
/// differently so one YAML reader (and its line numbers) serves both: surrogate-pair escapes
/// (`\ud83d\ude80`), which libyaml refuses, become `\U0001f680`, and exponents YAML 1.1 would
/// read as text (`1e5`) become `1.0e+5`, the float JSON means.
enum JSONText {
    /// The text to give the YAML reader: rewritten when it is a JSON object or array, else unchanged.
    static func asYAML(_ text: String) -> String {
        guard let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "[",
            (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil
        else { return text }
        var output = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "\"": output += quoted(&scalars)
            case "-", "0"..."9":
                var number = String(scalar)
                while let next = scalars.first, "0123456789+-.eE".unicodeScalars.contains(next) {
                    number.unicodeScalars.append(scalars.removeFirst())
                }
                output += yamlNumber(number).unicodeScalars
            default: output.append(scalar)
            }
        }
        return String(output)
    }

    /// A string's scalars through its closing quote, surrogate pairs joined.
    private static func quoted(_ scalars: inout ArraySlice<Unicode.Scalar>) -> String.UnicodeScalarView {
        var output = String.UnicodeScalarView(["\""])
        while let scalar = scalars.popFirst() {
            output.append(scalar)
            if scalar == "\"" { return output }
            guard scalar == "\\", let escaped = scalars.popFirst() else { continue }
            guard escaped == "u", let high = hexUnit(scalars.prefix(4)), (0xD800..<0xDC00).contains(high),
                scalars.dropFirst(4).starts(with: ["\\", "u"]), let low = hexUnit(scalars.dropFirst(6).prefix(4)),
                (0xDC00..<0xE000).contains(low)
            else {
                output.append(escaped)
                continue
            }
            scalars.removeFirst(10)
            let combined = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            output +=
                "U\(String(repeating: "0", count: 8 - String(combined, radix: 16).count))\(String(combined, radix: 16))"
                .unicodeScalars
        }
        return output
    }

    private static func hexUnit(_ scalars: ArraySlice<Unicode.Scalar>) -> UInt32? {
        scalars.count == 4 ? UInt32(String(String.UnicodeScalarView(scalars)), radix: 16) : nil
    }

    /// `1e5` and `2.5E3` as YAML 1.1 floats (`1.0e+5`, `2.5E+3`); other numbers are the same in both.
    private static func yamlNumber(_ number: String) -> String {
        guard let e = number.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return number }
        let mantissa = number[..<e]
        var exponent = number[number.index(after: e)...]
        let sign = exponent.first == "-" ? "-" : "+"
        if exponent.first == "-" || exponent.first == "+" { exponent = exponent.dropFirst() }
        return (mantissa.contains(".") ? String(mantissa) : mantissa + ".0") + String(number[e]) + sign + exponent
    }
}
