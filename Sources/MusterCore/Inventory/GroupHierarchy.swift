/// The group graph seen upwards, for ranking groups and listing a host's groups.
/// `InventoryBuilder` refuses cycles, so every walk here ends.
struct GroupHierarchy {
    private let parents: [String: [String]]
    private var depths: [String: Int] = [:]

    init(parents: [String: [String]]) {
        self.parents = parents
        for group in parents.keys { _ = depth(of: group) }
    }

    /// Ansible's depth: the longest chain of parents up to `all`, which sits at 0.
    mutating func depth(of group: String) -> Int {
        if let known = depths[group] { return known }
        var value = 0
        if group != InventoryGroup.all {
            value = 1 + (parents[group, default: []].map { depth(of: $0) }.max() ?? 0)
        }
        depths[group] = value
        return value
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
}
