import ArgumentParser
import Foundation
import MusterCore
import MusterState

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a recorded run's recap again, and with --host that host's tasks in detail.",
        discussion: """
            RUN is a run id from `muster runs`, or `last`.

            Example: muster show last --host web1
            """
    )

    @Argument(help: ArgumentHelp("A run id, or 'last'.", valueName: "run"))
    var runReference: String

    @Option(help: ArgumentHelp("Also show this host's checks and tasks: status, duration, message, output.", valueName: "host"))
    var host: String?

    @Option(
        name: .customLong("state"),
        help: ArgumentHelp("The run history database (default: $XDG_STATE_HOME/muster/muster.db).", valueName: "path"))
    var state: String?

    @OptionGroup(title: "Report") var report: ReportOptions

    func run() throws {
        let path = state ?? StateStore.defaultPath()
        guard FileManager.default.fileExists(atPath: path) else { throw StateError("no runs recorded: \(path) does not exist") }
        let stored = try StateStore(path: path).run(runReference)
        let colors = TerminalColors.forOutput(STDOUT_FILENO)
        let summary = stored.summary
        var header =
            "RUN \(summary.id)  muster \(summary.command)" + (summary.playbook.isEmpty ? "" : " \(RunTime.displayPath(summary.playbook))")
            + "  started \(RunTime.text(summary.started))"
        if let ended = summary.ended { header += "  ended \(RunTime.text(ended))" }
        header += "  " + RunTime.paint(summary.status, summary.status.rawValue, colors: colors)
        if summary.ended == nil, let reason = summary.stopReason { header += " (\(reason))" }
        Console.out(header + "\n")
        if let name = host {
            guard let hostRun = (stored.result.hosts + stored.result.references).first(where: { $0.host == name }) else {
                throw StateError("run \(summary.id) has no host '\(name)' (its hosts: \(NodeSet.fold(stored.result.hosts.map(\.host))))")
            }
            Console.out(HostDetail(colors: colors).render(hostRun))
        }
        Console.out(Recap(colors: colors).render(stored.result))
        report.write(stored.result, command: summary.command, started: summary.started)
    }
}

/// One host of a past run: its preflight checks, then every task with its output tails.
struct HostDetail {
    let colors: TerminalColors

    func render(_ host: HostRun) -> String {
        var lines = ["HOST \(host.host): \(host.state.rawValue)" + (host.failure.map { " (\($0))" } ?? "")]
        for check in host.checks {
            let status = check.status == .passed ? "passed" : check.ignored ? "ignored" : check.severity == .error ? "ERROR" : "warning"
            lines.append("  preflight \(check.name): \(status): \(check.message)")
        }
        for task in host.tasks {
            let batch = task.batch > 0 ? " #\(task.batch)" : ""
            var line = "  [\(task.stage)\(batch)] \(task.task): \(statusLabel(task)) (\(seconds(task.duration)))"
            if let exit = task.exitStatus { line += " exit \(exit)" }
            lines.append(line)
            if !task.message.isEmpty { lines.append("      \(task.message)") }
            if let path = task.copyPath { lines.append("      path: \(path)") }
            for (name, tail) in [("stdout", task.stdoutTail), ("stderr", task.stderrTail)] where !tail.isEmpty {
                lines.append("      \(name):")
                for outputLine in tail.split(separator: "\n", omittingEmptySubsequences: false).dropLast(tail.hasSuffix("\n") ? 1 : 0) {
                    lines.append("        \(outputLine)")
                }
            }
        }
        if host.tasks.isEmpty { lines.append("  no task results recorded") }
        return lines.joined(separator: "\n") + "\n"
    }

    private func statusLabel(_ task: TaskResult) -> String {
        if task.ignored { return colors.paint("failed (ignored)", .yellow) }
        switch task.status {
        case .ok: return colors.paint("ok", .green)
        case .changed: return colors.paint("changed", .yellow)
        case .skipped: return "skipped"
        case .failed: return colors.paint("FAILED", .red)
        case .unreachable: return colors.paint("UNREACHABLE", .red)
        }
    }

    private func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.1fs", value)
    }
}
