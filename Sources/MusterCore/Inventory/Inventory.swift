/// Hosts and groups read from inventory sources, resolved the way Ansible resolves them:
/// the implicit `all` and `ungrouped` groups exist, and each host carries its merged variables.
public struct Inventory: Sendable, Hashable {
    /// Every host once, in order of first appearance in the sources.
    public let hosts: [InventoryHost]
    /// Every group by name, including `all` and `ungrouped`.
    public let groups: [String: InventoryGroup]
    /// What Ansible would have warned about while reading the sources, in the order found.
    public let warnings: [InventoryWarning]
    /// Group names in order of creation, the order Ansible matches patterns against groups in.
    let groupNames: [String]
    /// Where every variable was set, to stack them again for a group or to find an origin.
    let variableSources: VariableSources
    private let hostIndex: [String: Int]

    /// An inventory made by hand; it knows no variable origins.
    public init(hosts: [InventoryHost], groups: [String: InventoryGroup]) {
        self.init(
            hosts: hosts, groups: groups, groupNames: groups.keys.sorted(by: PythonOrder.precedes),
            variables: VariableSources(), warnings: [])
    }

    init(
        hosts: [InventoryHost], groups: [String: InventoryGroup], groupNames: [String], variables: VariableSources,
        warnings: [InventoryWarning]
    ) {
        self.hosts = hosts
        self.groups = groups
        self.groupNames = groupNames
        self.variableSources = variables
        self.warnings = warnings
        hostIndex = Dictionary(hosts.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func host(named name: String) -> InventoryHost? {
        hostIndex[name].map { hosts[$0] }
    }

    /// The hosts of a group and of all its descendant groups, in Ansible's order: the group's own
    /// hosts, then those of its children, grandchildren and so on, each host once. This is the
    /// order that subscripts such as `web[0]` count in.
    public func hosts(inGroup name: String) -> [InventoryHost] {
        guard groups[name] != nil else { return [] }
        var ordered = [name]
        var seenGroups: Set = [name]
        var index = 0
        while index < ordered.count {
            for child in groups[ordered[index]]?.children ?? [] where seenGroups.insert(child).inserted {
                ordered.append(child)
            }
            index += 1
        }
        var seenHosts: Set<String> = []
        return ordered.flatMap { groups[$0]?.hosts ?? [] }.filter { seenHosts.insert($0).inserted }.compactMap(host(named:))
    }

    /// Where the value a host ends up with for `variable` was set; nil when the host or variable is
    /// unknown, or for an inventory made by hand.
    public func origin(ofVariable variable: String, host: String) -> VariableOrigin? {
        variableOrigins(host: host)[variable]
    }

    /// The origin of each of a host's variables, as `origin(ofVariable:host:)` finds it.
    public func variableOrigins(host name: String) -> [String: VariableOrigin] {
        guard let host = host(named: name) else { return [:] }
        return variableSources.layers(forHost: host.name, inGroups: host.groups).merged().mapValues(\.origin)
    }

    /// A group's variables as `ansible-inventory --graph --vars` lists them: those set in the
    /// inventory, then in `group_vars` files, and the group's priority unless it is the default 1.
    func variables(ofGroup name: String) -> [String: InventoryValue] {
        var vars = variableSources.layers(forGroup: name).merged().withoutOrigins
        if let priority = groups[name]?.priority, priority != 1 { vars["ansible_group_priority"] = .int(priority) }
        return vars
    }
}
