import ArgumentParser
import Foundation
import MusterCore
import MusterSSH
import MusterState

/// What `exec` and `push` share: select hosts, check every input before touching a
/// host, run the job with live progress, print the report, exit with the right status.
struct AdHocRun {
    let run: RunOptions
    var report: ReportOptions?
    /// Where the run is recorded (`muster runs`, `show`, `--rerun`); nil records nothing.
    var state: StateOptions?
    let inventorySources: [String]
    let targets: [FleetTarget]
    let runner: FleetRunner
    /// The selected hosts' inventory variables (`push --distribute` groups by one).
    let hostVars: [String: [String: InventoryValue]]

    /// Reads the inventory, key files and known_hosts; any problem is bad input.
    init(inventory inventoryOptions: InventoryOptions, connection options: ConnectionOptions, run: RunOptions) throws {
        self.run = run
        inventorySources = inventoryOptions.inventory
        let inventory = try inventoryOptions.load()
        let hosts = try inventoryOptions.selectHosts(from: inventory)
        targets = try options.targets(for: hosts, in: inventory)
        hostVars = Dictionary(hosts.map { ($0.name, $0.vars) }, uniquingKeysWith: { first, _ in first })
        runner = FleetRunner(forks: run.forks)
    }

    /// Runs `job` on every target, prints the report, and ends the process with
    /// status 0 (all ok) or 1 (any host failed or unreachable).
    /// `afterEachHost` sees every host as it finishes; `afterAll` may amend the results
    /// (a distributed push reports relay credentials it could not remove).
    func execute(
        label: String, task: String, job: @escaping FleetRunner.Job, afterEachHost: @escaping @Sendable (String) -> Void = { _ in },
        afterAll: ([HostResult]) async -> [HostResult] = { $0 }
    ) async throws -> Never {
        let colors = TerminalColors.forOutput(STDOUT_FILENO)
        let progress = ProgressDisplay(
            mode: ProgressDisplay.mode(noProgress: run.noProgress),
            total: targets.count, colors: TerminalColors.forOutput(STDERR_FILENO))
        let clock = ContinuousClock()
        let start = clock.now
        let started = Date()
        // Opened before any host is contacted: an unusable --state is bad input.
        let recorder = try state?.recorder {
            RunStart(
                command: label, playbook: "", playbookSHA256: "", inventorySHA256: InputDigest.inventory(inventorySources),
                options: ["task": [task]], targets: targets.map(\.name), references: [], checkMode: false)
        }
        let results = await afterAll(
            await runner.run(
                targets,
                onEvent: { event in
                    progress.handle(event)
                    if case .finished(let result) = event { afterEachHost(result.host) }
                }, job: job))
        let elapsed = start.duration(to: clock.now)
        progress.finish()
        let result = RunResult(adHoc: label, task: task, results: results, started: started, duration: elapsed)
        recorder?.finish(result)
        self.report?.write(result, command: label, started: started)
        let report =
            switch run.format {
            case .text: ResultRenderer(colors: colors).render(results, elapsed: elapsed)
            case .json: try JSONReport(command: label, results: results, elapsed: elapsed).encoded() + "\n"
            }
        Console.out(report)
        Foundation.exit(RunSummary(results).allSucceeded ? 0 : 1)
    }
}

/// Passwords and passphrases: from a file, the environment or a prompt, never from
/// the command line (where `ps` and shell history would show them).
struct Secrets {
    let options: ConnectionOptions

    init(_ options: ConnectionOptions) { self.options = options }

    func password() throws -> String? {
        if let file = options.passwordFile { return try Self.read(file, what: "password") }
        if options.askPass { return try Self.prompt("SSH password: ") }
        return ProcessInfo.processInfo.environment["MUSTER_SSH_PASSWORD"]
    }

    func passphrase(for key: PrivateKeyFile) throws -> String? {
        if let file = options.passphraseFile { return try Self.read(file, what: "passphrase") }
        if let value = ProcessInfo.processInfo.environment["MUSTER_SSH_PASSPHRASE"] { return value }
        return try Self.prompt("Passphrase for \(key.path): ")
    }

    private static func read(_ path: String, what: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw UsageError("\(path): cannot read the \(what) file")
        }
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    private static func prompt(_ text: String) throws -> String {
        guard isatty(STDIN_FILENO) == 1, let answer = getpass(text) else {
            throw UsageError("\(text.dropLast(2)) needed, but there is no terminal to ask on; use a file or the environment")
        }
        return String(cString: answer)
    }
}
