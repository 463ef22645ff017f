import ArgumentParser
import Foundation
import MusterCore

struct FactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facts",
        abstract: "Gather facts from every selected host, one round trip each.",
        discussion: """
            Host name, OS and version, kernel, IPv4 addresses with prefixes, clock offset to \
            this machine, memory, CPU count, free disk at the given paths, the installed UMS \
            version and the state of the UMS services.

            Example: muster facts -i inventories/testbed.yml --disk /opt --disk /root
            """
    )

    @OptionGroup(title: "Inventory") var inventory: InventoryOptions
    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    @Option(name: .customLong("disk"), help: ArgumentHelp("A path to report free disk at (repeatable; default /, /opt, /root).", valueName: "path"))
    var diskPaths: [String] = []

    @Option(name: .customLong("format"), help: "Output: table, csv or json.")
    var format: FactsFormat = .table

    @Option(name: .shortAndLong, help: ArgumentHelp("Hosts in flight at once.", valueName: "n"))
    var forks: Int = 50

    func validate() throws {
        guard forks >= 1 else { throw ValidationError("--forks must be at least 1") }
        if let relative = diskPaths.first(where: { !$0.hasPrefix("/") }) { throw ValidationError("--disk takes absolute paths, not '\(relative)'") }
    }

    func run() async throws {
        let inventory = try self.inventory.load()
        let targets = try connection.targets(for: self.inventory.selectHosts(from: inventory), in: inventory)
        var gatherer = FactsGatherer(forks: forks)
        if !diskPaths.isEmpty { gatherer.diskPaths = diskPaths }
        let facts = await gatherer.gather(targets)
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
