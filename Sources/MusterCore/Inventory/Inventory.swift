/// Hosts and groups read from an inventory source, resolved the way Ansible resolves them:
/// the implicit `all` and `ungrouped` groups exist, and each host carries its merged variables.
public struct Inventory: Sendable, Hashable {
    /// Every host once, in order of first appearance in the source.
    public let hosts: [InventoryHost]
    /// Every group by name, including `all` and `ungrouped`.
    public let groups: [String: InventoryGroup]

    public init(hosts: [InventoryHost], groups: [String: InventoryGroup]) {
        self.hosts = hosts
        self.groups = groups
    }

    /// The hosts of a group and of all its descendant groups, in inventory order.
    public func hosts(inGroup name: String) -> [InventoryHost] {
        if name == InventoryGroup.all { return hosts }
        return hosts.filter { $0.groups.contains(name) }
    }
}
