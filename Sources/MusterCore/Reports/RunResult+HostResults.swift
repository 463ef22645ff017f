import Foundation

extension RunResult {
    /// `exec` and `push` results as a one-task run (stage `exec`/`push`, batch 1), so
    /// one reporting path serves every command. Output is cut to the tail the engine
    /// keeps for playbook tasks, so a chatty command does not bloat the report.
    public init(adHoc command: String, task: String, results: [HostResult], started: Date, duration: Duration) {
        let hosts = results.map { result -> HostRun in
            var run = HostRun(host: result.host)
            let outcome = result.outcome
            let status: TaskStatus =
                switch outcome.status {
                case .ok: outcome.changed ? .changed : .ok
                case .failed: .failed
                case .unreachable: .unreachable
                }
            var message = outcome.message ?? ""
            if let signal = outcome.exitSignal { message += (message.isEmpty ? "" : "; ") + "killed by signal \(signal)" }
            run.tasks = [
                TaskResult(
                    task: task, stage: command, batch: 1, status: status, message: message, started: started,
                    duration: result.duration, exitStatus: outcome.exitStatus,
                    stdoutTail: OutputTail.of(outcome.stdout), stderrTail: OutputTail.of(outcome.stderr))
            ]
            run.tasks[0].copyPath = outcome.copyPath
            switch outcome.status {
            case .ok: run.state = .ok
            case .failed: run.state = .failed
            case .unreachable: run.state = .unreachable
            }
            if outcome.status != .ok { run.failure = message.isEmpty ? outcome.status.rawValue : message }
            return run
        }
        let batch = BatchRecord(
            stage: command, number: 1, hosts: results.map(\.host),
            failed: results.filter { $0.status != .ok }.map(\.host), duration: duration)
        self.init(playbook: "", hosts: hosts, batches: [batch], duration: duration)
    }

}
