/// What `muster inventory` prints, in the shapes `ansible-inventory` prints, so its output can
/// stand in for Ansible's in scripts. `maskedKeys` names variables whose values are shown as
/// `********` (at any depth), such as `ansible_password`; by default nothing is masked.
public enum InventoryViews {
    private static let mask: InventoryValue = "********"

    /// `ansible-inventory --list`: each group reachable from `all` that has hosts or children,
    /// with its direct hosts and child groups, and `_meta.hostvars` for hosts with variables.
    public static func list(_ inventory: Inventory, maskedKeys: Set<String> = []) -> String {
        var text = ""
        list(inventory, maskedKeys: maskedKeys) { text += $0 }
        return text
    }

    /// `list`, handed to `emit` in pieces of about 64 KiB: `_meta.hostvars` is written host by
    /// host, so 10,000 hosts never exist a second time as one document or one string.
    public static func list(_ inventory: Inventory, maskedKeys: Set<String> = [], emit: (String) -> Void) {
        let groups = groupEntries(inventory)
        let keys = (Array(groups.keys) + ["_meta"]).sorted(by: PythonOrder.precedes)
        var output = "{"
        for (index, key) in keys.enumerated() {
            output += (index == 0 ? "\n" : ",\n") + "    "
            PythonJSON.writeString(key, to: &output)
            output += ": "
            if key != "_meta" {
                PythonJSON.write(groups[key]!, depth: 1, to: &output)
                continue
            }
            output += "{\n        \"hostvars\": "
            let hosts = inventory.hosts.filter { !$0.vars.isEmpty }.sorted { PythonOrder.precedes($0.name, $1.name) }
            output += hosts.isEmpty ? "{}" : "{"
            for (position, host) in hosts.enumerated() {
                output += (position == 0 ? "\n" : ",\n") + String(repeating: " ", count: 12)
                PythonJSON.writeString(host.name, to: &output)
                output += ": "
                PythonJSON.write(masked(host.vars, maskedKeys), depth: 3, to: &output)
                if output.utf8.count > 1 << 16 {
                    emit(output)
                    output = ""
                }
            }
            output += (hosts.isEmpty ? "" : "\n        }") + "\n    }"
        }
        emit(output + "\n}")
    }

    /// The groups `--list` shows: reachable from `all`, each with its direct hosts and children.
    private static func groupEntries(_ inventory: Inventory) -> InventoryDictionary {
        var document = InventoryDictionary()
        var seen: Set<String> = []
        func add(_ name: String) {
            guard let group = inventory.groups[name] else { return }
            var entry = InventoryDictionary()
            if name != InventoryGroup.all, !group.hosts.isEmpty { entry["hosts"] = .list(group.hosts.map(InventoryValue.string)) }
            if !group.children.isEmpty { entry["children"] = .list(group.children.map(InventoryValue.string)) }
            for child in group.children where seen.insert(child).inserted { add(child) }
            if !entry.isEmpty { document[name] = .dict(entry) }
        }
        add(InventoryGroup.all)
        return document
    }

    /// `ansible-inventory --host PATTERN`: the variables of the one host the pattern selects.
    /// - Throws: `HostPatternError` when the pattern is invalid or selects no host or several.
    public static func host(_ inventory: Inventory, name pattern: String, maskedKeys: Set<String> = []) throws -> String {
        let selected = try HostPattern(pattern).select(from: inventory)
        guard selected.count == 1 else {
            throw HostPatternError(pattern: pattern, message: "matches \(selected.count) hosts; --host needs exactly one")
        }
        return PythonJSON.text(of: masked(selected[0].vars, maskedKeys))
    }

    static func masked(_ vars: [String: InventoryValue], _ keys: Set<String>) -> InventoryValue {
        maskValues(.dict(InventoryDictionary(vars)), keys)
    }

    private static func maskValues(_ value: InventoryValue, _ keys: Set<String>) -> InventoryValue {
        guard !keys.isEmpty else { return value }
        switch value {
        case .dict(let entries):
            var result = entries
            for (key, entry) in entries { result[key] = keys.contains(key) ? mask : maskValues(entry, keys) }
            return .dict(result)
        case .list(let elements): return .list(elements.map { maskValues($0, keys) })
        default: return value
        }
    }
}
