/// Every place a variable was set, kept after loading so that a host's or group's variables, and
/// the origin of each, come from one rule: the order in which Ansible's `VariableManager` stacks them.
struct VariableSources: Sendable, Hashable {
    /// Ansible's `sort_groups`: shallower groups first, then lower `ansible_group_priority`,
    /// then by name; later groups override earlier ones.
    struct GroupRank: Sendable, Hashable, Comparable {
        let depth: Int
        let priority: Int
        let name: String

        static func < (lhs: GroupRank, rhs: GroupRank) -> Bool {
            if lhs.depth != rhs.depth { return lhs.depth < rhs.depth }
            if lhs.priority != rhs.priority { return lhs.priority < rhs.priority }
            return PythonOrder.precedes(lhs.name, rhs.name)
        }
    }

    /// Variables set in inventory sources, by group and by host.
    var groupVars: [String: SourcedVariables] = [:]
    var hostVars: [String: SourcedVariables] = [:]
    var ranks: [String: GroupRank] = [:]
    /// `group_vars/` and `host_vars/` beside each inventory source, then beside the playbook.
    var directories: [VarsDirectory] = []

    /// Lowest precedence first: `all`, the other groups by rank, `group_vars/all` files, the
    /// groups' `group_vars` files (each directory in turn, groups by rank within it), the host's
    /// own inventory variables, then its `host_vars` files.
    func layers(forHost host: String, inGroups groups: some Sequence<String>) -> [SourcedVariables] {
        let ranked = groups.filter { $0 != InventoryGroup.all }.sorted { rank($0) < rank($1) }
        var layers = [groupVars[InventoryGroup.all]] + ranked.map { groupVars[$0] }
        layers += directories.map { $0.groupVars[InventoryGroup.all] }
        layers += directories.flatMap { directory in ranked.map { directory.groupVars[$0] } }
        layers += [hostVars[host]] + directories.map { $0.hostVars[host] }
        return layers.compactMap { $0 }
    }

    /// A group's own variables as `ansible-inventory --graph --vars` shows them: the inventory's,
    /// then its `group_vars` files.
    func layers(forGroup group: String) -> [SourcedVariables] {
        ([groupVars[group]] + directories.map { $0.groupVars[group] }).compactMap { $0 }
    }

    private func rank(_ group: String) -> GroupRank {
        ranks[group] ?? GroupRank(depth: 1, priority: 1, name: group)
    }
}

extension [SourcedVariables] {
    /// Stacks the layers, later ones replacing whole top-level values, as Ansible's default
    /// `hash_behaviour = replace` does.
    func merged() -> SourcedVariables {
        var result = first ?? [:]
        for layer in dropFirst() { result.merge(layer) { _, later in later } }
        return result
    }
}

extension SourcedVariables {
    var withoutOrigins: [String: InventoryValue] { mapValues(\.value) }
}
