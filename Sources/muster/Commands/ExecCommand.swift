import ArgumentParser
import MusterCore

struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command on every selected host.",
        discussion: """
            The command runs through the login shell of the remote user, as with ssh. \
            Identical results are printed once, with the hosts that share them.

            Example: muster exec -i inventories/testbed.ini -l 'web*' -- uptime
            """
    )

    @OptionGroup(title: "Inventory") var inventory: InventoryOptions
    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @OptionGroup(title: "Run") var run: RunOptions
    @OptionGroup(title: "Run history") var state: StateOptions
    @OptionGroup(title: "Report") var report: ReportOptions

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command to run (after --).", valueName: "command"))
    var command: [String] = []

    func validate() throws {
        // Everything after the first unknown word is passed through, so without a required
        // `--` a mistyped option (`--forsk 5`) would run on every host as a command.
        guard let first = command.first else { throw ValidationError("give the command to run after --") }
        guard first == "--" else {
            throw ValidationError("unknown option or missing '--' before the command: '\(first)' (write: muster exec -i INVENTORY -- COMMAND)")
        }
        guard command.count > 1 else { throw ValidationError("give the command to run after --") }
    }

    func run() async throws {
        let words = Array(command.dropFirst())
        var adHoc = try AdHocRun(inventory: inventory, connection: connection, run: run)
        adHoc.state = state
        adHoc.report = report
        let line = words.joined(separator: " ")
        try await adHoc.execute(label: "exec", task: line, job: AdHocJobs.exec(line, timeout: run.commandTimeout))
    }
}
