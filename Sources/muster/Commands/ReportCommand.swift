import ArgumentParser
import Foundation
import MusterCore
import MusterState

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report the latest stored facts per host, grouped, or what drifted between gatherings.",
        discussion: """
            Reads what `muster facts` stored; contacts no host. The selected inventory hosts \
            are grouped by inventory variables or fact fields (\(FleetFacts.fieldNames.joined(separator: ", "))), \
            with a count per group; hosts never gathered are listed as "no facts yet".

            --drift compares each host's latest gathering with its previous one, or with its \
            last gathering in facts run RUN or before, or at or before DATE (--since): UMS \
            version, OS, kernel and service changes, clock offsets over --clock-limit, free disk \
            falling under --disk-limit, hosts that no longer answer. It exits 0 either way.

            Examples:
              muster report -i inventories/testbed.yml --group-by datacenter,ums_version
              muster report -i inventories/testbed.yml --format html --output fleet.html
              muster report -i inventories/testbed.yml --drift --since 2025-03-01
            """
    )

    @OptionGroup(title: "Inventory") var inventory: InventoryOptions

    @Option(
        name: .customLong("group-by"),
        help: ArgumentHelp("Inventory variables or fact fields to group by, comma-separated (repeatable).", valueName: "var[,var]"))
    var groupBy: [String] = []

    @Option(name: .customLong("format"), help: "Output: table, csv, json or html (--drift: table, csv or json).")
    var format: FactsReportFormat = .table

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(
        name: .customLong("state"),
        help: ArgumentHelp("The state database (default: $XDG_STATE_HOME/muster/muster.db).", valueName: "path"))
    var state: String?

    @Flag(help: "Report what changed per host between gatherings instead of the latest facts.")
    var drift = false

    @Option(
        help: ArgumentHelp(
            "With --drift: compare with facts run RUN or the last gathering at or before DATE (ISO 8601).", valueName: "run|date"))
    var since: String?

    @Option(
        name: .customLong("clock-limit"),
        help: ArgumentHelp("With --drift: clock offsets over this are reported (default 60).", valueName: "seconds"))
    var clockLimit: Double?

    @Option(
        name: .customLong("disk-limit"),
        help: ArgumentHelp("With --drift: free disk falling under this is reported (default 1024).", valueName: "MB"))
    var diskLimit: Int?

    var groupKeys: [String] {
        groupBy.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func validate() throws {
        if drift {
            if !groupBy.isEmpty { throw ValidationError("--group-by does not go with --drift") }
            if format == .html { throw ValidationError("--drift reports as table, csv or json, not html") }
        } else {
            for (option, given) in [("--since", since != nil), ("--clock-limit", clockLimit != nil), ("--disk-limit", diskLimit != nil)]
            where given {
                throw ValidationError("\(option) goes with --drift")
            }
        }
        if let clockLimit, !(clockLimit >= 0) { throw ValidationError("--clock-limit must be a number of seconds, 0 or more") }
        if let diskLimit, diskLimit < 0 { throw ValidationError("--disk-limit must be a number of megabytes, 0 or more") }
        if let output, output.isEmpty { throw ValidationError("--output needs a file name") }
    }

    func run() throws {
        let path = state ?? StateStore.defaultPath()
        guard FileManager.default.fileExists(atPath: path) else {
            throw StateError("no facts recorded: \(path) does not exist (gather some with muster facts -i ... first)")
        }
        let baseline = try since.map { try FactsBaseline.parse($0) } ?? .previous
        let inventory = try self.inventory.load()
        let hosts = try self.inventory.selectHosts(from: inventory)
        let store = try StateStore(path: path)
        let text: String
        if drift {
            var limits = FactsDrift.Limits()
            if let clockLimit { limits.clockSeconds = clockLimit }
            if let diskLimit { limits.diskFreeMB = diskLimit }
            let report = try store.driftReport(for: hosts.map(\.name), since: baseline, limits: limits)
            switch format {
            case .table: text = report.table()
            case .csv: text = report.csv()
            case .json: text = try report.json()
            case .html: preconditionFailure("validate() refuses --drift --format html")
            }
        } else {
            let report = try store.factsReport(for: hosts, groupBy: groupKeys)
            switch format {
            case .table: text = report.table()
            case .csv: text = report.csv()
            case .json: text = try report.json()
            case .html: text = report.html()
            }
        }
        if let output {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw StateError("cannot write the report to \(output): \(error.localizedDescription)")
            }
        } else {
            Console.out(text)
        }
    }
}

enum FactsReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json, html
}
