import Foundation

/// Collects what inventory sources declare, in the order Ansible's `InventoryData` records it:
/// hosts and groups by first appearance, each group's direct hosts and child groups, and each
/// variable with where it was set. Every format (INI, YAML, host lists) and every `-i` source
/// writes into one builder; `build` then derives what Ansible derives once all are read.
struct InventoryBuilder {
    /// Why a declaration was refused; the parser adds the file and line.
    struct Refusal: Error {
        let message: String
    }

    struct GroupDraft {
        /// Direct members in order of addition, `ungrouped` and `all` included.
        var hosts: [String] = []
        var children: [String] = []
        var parents: [String] = []
        var vars: SourcedVariables = [:]
        /// Ansible's `ansible_group_priority`, which is kept apart from the group's variables.
        var priority = 1
    }

    struct HostDraft {
        /// Groups the host was put in directly, `all` and `ungrouped` included.
        var groups: [String] = []
        var vars: SourcedVariables = [:]
    }

    private(set) var hostNames: [String] = []
    private(set) var hosts: [String: HostDraft] = [:]
    private(set) var groupNames: [String] = []
    private(set) var groups: [String: GroupDraft] = [:]
    var warnings: [InventoryWarning] = []

    init() {
        addGroup(InventoryGroup.all)
        addGroup(InventoryGroup.ungrouped)
        link(InventoryGroup.ungrouped, under: InventoryGroup.all)
    }

    func hasGroup(_ name: String) -> Bool {
        groups[name] != nil
    }

    mutating func addGroup(_ name: String) {
        guard groups[name] == nil else { return }
        groupNames.append(name)
        groups[name] = GroupDraft()
    }

    /// Adds the host if new and puts it in `group`. As in Ansible, `port` becomes `ansible_port`
    /// only when the host is new: a port written for a host seen before is ignored.
    mutating func addHost(_ name: String, port: Int? = nil, origin: VariableOrigin, to group: String) {
        if hosts[name] == nil {
            hostNames.append(name)
            hosts[name] = HostDraft()
            if let port { setVariable("ansible_port", to: SourcedValue(value: .int(port), origin: origin), forHost: name) }
        }
        addGroup(group)
        guard !hosts[name]!.groups.contains(group) else { return }
        hosts[name]!.groups.append(group)
        groups[group]!.hosts.append(name)
    }

    mutating func setVariable(_ key: String, to value: SourcedValue, forHost host: String) {
        hosts[host]!.vars[key] = value
    }

    /// `ansible_group_priority` sets the group's rank among groups of the same depth instead of a
    /// variable; values Python's `int()` rejects with a TypeError (null, lists) are ignored, as there.
    mutating func setVariable(_ key: String, to value: SourcedValue, forGroup group: String) throws(Refusal) {
        addGroup(group)
        guard key == "ansible_group_priority" else {
            groups[group]!.vars[key] = value
            return
        }
        switch value.value {
        case .int(let number): groups[group]!.priority = number
        case .float(let number) where number.isFinite: groups[group]!.priority = Int(number)
        case .bool(let flag): groups[group]!.priority = flag ? 1 : 0
        case .string(let text):
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw Refusal(message: "ansible_group_priority must be a whole number, not '\(text)'")
            }
            groups[group]!.priority = number
        case .float, .null, .list, .dict: break
        }
    }

    mutating func addChild(_ child: String, to parent: String) throws(Refusal) {
        if let cycle = cycle(addingChild: child, to: parent) {
            throw Refusal(
                message: "making '\(child)' a child of '\(parent)' creates a cycle: " + cycle.joined(separator: " > "))
        }
        addGroup(parent)
        addGroup(child)
        link(child, under: parent)
    }

    /// Ansible's `reconcile_inventory`, run once every source is read: groups without a parent
    /// go under `all` in order of creation, hosts in other groups leave `ungrouped`, and hosts
    /// only in `all` join it.
    mutating func reconcile() {
        for group in groupNames where group != InventoryGroup.all && groups[group]!.parents.isEmpty {
            try! addChild(group, to: InventoryGroup.all)  // a group without parents closes no cycle
        }
        let ungrouped = InventoryGroup.ungrouped
        let implicit: Set = [InventoryGroup.all, ungrouped]
        for name in groups[ungrouped]!.hosts where hosts[name]!.groups.contains(where: { !implicit.contains($0) }) {
            hosts[name]!.groups.removeAll { $0 == ungrouped }
        }
        groups[ungrouped]!.hosts.removeAll { !hosts[$0]!.groups.contains(ungrouped) }
        for name in hostNames where hosts[name]!.groups.allSatisfy({ $0 == InventoryGroup.all }) {
            hosts[name]!.groups.append(ungrouped)
            groups[ungrouped]!.hosts.append(name)
        }
    }

    private mutating func link(_ child: String, under parent: String) {
        guard !groups[parent]!.children.contains(child) else { return }
        groups[parent]!.children.append(child)
        groups[child]!.parents.append(parent)
    }

    /// The loop that linking would close, from `parent` back to itself; `all` is everyone's ancestor.
    private func cycle(addingChild child: String, to parent: String) -> [String]? {
        if child == InventoryGroup.all { return parent == child ? [parent, parent] : [parent, child, parent] }
        var visited: Set<String> = []
        func path(from group: String) -> [String]? {
            if group == parent { return [group] }
            guard visited.insert(group).inserted else { return nil }
            for next in groups[group]?.children ?? [] {
                if let rest = path(from: next) { return [group] + rest }
            }
            return nil
        }
        return path(from: child).map { [parent] + $0 }
    }
}
