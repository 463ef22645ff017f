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

    func validate() throws {
        guard let value = Int(mode, radix: 8), (0...0o7777).contains(value) else {
            throw ValidationError("--mode must be an octal mode such as 0644, not '\(mode)'")
        }
        guard destination.hasPrefix("/") else {
            throw ValidationError("dest must be an absolute path on the hosts, not '\(destination)'")
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
        try await adHoc.execute(
            label: "push", task: "push \(source) to \(target)",
            job: AdHocJobs.push(
                file, to: target, mode: Int(mode, radix: 8)!,
                owner: owner, timeout: run.commandTimeout))
    }
}
