import ArgumentParser
import Foundation
import MusterCore
import MusterSSH
import MusterState

/// What `run` and `check` share: load and check every input before touching a host,
/// run the engine with Ctrl-C handling, print the recap, exit with the run's status.
struct PlaybookRun {
    let inventory: InventoryOptions
    let connection: ConnectionOptions
    let options: PlaybookOptions
    let state: StateOptions
    var report: ReportOptions?
    var rerun: RerunOptions?

    func execute(checkMode: Bool, preflightOnly: Bool, assumeYes: Bool = false) async throws -> Never {
        let playbook = try PlaybookParser.load(path: options.playbook)
        let inventory = try self.inventory.load()
        let extraVars = try ExtraVars.parse(options.extraVars, relativeTo: FileManager.default.currentDirectoryPath)
        let selection = try rerun?.selection(playbook: options.playbook, state: state)
        if let selection {
            Console.out("\(rerun?.resume != nil ? "resuming" : "re-running") run \(selection.run): \(NodeSet.fold(selection.hosts.sorted()))\n")
        }
        let plan = try RunPlan.make(
            playbook: playbook, inventory: inventory, limit: self.inventory.limit, extraVars: extraVars, only: selection?.hosts)
        let unknownIgnores = options.ignoredChecks.subtracting(playbook.preflight.checks.map(\.name))
        if !unknownIgnores.isEmpty {
            throw UsageError(
                "--ignore-preflight names no check of this playbook: \(unknownIgnores.sorted().joined(separator: ", ")) "
                    + "(its checks: \(playbook.preflight.checks.map(\.name).joined(separator: ", ")))")
        }
        let hosts = (plan.targets + plan.references).compactMap(inventory.host(named:))
        let targets = try connection.targets(for: hosts, in: inventory)

        var settings = RunSettings()
        settings.checkMode = checkMode
        settings.completedTasks = selection?.completed ?? [:]
        settings.resumedRun = selection?.run
        settings.preflightOnly = preflightOnly
        settings.ignorePreflight = options.ignoredChecks
        settings.forks = options.forks
        settings.extraVars = extraVars
        settings.confirm = { prompt in assumeYes || Confirmation.ask(prompt) }
        let colors = TerminalColors.forOutput(STDOUT_FILENO)
        let display = PlaybookDisplay(
            log: RunLog(colors: colors, verbose: !options.quiet), mode: PlaybookDisplay.mode(noProgress: options.noProgress), colors: colors)
        let recorder = try state.recorder {
            RunStart(
                command: preflightOnly ? "check" : "run", playbook: URL(fileURLWithPath: options.playbook).standardizedFileURL.path,
                playbookSHA256: InputDigest.file(options.playbook), inventorySHA256: InputDigest.inventory(self.inventory.inventory),
                options: recordedOptions(extraVars: extraVars, checkMode: checkMode, assumeYes: assumeYes), targets: plan.targets,
                references: plan.references, checkMode: checkMode)
        }
        let stop = StopSignal()
        let engine = PlaybookEngine(
            plan: plan, connections: Dictionary(targets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
            settings: settings, stop: stop,
            onEvent: { event in
                display.handle(event)
                recorder?.record(event)
            })
        let started = Date()
        let run = Task { await engine.run() }
        let interrupts = Interrupts(stop: stop) { run.cancel() }
        let result = await run.value
        interrupts.remove()
        display.finish()
        recorder?.finish(result)
        report?.write(result, command: preflightOnly ? "check" : "run", started: started)
        Console.out(Recap(colors: TerminalColors.forOutput(STDOUT_FILENO)).render(result))
        Foundation.exit(result.exitStatus)
    }

    /// The options the history keeps: what was asked, never a secret (`-e` gives its keys only).
    private func recordedOptions(extraVars: [String: InventoryValue], checkMode: Bool, assumeYes: Bool) -> [String: [String]] {
        var recorded: [String: [String]] = ["inventory": inventory.inventory, "forks": [String(options.forks)]]
        if let limit = inventory.limit { recorded["limit"] = [limit] }
        if !extraVars.isEmpty { recorded["extra_var_keys"] = extraVars.keys.sorted() }
        if !options.ignoredChecks.isEmpty { recorded["ignore_preflight"] = options.ignoredChecks.sorted() }
        if checkMode { recorded["check"] = ["true"] }
        if assumeYes { recorded["yes"] = ["true"] }
        return recorded
    }
}

/// Ctrl-C: the first stops new work (running tasks finish), the second cancels them.
final class Interrupts {
    private let source: DispatchSourceSignal

    init(stop: StopSignal, cancel: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            if stop.isRequested {
                Console.err("\nmuster: second Ctrl-C: cancelling running tasks\n")
                cancel()
            } else {
                Console.err("\nmuster: Ctrl-C: no new work starts; running tasks finish (Ctrl-C again to cancel them)\n")
                stop.request()
            }
        }
        source.resume()
    }

    func remove() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

/// `pause: {prompt: …}`: asks on the terminal; without one the answer is no.
enum Confirmation {
    static func ask(_ prompt: String) -> Bool {
        guard let tty = fopen("/dev/tty", "r+") else { return false }
        defer { fclose(tty) }
        fputs("\(prompt) [y/N] ", tty)
        fflush(tty)
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        guard getline(&line, &capacity, tty) > 0, let line else { return false }
        return ["y", "yes"].contains(String(cString: line).trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
    }
}
