/// Collects hosts, groups and variables in source order, then derives what Ansible derives:
/// the children of `all`, the hosts of `ungrouped`, and each host's groups and merged variables.
struct InventoryBuilder {
    /// Adding a child group would make a group its own ancestor; `path` runs parent to parent.
    struct GroupCycle: Error {
        let path: [String]
    }

    private struct GroupDraft {
        var hosts: [String] = []
        var children: [String] = []
        var vars: [String: InventoryValue] = [:]
    }

    private var hostNames: [String] = []
    private var hostVars: [String: [String: InventoryValue]] = [:]
    /// Direct memberships only; `all` and `ungrouped` are derived in `build()`.
    private var hostGroups: [String: [String]] = [:]
    private var groupNames = [InventoryGroup.all, InventoryGroup.ungrouped]
    private var groups = [InventoryGroup.all: GroupDraft(), InventoryGroup.ungrouped: GroupDraft()]

    mutating func addGroup(_ name: String) {
        guard groups[name] == nil else { return }
        groupNames.append(name)
        groups[name] = GroupDraft()
    }

    /// Adds the host if new; `all` and `ungrouped` only register it, as their members are derived.
    mutating func addHost(_ host: String, to group: String) {
        if hostVars[host] == nil {
            hostNames.append(host)
            hostVars[host] = [:]
            hostGroups[host] = []
        }
        guard group != InventoryGroup.all, group != InventoryGroup.ungrouped,
            !hostGroups[host, default: []].contains(group)
        else { return }
        addGroup(group)
        hostGroups[host, default: []].append(group)
        groups[group]!.hosts.append(host)
    }

    mutating func setVariable(_ key: String, to value: InventoryValue, forHost host: String) {
        hostVars[host, default: [:]][key] = value
    }

    mutating func setVariable(_ key: String, to value: InventoryValue, forGroup group: String) {
        addGroup(group)
        groups[group]!.vars[key] = value
    }

    mutating func addChild(_ child: String, to parent: String) throws(GroupCycle) {
        if child == InventoryGroup.all {
            throw GroupCycle(path: parent == child ? [parent, parent] : [parent, child, parent])
        }
        if let path = descendantPath(from: child, to: parent) {
            throw GroupCycle(path: [parent] + path)
        }
        addGroup(parent)
        addGroup(child)
        if !groups[parent]!.children.contains(child) {
            groups[parent]!.children.append(child)
        }
    }

    func build() -> Inventory {
        let hierarchy = GroupHierarchy(children: groups.mapValues(\.children))
        let allVars = groups[InventoryGroup.all]!.vars
        var ungroupedHosts: [String] = []
        let hosts = hostNames.map { name in
            var memberships = hierarchy.withAncestors(of: hostGroups[name] ?? [])
            if memberships.isEmpty {
                memberships = [InventoryGroup.ungrouped]
                ungroupedHosts.append(name)
            }
            var vars = allVars
            for group in memberships.sorted(by: { (hierarchy.depth(of: $0), $0) < (hierarchy.depth(of: $1), $1) }) {
                vars.merge(groups[group]!.vars) { _, deeper in deeper }
            }
            vars.merge(hostVars[name] ?? [:]) { _, own in own }
            return InventoryHost(name: name, vars: vars, groups: memberships.sorted())
        }
        var resolved: [String: InventoryGroup] = [:]
        for name in groupNames {
            let draft = groups[name]!
            resolved[name] = InventoryGroup(
                name: name,
                hosts: name == InventoryGroup.ungrouped ? ungroupedHosts : draft.hosts,
                children: name == InventoryGroup.all ? hierarchy.topLevel(in: groupNames) : draft.children,
                vars: draft.vars)
        }
        return Inventory(hosts: hosts, groups: resolved)
    }

    /// The chain of child links leading from `start` down to `target`, both included.
    private func descendantPath(from start: String, to target: String) -> [String]? {
        var visited: Set<String> = []
        func search(_ group: String) -> [String]? {
            if group == target { return [group] }
            guard visited.insert(group).inserted else { return nil }
            for child in groups[group]?.children ?? [] {
                if let path = search(child) { return [group] + path }
            }
            return nil
        }
        return search(start)
    }
}
