/// The variables one host's templates see, lowest precedence first: inventory (host and
/// group variables), play `vars`, facts gathered in preflight and results registered
/// by tasks, then `-e` extra variables, which win over everything as in Ansible.
public struct HostScope: Sendable {
    public var host: String
    var inventory: [String: InventoryValue]
    var play: [String: InventoryValue]
    var runtime: [String: InventoryValue] = [:]
    var extra: [String: InventoryValue]

    public init(host: String, inventory: [String: InventoryValue], play: [String: InventoryValue], extra: [String: InventoryValue]) {
        self.host = host
        self.inventory = inventory
        self.play = play
        self.extra = extra
    }

    public func lookup(_ name: String) -> InventoryValue? {
        extra[name] ?? runtime[name] ?? play[name] ?? inventory[name]
    }

    /// A task's registered result or a gathered fact.
    public mutating func set(_ name: String, _ value: InventoryValue) { runtime[name] = value }

    /// Every name defined, for up-front checks.
    public var names: Set<String> {
        Set(extra.keys).union(runtime.keys).union(play.keys).union(inventory.keys)
    }
}
