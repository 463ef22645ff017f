/// The end of a run, as Ansible's PLAY RECAP reads plus what Ansible leaves out: the
/// batches as they ran, every ignored preflight error, and why each host that is not
/// ok ended where it did.
public struct Recap {
    let colors: TerminalColors

    public init(colors: TerminalColors) { self.colors = colors }

    public func render(_ result: RunResult) -> String {
        var lines: [String] = []
        let ignored = result.hosts.flatMap { host in host.checks.filter(\.ignored).map { (host.host, $0) } }
        if !ignored.isEmpty {
            lines.append("IGNORED PREFLIGHT ERRORS (--ignore-preflight \(result.ignoredChecks.joined(separator: ",")))")
            for (host, check) in ignored { lines.append("  \(host): \(check.name): \(check.message)") }
        }
        if !result.batches.isEmpty {
            lines.append("BATCHES")
            for batch in result.batches {
                let failed = batch.failed.isEmpty ? "ok" : colors.paint("failed: \(NodeSet.fold(batch.failed))", .red)
                lines.append("  \(batch.stage) #\(batch.number)  \(NodeSet.fold(batch.hosts))  \(RunLog.seconds(batch.duration))  \(failed)")
            }
        }
        lines.append(result.checkMode ? "PLAY RECAP (check mode: nothing was changed)" : "PLAY RECAP")
        let width = max(8, result.hosts.map(\.host.count).max() ?? 0)
        for host in result.hosts {
            let name = host.host.padding(toLength: width, withPad: " ", startingAt: 0)
            let counts =
                "ok=\(host.count(.ok))  changed=\(host.count(.changed))  unreachable=\(host.count(.unreachable))  "
                + "failed=\(host.count(.failed))  skipped=\(host.count(.skipped))  ignored=\(host.tasks.filter(\.ignored).count)"
            let failedChecks = host.checks.filter { $0.status == .failed }.count
            let preflight = host.checks.isEmpty ? "" : failedChecks == 0 ? "  preflight=passed" : "  preflight=\(failedChecks) failed"
            var line = "\(name) : \(stateLabel(host.state))  \(counts)\(preflight)"
            if let failure = host.failure { line += "\n\(String(repeating: " ", count: width + 3))\(failure)" }
            lines.append(line)
        }
        lines.append(summary(result))
        return lines.joined(separator: "\n") + "\n"
    }

    private func stateLabel(_ state: HostState) -> String {
        let text = state.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
        switch state {
        case .ok: return colors.paint(text, .green)
        case .failed, .unreachable, .blocked: return colors.paint(text, .red)
        case .notRun: return colors.paint(text, .yellow)
        }
    }

    private func summary(_ result: RunResult) -> String {
        var counts: [String] = []
        for state in [HostState.ok, .failed, .unreachable, .blocked, .notRun] {
            let count = result.hosts.filter { $0.state == state }.count
            if count > 0 { counts.append("\(count) \(state.rawValue)") }
        }
        var why = ""
        switch result.stop {
        case .preflightBlocked?: why = "; preflight blocked the rollout"
        case .batchFailed(let stage, let batch, let reason)?: why = "; stopped after \(stage) batch \(batch): \(reason)"
        case .interrupted?: why = "; interrupted"
        case .declined(let stage, let batch)?: why = "; \(stage) batch \(batch) not confirmed"
        case nil: break
        }
        return "RESULT \(counts.joined(separator: ", ")) in \(RunLog.seconds(result.duration))\(why) (exit status \(result.exitStatus))"
    }
}
