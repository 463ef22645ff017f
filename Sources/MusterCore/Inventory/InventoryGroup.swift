/// A group as written in the inventory; membership through child groups is not flattened here.
/// `hosts` lists the direct members after Ansible's reconciliation: `ungrouped` holds the hosts
/// in no other group, and `all` only hosts put there explicitly (YAML `all: hosts:`).
public struct InventoryGroup: Sendable, Hashable {
    /// The group Ansible puts every top-level group under.
    public static let all = "all"
    /// The group Ansible gives hosts that belong to no other group.
    public static let ungrouped = "ungrouped"

    public let name: String
    /// Direct members, in order of appearance.
    public let hosts: [String]
    /// Direct child groups, in order of appearance.
    public let children: [String]
    /// Variables set on the group in inventory sources (`[name:vars]`, a YAML group's `vars:`);
    /// `group_vars/` files are merged into hosts' variables but not here.
    public let vars: [String: InventoryValue]
    /// `ansible_group_priority`: among groups of the same depth, higher wins; 1 unless set.
    public let priority: Int

    public init(
        name: String, hosts: [String] = [], children: [String] = [], vars: [String: InventoryValue] = [:],
        priority: Int = 1
    ) {
        self.name = name
        self.hosts = hosts
        self.children = children
        self.vars = vars
        self.priority = priority
    }
}
