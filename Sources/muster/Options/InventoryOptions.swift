import ArgumentParser
import MusterCore

/// Which inventory to read and which of its hosts to act on.
struct InventoryOptions: ParsableArguments {
    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Inventory file or directory (INI, YAML, JSON), or a host list such as 'web1,web2:2222,'. Repeatable.",
            valueName: "inventory"))
    var inventory: [String] = []

    @Option(
        name: [.customShort("l"), .long],
        help: ArgumentHelp(
            "Only hosts matching this pattern (names, groups, wildcards, ~regex, a:b, a:&b, a:!b, g[0:2], @file).",
            valueName: "pattern"))
    var limit: String?

    func validate() throws {
        guard !inventory.isEmpty else { throw ValidationError("give an inventory with -i (a file, a directory or 'host1,host2,')") }
    }

    /// The inventory, with group_vars/ and host_vars/ beside each source.
    func load() throws -> Inventory {
        let inventory = try InventorySource.load(self.inventory)
        for warning in inventory.warnings { Console.err("muster: warning: \(warning)\n") }
        return inventory
    }

    /// The hosts `--limit` selects (all hosts without it); none is an error.
    func selectHosts(from inventory: Inventory) throws -> [InventoryHost] {
        guard let limit else { return inventory.hosts }
        let hosts = try HostPattern(limit).select(from: inventory)
        guard !hosts.isEmpty else {
            throw UsageError("no host in \(self.inventory.joined(separator: ", ")) matches --limit '\(limit)'")
        }
        return hosts
    }
}
