/// A group as written in the inventory; membership through child groups is not flattened here.
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
    /// Variables set on the group itself (its `[name:vars]` section).
    public let vars: [String: InventoryValue]

    public init(name: String, hosts: [String] = [], children: [String] = [], vars: [String: InventoryValue] = [:]) {
        self.name = name
        self.hosts = hosts
        self.children = children
        self.vars = vars
    }
}
