/// A host with the variables it ends up with after group variables are merged in.
public struct InventoryHost: Sendable, Hashable {
    public let name: String
    /// Merged variables: `all` < other groups (shallower first, then by name) < the host's own.
    public let vars: [String: InventoryValue]
    /// Every group the host is in, directly or through child groups, sorted, without `all`;
    /// the same list as Ansible's `group_names`.
    public let groups: [String]

    public init(name: String, vars: [String: InventoryValue] = [:], groups: [String] = []) {
        self.name = name
        self.vars = vars
        self.groups = groups
    }
}
