/// Types an unquoted YAML scalar as PyYAML's resolver does (YAML 1.1), which is what Ansible
/// loads with: `yes`/`on`/`True` are booleans, `0022` is octal 18, `12:30` is sexagesimal 750,
/// `1_000` is 1000, `1.0e+3` is a float but `1e3` is text, and `~`, `null` or nothing is null.
/// Timestamps stay text, which is how `ansible-inventory` prints a date such as `2024-01-02`.
/// Hand-written rather than regular expressions: there is one call per scalar of every vars file.
enum YAMLPlainScalar {
    private static let booleans: [String: Bool] = [
        "yes": true, "Yes": true, "YES": true, "true": true, "True": true, "TRUE": true, "on": true, "On": true,
        "ON": true, "no": false, "No": false, "NO": false, "false": false, "False": false, "FALSE": false,
        "off": false, "Off": false, "OFF": false,
    ]
    private static let nulls: Set = ["~", "null", "Null", "NULL"]

    static func value(of text: String) -> InventoryValue {
        guard let firstByte = text.utf8.first else { return .null }
        // Most values are words that start with none of the letters typed values start with.
        switch firstByte {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "y"), UInt8(ascii: "Y"),
            UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"),
            UInt8(ascii: "O"):
            if nulls.contains(text) { return .null }
            return booleans[text].map(InventoryValue.bool) ?? .string(text)
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return number(text) ?? .string(text)
        default:
            return .string(text)
        }
    }

    private static func number(_ text: String) -> InventoryValue? {
        let first = text.first!
        let signed = first == "-" || first == "+"
        let body = signed ? text.dropFirst() : text[...]
        let sign = first == "-" ? -1 : 1
        if let number = integer(body) { return .int(sign * number) }
        if let number = float(body, signed: signed) { return .float(Double(sign) * number) }
        return nil
    }

    /// `0b1010`, `0x1F`, `017` (octal), `1_000`, `190:20:30`; nil for anything else or an overflow.
    private static func integer(_ body: Substring) -> Int? {
        if body == "0" { return 0 }
        if body.hasPrefix("0b") { return digits(body.dropFirst(2), radix: 2) }
        if body.hasPrefix("0x") { return digits(body.dropFirst(2), radix: 16) }
        if body.hasPrefix("0") { return digits(body.dropFirst(), radix: 8) }
        guard let first = body.first, ("1"..."9").contains(first) else { return nil }
        let places = body.split(separator: ":", omittingEmptySubsequences: false)
        guard var total = digits(places[0], radix: 10), places.dropFirst().allSatisfy(isSexagesimalPlace) else {
            return nil
        }
        for place in places.dropFirst() {
            let (shifted, overflow) = total.multipliedReportingOverflow(by: 60)
            guard !overflow else { return nil }
            total = shifted + Int(place)!
        }
        return total
    }

    /// One or more digits of `radix`, with `_` anywhere, as PyYAML drops underscores before converting.
    private static func digits(_ text: Substring, radix: Int) -> Int? {
        guard !text.isEmpty, text.allSatisfy({ $0 == "_" || $0.isASCII && ($0.hexDigitValue ?? radix) < radix }) else {
            return nil
        }
        let cleaned = text.filter { $0 != "_" }
        return cleaned.isEmpty ? 0 : Int(cleaned, radix: radix)
    }

    /// `[0-5]?[0-9]`: one place of a sexagesimal number after the first.
    private static func isSexagesimalPlace(_ place: Substring) -> Bool {
        guard (1...2).contains(place.count), place.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return place.count == 1 || place.first! <= "5"
    }

    /// `1.5`, `1.`, `.5`, `1.5e+3` (the exponent needs its sign), `1:30.5`, `.inf` and `.nan`.
    /// A sign is allowed before all but `.5` and `.nan`, as in PyYAML's pattern.
    private static func float(_ body: Substring, signed: Bool) -> Double? {
        if [".inf", ".Inf", ".INF"].contains(body) { return .infinity }
        if [".nan", ".NaN", ".NAN"].contains(body) { return signed ? nil : .nan }
        guard let dot = body.firstIndex(of: ".") else { return nil }
        let whole = body[..<dot]
        var fraction = body[body.index(after: dot)...]
        var exponent = ""
        if let e = fraction.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = "e" + fraction[fraction.index(after: e)...]
            fraction = fraction[..<e]
            guard exponent.count > 2, "+-".contains(exponent.dropFirst().first!),
                exponent.dropFirst(2).allSatisfy({ $0.isASCII && $0.isNumber }), !whole.contains(":")
            else { return nil }
        }
        guard fraction.allSatisfy({ $0 == "_" || $0.isASCII && $0.isNumber }) else { return nil }
        let fractionDigits = "0." + fraction.filter { $0 != "_" } + "0" + exponent
        if whole.isEmpty {
            guard !signed, let first = fraction.first, first.isNumber else { return nil }
            return Double(fractionDigits)
        }
        let places = whole.split(separator: ":", omittingEmptySubsequences: false)
        guard isDecimal(places[0]), places.dropFirst().allSatisfy(isSexagesimalPlace) else { return nil }
        let wholeValue = places.reduce(0.0) { total, place in total * 60 + Double(place.filter { $0 != "_" })! }
        return places.count > 1 ? wholeValue + Double(fractionDigits)! : Double(places[0].filter { $0 != "_" } + fractionDigits.dropFirst())
    }

    /// `[0-9][0-9_]*`.
    private static func isDecimal(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCII, first.isNumber else { return false }
        return text.allSatisfy { $0 == "_" || $0.isASCII && $0.isNumber }
    }
}
