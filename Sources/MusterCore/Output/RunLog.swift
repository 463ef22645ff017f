import Foundation

/// The run as it happens, one timestamped line per event on stdout, the way Ansible's
/// default output reads: stages, batches, each host's task results, preflight findings.
public final class RunLog: Sendable {
    private let colors: TerminalColors
    /// Lines for every task result, or only for failures and changes.
    private let verbose: Bool

    public init(colors: TerminalColors, verbose: Bool = true) {
        self.colors = colors
        self.verbose = verbose
    }

    public func handle(_ event: RunEvent) {
        guard let line = line(for: event) else { return }
        let time = Date().formatted(.iso8601.time(includingFractionalSeconds: false))
        Console.out("\(time) \(line)\n")
    }

    func line(for event: RunEvent) -> String? {
        switch event {
        case .preflightStarted(let targets, let references):
            return "PREFLIGHT \(targets) target host\(targets == 1 ? "" : "s")" + (references > 0 ? ", \(references) reference" : "")
        case .checksFinished(let host, let results, let reference):
            let failed = results.filter { $0.status == .failed }
            if failed.isEmpty { return verbose ? "  \(host)\(reference ? " (reference)" : ""): \(results.count) checks passed" : nil }
            return failed.map { result in
                let label =
                    result.ignored ? colors.paint("ignored", .yellow)
                    : result.severity == .error ? colors.paint("ERROR", .red) : colors.paint("warning", .yellow)
                return "  \(host): \(label) \(result.name): \(result.message)"
            }.joined(separator: "\n")
        case .preflightFinished(let blocked, let policy):
            if blocked.isEmpty { return "PREFLIGHT passed" }
            let names = NodeSet.fold(blocked)
            return colors.paint(
                policy == .allOrNothing
                    ? "PREFLIGHT blocked the rollout (all-or-nothing): errors on \(names); nothing was changed on any host"
                    : "PREFLIGHT blocked \(names) (per-host); the other hosts go on", .red)
        case .stageStarted(let stage, let batches):
            return "STAGE \(stage): \(batches.map(\.count).reduce(0, +)) hosts in \(batches.count) batch\(batches.count == 1 ? "" : "es") "
                + "(\(batches.map { String($0.count) }.joined(separator: ", ")))"
        case .batchStarted(let stage, let number, let count, let hosts):
            return "BATCH \(number)/\(count) of \(stage): \(NodeSet.fold(hosts))"
        case .taskStarted, .bytesSent:
            return nil
        case .taskFinished(let host, let result):
            if !verbose, result.status == .ok || result.status == .skipped { return nil }
            let status = TaskLabel.paint(result.status, ignored: result.ignored, colors: colors)
            let message = result.message.isEmpty ? "" : ": \(result.message)"
            return "  \(host) \(status) \(result.task) (\(Self.seconds(result.duration)))\(message)\(Self.copyPath(result))"
        case .batchFinished(let record):
            let failed = record.failed.isEmpty ? "" : ", failed: \(NodeSet.fold(record.failed))"
            return "BATCH \(record.number) of \(record.stage) done in \(Self.seconds(record.duration)): "
                + "\(record.hosts.count - record.failed.count)/\(record.hosts.count) ok\(failed)"
        case .pausing(let text):
            return "PAUSE \(text)"
        case .distributing(let text):
            return text
        case .stopping(let text):
            return colors.paint("STOP \(text)", .red)
        case .planned(let hosts, _, _, let line):
            return "  \(NodeSet.fold(hosts)): \(line)"
        }
    }

    /// ` [relay host003]`: a copy's path when it says more than its message does (a
    /// plain direct or unchanged copy says nothing new).
    static func copyPath(_ result: TaskResult) -> String {
        guard let path = result.copyPath, path != "direct", path != "unchanged" else { return "" }
        return " [\(path)]"
    }

    static func seconds(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.1fs", seconds)
    }
}

enum TaskLabel {
    static func paint(_ status: TaskStatus, ignored: Bool, colors: TerminalColors) -> String {
        if ignored { return colors.paint("failed (ignored)", .yellow) }
        switch status {
        case .ok: return colors.paint("ok", .green)
        case .changed: return colors.paint("changed", .yellow)
        case .skipped: return colors.paint("skipped", .plain)
        case .failed: return colors.paint("FAILED", .red)
        case .unreachable: return colors.paint("UNREACHABLE", .red)
        }
    }
}
