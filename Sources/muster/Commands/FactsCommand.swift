import ArgumentParser
import Foundation
import MusterCore
import MusterState

struct FactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facts",
        abstract: "Gather facts from every selected host, one round trip each.",
        discussion: """
            Host name, OS and version, kernel, IPv4 addresses with prefixes, clock offset to \
            this machine, memory, CPU count, free disk at the given paths, the installed UMS \
            version and the state of the UMS services.

            Each gathering is stored in the state database (a run with command `facts`, \
            listed by `muster runs`) once every host has answered or failed; `muster report` \
            shows the latest facts per host and `muster report --drift` what changed.

            Example: muster facts -i inventories/testbed.yml --disk /opt --disk /root
            """
    )

    @OptionGroup(title: "Inventory") var inventory: InventoryOptions
    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @OptionGroup(title: "State") var state: StateOptions

    @Option(
        name: .customLong("disk"),
        help: ArgumentHelp("A path to report free disk at (repeatable; default /, /opt, /root).", valueName: "path"))
    var diskPaths: [String] = []

    @Option(name: .customLong("format"), help: "Output: table, csv or json.")
    var format: FactsFormat = .table

    @Option(name: .shortAndLong, help: ArgumentHelp("Hosts in flight at once.", valueName: "n"))
    var forks: Int = 50

    func validate() throws {
        guard forks >= 1 else { throw ValidationError("--forks must be at least 1") }
        if let relative = diskPaths.first(where: { !$0.hasPrefix("/") }) {
            throw ValidationError("--disk takes absolute paths, not '\(relative)'")
        }
    }

    func run() async throws {
        let inventory = try self.inventory.load()
        let targets = try connection.targets(for: self.inventory.selectHosts(from: inventory), in: inventory)
        var gatherer = FactsGatherer(forks: forks)
        if !diskPaths.isEmpty { gatherer.diskPaths = diskPaths }
        // Opened first, so an unusable --state stops us before any host is contacted;
        // written only once the gathering is over.
        let store = try state.store()
        let started = Date()
        let facts = await gatherer.gather(targets)
        if let store {
            var options: [String: [String]] = ["inventory": self.inventory.inventory, "forks": [String(forks)], "disk": gatherer.diskPaths]
            if let limit = self.inventory.limit { options["limit"] = [limit] }
            let start = RunStart(
                command: "facts", playbook: "", playbookSHA256: "", inventorySHA256: InputDigest.inventory(self.inventory.inventory),
                options: options, targets: facts.map(\.host), started: started)
            do {
                try store.recordFacts(facts, start: start)
            } catch {
                Console.err("muster: warning: these facts are not recorded in \(store.path): \(error)\n")
            }
        }
        let report = FactsReport(facts, groupBy: [], variable: { _, _ in nil })
        switch format {
        case .table: Console.out(report.table())
        case .csv: Console.out(report.csv())
        case .json: Console.out(try report.json())
        }
        Foundation.exit(facts.allSatisfy { $0.unreachable == nil } ? 0 : 1)
    }
}

enum FactsFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}
