/// Expands Ansible's host ranges: `web[01:03]` gives web01, web02, web03; `db-[a:c]` gives
/// db-a, db-b, db-c; `n[1:9:2]` steps by two; several ranges in one name multiply.
enum HostRange {
    /// Ansible's letter order for `[a:Z]`-style ranges (Python's `string.ascii_letters`).
    private static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// What the host ranges of one inventory file may still expand to. More, as in
    /// `web[1:3777777777]`, is a typo or a trap: expanding it would take minutes and gigabytes
    /// before anything could be reported.
    struct Budget {
        static let exceeded = "host ranges may expand to at most 100000 hosts and 4 MB of names in one file"
        var hosts = 100_000
        var bytes = 4_000_000
    }

    /// Names with ranges are paid for from `budget`, checked before they are made.
    static func expand(_ pattern: String, budget: inout Budget) throws(InventoryParseFailure) -> [String] {
        let names = try expand(Array(pattern)[...], budget: budget)
        if pattern.contains("[") {
            budget.hosts -= names.count
            budget.bytes -= names.reduce(0) { $0 + $1.utf8.count }
        }
        return names
    }

    /// Offsets in failures count from the start of the whole pattern, hence the slice.
    private static func expand(_ pattern: ArraySlice<Character>, budget: Budget) throws(InventoryParseFailure)
        -> [String]
    {
        guard let open = pattern.firstIndex(where: { $0 == "[" || $0 == "]" }) else { return [String(pattern)] }
        guard pattern[open] == "[" else {
            throw InventoryParseFailure(message: "unexpected ']' without '['", offset: open)
        }
        guard let close = pattern[open...].firstIndex(of: "]") else {
            throw InventoryParseFailure(message: "expected ']' to close the host range", offset: pattern.endIndex)
        }
        let head = String(pattern[..<open])
        let values = try rangeValues(pattern[(open + 1)..<close], offset: open, limit: budget.hosts)
        let tails = try expand(pattern[(close + 1)...], budget: Budget(hosts: budget.hosts / values.count, bytes: budget.bytes))
        let bytes =
            values.count * tails.count * head.utf8.count + tails.count * values.reduce(0) { $0 + $1.utf8.count }
            + values.count * tails.reduce(0) { $0 + $1.utf8.count }
        guard bytes <= budget.bytes else { throw InventoryParseFailure(message: Budget.exceeded, offset: open) }
        return values.flatMap { value in tails.map { head + value + $0 } }
    }

    /// Fails rather than return more than `limit` values.
    private static func rangeValues(_ body: ArraySlice<Character>, offset: Int, limit: Int)
        throws(InventoryParseFailure) -> [String]
    {
        func failure(_ message: String) -> InventoryParseFailure {
            InventoryParseFailure(message: message, offset: offset)
        }
        func checkCount(from first: Int, through last: Int, by step: Int) throws(InventoryParseFailure) {
            guard first > last || (last - first) / step < limit else { throw failure(Budget.exceeded) }
        }
        let bounds = body.split(separator: ":", omittingEmptySubsequences: false).map { String($0) }
        guard bounds.count == 2 || bounds.count == 3 else {
            throw failure("a host range is written [start:end] or [start:end:step]")
        }
        let begin = bounds[0].isEmpty ? "0" : bounds[0]  // Ansible reads [:5] as [0:5]
        let end = bounds[1]
        guard !end.isEmpty else { throw failure("the host range [\(String(body))] needs an end, as in [1:9]") }
        let step = bounds.count == 3 ? decimal(bounds[2]) ?? 0 : 1
        guard step > 0 else {
            throw failure("the step of a host range must be a whole number above 0")
        }
        let values: [String]
        if let first = letterIndex(begin), let last = letterIndex(end) {
            try checkCount(from: first, through: last, by: step)
            values = stride(from: first, through: last, by: step).map { String(letters[$0]) }
        } else if let first = decimal(begin), let last = decimal(end) {
            let width = begin.count > 1 && begin.hasPrefix("0") ? begin.count : 0
            guard width == 0 || end.count == width else {
                throw failure("a zero-padded host range needs bounds of the same width, as in [01:10]")
            }
            try checkCount(from: first, through: last, by: step)
            values = stride(from: first, through: last, by: step).map { zeroPadded($0, to: width) }
        } else {
            throw failure("host range bounds must be both numbers or both single letters")
        }
        guard !values.isEmpty else { throw failure("the host range [\(String(body))] expands to no hosts") }
        return values
    }

    private static func letterIndex(_ text: String) -> Int? {
        text.count == 1 ? letters.firstIndex(of: text.first!) : nil
    }

    private static func decimal(_ text: String) -> Int? {
        text.allSatisfy { $0.isASCII && $0.isNumber } ? Int(text) : nil
    }

    private static func zeroPadded(_ number: Int, to width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
