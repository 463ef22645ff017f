import ArgumentParser
import Foundation
import MusterCore
import MusterSSH

struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Copy a file to every selected host, verified and atomic.",
        discussion: """
            The file goes to a temporary name beside DEST, its SHA-256 is checked on the host, \
            and only then is it renamed into place with the requested mode and owner. A host \
            that already has the same content is skipped; nothing is sent to it.

            Example: muster push -i inventories/testbed.ini bundle.bin /opt/setup.bin --mode 0755
            """
    )

    @OptionGroup(title: "Inventory") var inventory: InventoryOptions
    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @OptionGroup(title: "Run") var run: RunOptions
    @OptionGroup(title: "Run history") var state: StateOptions
    @OptionGroup(title: "Report") var report: ReportOptions

    @Argument(help: ArgumentHelp("Local file to send.", valueName: "src"))
    var source: String

    @Argument(help: ArgumentHelp("Remote path (a path ending in / gets the source's file name).", valueName: "dest"))
    var destination: String

    @Option(help: ArgumentHelp("Octal file mode on the hosts.", valueName: "mode"))
    var mode: String = "0644"

    @Option(help: ArgumentHelp("Owner on the hosts, user or user:group (default: the login user).", valueName: "owner"))
    var owner: String?

    @Option(
        help: ArgumentHelp(
            "per-datacenter[=VAR]: send the file once per datacenter (hosts grouped by the inventory variable VAR, default "
                + "datacenter) to a relay host that copies it on to the others; see docs/distribution.md.", valueName: "how"))
    var distribute: String?

    func validate() throws {
        guard let value = Int(mode, radix: 8), (0...0o7777).contains(value) else {
            throw ValidationError("--mode must be an octal mode such as 0644, not '\(mode)'")
        }
        guard destination.hasPrefix("/") else {
            throw ValidationError("dest must be an absolute path on the hosts, not '\(destination)'")
        }
        if let distribute, CopyDistribution.parse(distribute) == nil {
            throw ValidationError("--distribute must be per-datacenter or per-datacenter=VARIABLE, not '\(distribute)'")
        }
    }

    func run() async throws {
        let file: LocalFile
        do {
            file = try LocalFile(path: source)
        } catch let error as SSHError {
            throw UsageError(error.message)
        }
        var adHoc = try AdHocRun(inventory: inventory, connection: connection, run: run)
        adHoc.state = state
        adHoc.report = report
        let target = destination.hasSuffix("/") ? destination + (source as NSString).lastPathComponent : destination
        let ledger = RelayLedger()
        let round = distribute.flatMap(CopyDistribution.parse).map { distribution in
            DistributionRound(
                distribution: distribution, hosts: adHoc.targets.map(\.name),
                groupOf: adHoc.hostVars.compactMapValues { $0[distribution.groupBy]?.description }, forks: run.forks, ledger: ledger
            ) { line in Console.err(line + "\n") }
        }
        let connections = Dictionary(adHoc.targets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let loops = adHoc.runner.loops
        try await adHoc.execute(
            label: "push", task: "push \(source) to \(target)",
            job: AdHocJobs.push(
                file, to: target, mode: Int(mode, radix: 8)!,
                owner: owner, timeout: run.commandTimeout, round: round),
            afterEachHost: { host in if let round { Task { await round.finish(host) } } },
            afterAll: { results in
                // Relay credentials a round could not remove itself: once more, then a failure of the host.
                let failures = await ledger.sweep(targets: connections, loops: loops)
                return results.map { result in
                    let left = failures.filter { $0.host == result.host }.map(\.message)
                    guard !left.isEmpty else { return result }
                    var result = result
                    result.outcome.status = .failed
                    result.outcome.message = ([result.outcome.message].compactMap { $0 } + left).joined(separator: "; ")
                    return result
                }
            })
    }
}
