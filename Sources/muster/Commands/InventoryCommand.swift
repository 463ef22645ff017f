import ArgumentParser
import MusterCore

struct InventoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Show the inventory as Muster (and ansible-inventory) reads it.",
        discussion: """
            --list, --graph and --host print what `ansible-inventory` prints for the same files. \
            Passwords (ansible_password, ansible_ssh_pass, ansible_become_pass) are always masked.

            Example: muster inventory -i inventories/ --graph --vars
            """
    )

    /// Variables whose values never appear in any output.
    static let secretVariables: Set<String> = [
        "ansible_password", "ansible_ssh_pass", "ansible_become_pass", "ansible_become_password",
    ]

    @OptionGroup(title: "Inventory") var inventory: InventoryOptions
    @OptionGroup(title: "Connection (for --resolve)") var connection: ConnectionOptions

    @Flag(help: "All groups and hosts with their variables, as JSON (like ansible-inventory --list).")
    var list = false

    @Flag(help: "The group tree (like ansible-inventory --graph); give a group to draw only that branch.")
    var graph = false

    @Argument(help: ArgumentHelp("With --graph: the group to start from (default: all).", valueName: "group"))
    var group: String?

    @Flag(help: "With --graph: show each host's and group's variables.")
    var vars = false

    @Option(help: ArgumentHelp("One host's merged variables, as JSON.", valueName: "name"))
    var host: String?

    @Option(
        help: ArgumentHelp(
            "What Muster will connect to for this host (address, port, user, keys, known_hosts…) and where each value comes from.",
            valueName: "name"))
    var resolve: String?

    func validate() throws {
        let modes = [list, graph, host != nil, resolve != nil].filter { $0 }.count
        guard modes == 1 else { throw ValidationError("give exactly one of --list, --graph, --host NAME or --resolve NAME") }
        if group != nil && !graph { throw ValidationError("a group name goes with --graph") }
        if vars && !graph { throw ValidationError("--vars goes with --graph") }
    }

    func run() async throws {
        let loaded = try inventory.load()
        let masked = Self.secretVariables
        let output: String
        if list {
            InventoryViews.list(loaded, maskedKeys: masked, emit: Console.out)
            output = "\n"
        } else if graph {
            output = try InventoryViews.graph(loaded, group: group ?? InventoryGroup.all, showVars: vars, maskedKeys: masked)
        } else if let host {
            output = try InventoryViews.host(loaded, name: host, maskedKeys: masked)
        } else {
            let name = resolve ?? ""
            guard let target = loaded.host(named: name) else { throw UsageError("no host named '\(name)' in the inventory") }
            output = try connection.resolver(for: loaded).resolve(target).report
        }
        Console.out(output.hasSuffix("\n") ? output : output + "\n")
    }
}
