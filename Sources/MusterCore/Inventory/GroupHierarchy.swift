/// The child-group graph seen upwards, for merging variables and listing memberships.
/// `InventoryBuilder` refuses cycles, so every walk here ends.
struct GroupHierarchy {
    private let parents: [String: [String]]
    private let depths: [String: Int]

    init(children: [String: [String]]) {
        var parents: [String: [String]] = [:]
        for (parent, kids) in children {
            for kid in kids { parents[kid, default: []].append(parent) }
        }
        var depths: [String: Int] = [:]
        // Ansible's depth: the longest chain of parents up to `all`, which sits at 0.
        func depth(of group: String) -> Int {
            if let known = depths[group] { return known }
            let value = group == InventoryGroup.all ? 0 : 1 + (parents[group, default: []].map(depth).max() ?? 0)
            depths[group] = value
            return value
        }
        for group in children.keys { _ = depth(of: group) }
        self.parents = parents
        self.depths = depths
    }

    func depth(of group: String) -> Int {
        depths[group] ?? 1
    }

    /// The groups given plus all their ancestors, without `all`.
    func withAncestors(of groups: [String]) -> Set<String> {
        var found: Set<String> = []
        var pending = groups
        while let group = pending.popLast() {
            guard group != InventoryGroup.all, found.insert(group).inserted else { continue }
            pending += parents[group, default: []]
        }
        return found
    }

    /// The groups directly under `all`: those without a parent, and those listed in `[all:children]`.
    func topLevel(in orderedGroups: [String]) -> [String] {
        orderedGroups.filter { group in
            guard group != InventoryGroup.all else { return false }
            let groupParents = parents[group, default: []]
            return groupParents.isEmpty || groupParents.contains(InventoryGroup.all)
        }
    }
}
