extension InventoryViews {
    /// `ansible-inventory --graph [GROUP] [--vars]`, line for line: the group, its child groups
    /// drawn depth-first (a group under two parents is drawn under each), then its direct hosts;
    /// with `showVars`, each host's variables under it and the group's after its hosts, as
    /// `{name = value}` with Python's rendering of the value.
    /// - Throws: `HostPatternError` when `group` names no group.
    public static func graph(
        _ inventory: Inventory, group: String = InventoryGroup.all, showVars: Bool = false, maskedKeys: Set<String> = []
    ) throws -> String {
        guard inventory.groups[group] != nil else {
            throw HostPatternError(pattern: group, message: "--graph needs the name of a group")
        }
        var lines: [String] = []
        func draw(_ name: String, depth: Int) {
            let group = inventory.groups[name]!
            lines.append(indented("@\(name):", depth))
            for child in group.children { draw(child, depth: depth + 1) }
            if name != InventoryGroup.all {
                for host in group.hosts {
                    lines.append(indented(host, depth + 1))
                    if showVars { drawVariables(inventory.host(named: host)?.vars ?? [:], depth: depth + 2) }
                }
            }
            if showVars { drawVariables(inventory.variables(ofGroup: name), depth: depth + 1) }
        }
        func drawVariables(_ vars: [String: InventoryValue], depth: Int) {
            guard case .dict(let entries) = masked(vars, maskedKeys) else { return }
            for (key, value) in entries { lines.append(indented("{\(key) = \(value.pythonText)}", depth)) }
        }
        draw(group, depth: 0)
        return lines.joined(separator: "\n")
    }

    private static func indented(_ text: String, _ depth: Int) -> String {
        depth == 0 ? text : String(repeating: "  |", count: depth) + "--" + text
    }
}
