import ArgumentParser
import Foundation
import MusterCore
import MusterState

/// `--rerun failed|unreachable [--from RUN]` and `--resume RUN`: a run that picks up
/// where an earlier one (from the run history) left hosts.
struct RerunOptions: ParsableArguments {
    enum Which: String, ExpressibleByArgument, CaseIterable {
        case failed, unreachable
    }

    @Option(name: .customLong("rerun"), help: "Only the hosts that failed (or were unreachable) in an earlier run of this playbook.")
    var rerun: Which?

    @Option(name: .customLong("from"), help: ArgumentHelp("The run --rerun looks at (default: the last run of this playbook).", valueName: "run"))
    var from: String?

    @Option(
        name: .customLong("resume"),
        help: ArgumentHelp("Continue an interrupted or failed run: its hosts, skipping tasks that completed ok there.", valueName: "run"))
    var resume: String?

    func validate() throws {
        if rerun != nil, resume != nil { throw ValidationError("--rerun and --resume cannot be combined") }
        if from != nil, rerun == nil { throw ValidationError("--from goes with --rerun") }
    }

    var isRequested: Bool { rerun != nil || resume != nil }

    /// The hosts to run and, for --resume, the tasks already done; read before any host is contacted.
    func selection(playbook path: String, state: StateOptions) throws -> (hosts: Set<String>, completed: [String: Set<TaskKey>], run: String)? {
        guard isRequested else { return nil }
        guard !state.disabled else { throw UsageError("--rerun and --resume read the run history: drop --no-state") }
        let store = try StateStore(path: state.path ?? StateStore.defaultPath())
        let playbook = URL(fileURLWithPath: path).standardizedFileURL.path
        if let resume {
            let run = try store.run(resume)
            guard run.summary.command == "run", run.summary.playbook == playbook else {
                throw UsageError("run \(run.summary.id) was '\(run.summary.command) \(run.summary.playbook)', not a run of \(playbook)")
            }
            guard run.summary.playbookSHA256 == InputDigest.file(path) else {
                throw UsageError("\(path) changed since run \(run.summary.id): resume needs the same playbook (use --rerun instead)")
            }
            guard run.summary.status != .ok else { throw UsageError("run \(run.summary.id) ended ok: there is nothing to resume") }
            var completed: [String: Set<TaskKey>] = [:]
            for host in run.result.hosts {
                for task in host.tasks where task.status == .ok || task.status == .changed {
                    if let stage = task.stageIndex, let index = task.taskIndex {
                        completed[host.host, default: []].insert(TaskKey(stage: stage, task: index))
                    }
                }
            }
            return (Set(run.result.hosts.map(\.host)), completed, String(run.summary.id))
        }
        let run: StoredRun
        if let from {
            run = try store.run(from)
        } else {
            guard let latest = try store.latestRun(playbook: playbook) else { throw UsageError("the run history has no run of \(playbook) to rerun") }
            run = latest
        }
        let wanted: Set<HostState> = rerun == .failed ? [.failed] : [.unreachable]
        let hosts = Set(run.result.hosts.filter { wanted.contains($0.state) }.map(\.host))
        guard !hosts.isEmpty else { throw UsageError("run \(run.summary.id) has no \(rerun!.rawValue) host: nothing to rerun") }
        return (hosts, [:], String(run.summary.id))
    }
}
