extension InventoryBuilder {
    /// The inventory with each host's variables stacked from the inventory and the vars directories.
    func build(directories: [VarsDirectory] = []) -> Inventory {
        var hierarchy = GroupHierarchy(parents: groups.mapValues(\.parents))
        var sources = VariableSources(directories: directories)
        var resolvedGroups: [String: InventoryGroup] = [:]
        for (name, draft) in groups {
            sources.groupVars[name] = draft.vars.isEmpty ? nil : draft.vars
            sources.ranks[name] = .init(depth: hierarchy.depth(of: name), priority: draft.priority, name: name)
            resolvedGroups[name] = InventoryGroup(
                name: name, hosts: draft.hosts, children: draft.children, vars: draft.vars.withoutOrigins,
                priority: draft.priority)
        }
        for (name, draft) in hosts where !draft.vars.isEmpty { sources.hostVars[name] = draft.vars }
        let resolvedHosts = hostNames.map { name in
            let memberships = hierarchy.withAncestors(of: hosts[name]!.groups)
            return InventoryHost(
                name: name,
                vars: sources.layers(forHost: name, inGroups: memberships).merged().withoutOrigins,
                groups: memberships.sorted(by: PythonOrder.precedes))
        }
        return Inventory(
            hosts: resolvedHosts, groups: resolvedGroups, groupNames: groupNames, variables: sources,
            warnings: warnings)
    }
}
