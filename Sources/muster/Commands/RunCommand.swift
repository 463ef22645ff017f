import ArgumentParser
import MusterCore

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a playbook: preflight on all hosts at once, then the stages batch by batch.",
        discussion: """
            Every input (playbook, inventory, variables, keys) is checked before any host is contacted. \
            Ctrl-C once stops new work and lets running tasks finish; twice cancels them.

            Exit status: 0 all ok, 1 some host failed or was unreachable, 2 bad input, \
            3 preflight blocked the rollout, 130 interrupted.

            Example: muster run playbooks/ums-ha-join.yml -i inventories/testbed.yml -e @secrets.yml
            """
    )

    @OptionGroup var playbook: PlaybookOptions
    @OptionGroup(title: "Inventory") var inventory: InventoryOptions
    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @OptionGroup(title: "Report") var report: ReportOptions
    @OptionGroup(title: "Run history") var state: StateOptions
    @OptionGroup(title: "Re-runs") var rerun: RerunOptions

    @Flag(name: .customLong("check"), help: "Run the preflight and print the plan; change nothing.")
    var check = false

    @Flag(name: .customLong("yes"), help: "Answer yes to the playbook's confirmation pauses.")
    var yes = false

    func run() async throws {
        try await PlaybookRun(inventory: inventory, connection: connection, options: playbook, state: state, report: report, rerun: rerun)
            .execute(checkMode: check, preflightOnly: false, assumeYes: yes)
    }
}

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run only a playbook's preflight checks (read-only) and report them.",
        discussion: "Exit status: 0 all checks pass, 2 bad input, 3 preflight would block the rollout."
    )

    @OptionGroup var playbook: PlaybookOptions
    @OptionGroup(title: "Inventory") var inventory: InventoryOptions
    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @OptionGroup(title: "Report") var report: ReportOptions
    @OptionGroup(title: "Run history") var state: StateOptions

    func run() async throws {
        try await PlaybookRun(inventory: inventory, connection: connection, options: playbook, state: state, report: report)
            .execute(checkMode: false, preflightOnly: true)
    }
}
