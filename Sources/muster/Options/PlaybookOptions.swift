import ArgumentParser
import MusterCore

/// What `run` and `check` share: the playbook, extra variables, ignored checks.
struct PlaybookOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The playbook (YAML).", valueName: "playbook"))
    var playbook: String

    @Option(
        name: [.customShort("e"), .customLong("extra-vars")],
        help: ArgumentHelp("key=value, @file.yml or a YAML/JSON mapping; wins over every other variable. Repeatable.", valueName: "vars"))
    var extraVars: [String] = []

    @Option(
        name: .customLong("ignore-preflight"),
        help: ArgumentHelp("Turn these preflight errors into warnings (comma-separated check names); the recap lists them.", valueName: "names"))
    var ignorePreflight: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("Hosts in flight at once.", valueName: "n"))
    var forks: Int = 50

    @Flag(name: .customLong("quiet"), help: "Print only failures, changes and the recap.")
    var quiet = false

    @Flag(name: .customLong("no-progress"), help: "No live status block on a terminal: plain timestamped lines only.")
    var noProgress = false

    func validate() throws {
        guard forks >= 1 else { throw ValidationError("--forks must be at least 1") }
    }

    var ignoredChecks: Set<String> {
        Set(ignorePreflight.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } })
    }
}
