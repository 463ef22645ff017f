/// One piece of a host pattern, without its `&`/`!` operator: a host or group name, a glob
/// (`web*`), or a regular expression (`~web\d+`), optionally subscripted (`web[0]`, `web[1:3]`).
struct HostPatternTerm: Sendable {
    private enum Matcher: Sendable {
        case glob(GlobPattern)
        /// The source of a regular expression checked in `init`; `Regex` is not Sendable,
        /// so it is compiled again where names are matched.
        case regex(String)

        func nameTest() -> (String) -> Bool {
            switch self {
            case .glob(let glob):
                return glob.matches
            case .regex(let source):
                let regex = try! Regex(source)
                // Python's re.match, as Ansible uses it: anchored at the start only.
                return { (try? regex.prefixMatch(in: $0)) != nil }
            }
        }
    }

    /// Ansible's subscripts: `[2]` and `[-1]` pick one host, `[1:3]` is inclusive, `[2:]` runs to the end.
    private enum Slice: Sendable {
        case index(Int)
        case range(Int, through: Int?)
    }

    static let all = HostPatternTerm(matcher: .glob(try! GlobPattern(InventoryGroup.all)), slice: nil)

    private let matcher: Matcher
    private let slice: Slice?

    private init(matcher: Matcher, slice: Slice?) {
        self.matcher = matcher
        self.slice = slice
    }

    init(_ text: Substring) throws(InventoryParseFailure) {
        if text.first == "~" {
            let source = text.dropFirst()
            guard !source.isEmpty else {
                throw InventoryParseFailure(message: "expected a regular expression after '~'", offset: 0)
            }
            do {
                _ = try Regex(String(source))
            } catch {
                throw InventoryParseFailure(message: "not a valid regular expression (\(error))", offset: 1)
            }
            self.init(matcher: .regex(String(source)), slice: nil)
            return
        }
        let (base, slice) = Self.splitSlice(text)
        self.init(matcher: .glob(try GlobPattern(base)), slice: slice)
    }

    /// Hosts matched, before the operator is applied, in Ansible's order: a host of that exact
    /// name alone; otherwise the hosts of each matching group (groups in order of creation, each
    /// group's hosts as `Inventory.hosts(inGroup:)` orders them), then, when no group matched or
    /// the term is a glob or regex, the hosts whose names match. A host may appear more than once,
    /// as in Ansible, where subscripts count such repeats.
    func hosts(in inventory: Inventory) -> [InventoryHost] {
        if let name = literalName, let host = inventory.host(named: name) {
            return applySlice(to: [host])
        }
        let matches = matcher.nameTest()
        let groups = inventory.groupNames.filter(matches)
        var found = groups.flatMap { inventory.hosts(inGroup: $0) }
        if groups.isEmpty || literalName == nil {
            found += inventory.hosts.filter { matches($0.name) }
        }
        return applySlice(to: found)
    }

    /// The name a term without wildcards stands for.
    private var literalName: String? {
        if case .glob(let glob) = matcher { glob.literal } else { nil }
    }

    private func applySlice(to hosts: [InventoryHost]) -> [InventoryHost] {
        switch slice {
        case nil:
            return hosts
        case .index(let index):
            let position = index < 0 ? hosts.count + index : index
            return hosts.indices.contains(position) ? [hosts[position]] : []
        case .range(let first, let last):
            let end = min(last ?? hosts.count - 1, hosts.count - 1)
            return first <= end ? Array(hosts[first...end]) : []
        }
    }

    /// Splits `name[subscript]`; brackets holding anything else are left to the glob (`web[ab]`).
    private static func splitSlice(_ text: Substring) -> (Substring, Slice?) {
        guard text.last == "]", let open = text.lastIndex(of: "["), open > text.startIndex else { return (text, nil) }
        let base = text[..<open]
        let inside = text[text.index(after: open)..<text.index(before: text.endIndex)]
        let bounds = inside.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        if bounds.count == 1, let index = Int(inside), inside.allSatisfy({ $0 == "-" || $0.isASCII && $0.isNumber }) {
            return (base, .index(index))
        }
        if bounds.count == 2, let first = unsigned(bounds[0]) {
            if bounds[1].isEmpty { return (base, .range(first, through: nil)) }
            if let last = unsigned(bounds[1]) { return (base, .range(first, through: last)) }
        }
        return (text, nil)
    }

    private static func unsigned(_ text: Substring) -> Int? {
        text.allSatisfy { $0.isASCII && $0.isNumber } ? Int(text) : nil
    }
}
