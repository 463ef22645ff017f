import Foundation

/// Renders a run's results for people: identical outcomes folded into one block
/// that names its hosts (as ClusterShell's clubak does), then a summary line.
public struct ResultRenderer {
    public var colors: TerminalColors

    public init(colors: TerminalColors) { self.colors = colors }

    public func render(_ results: [HostResult], elapsed: Duration) -> String {
        var out = ""
        let groups = OutputFolding.fold(results.map { (host: $0.host, key: $0.outcome) })
        let byHost = Dictionary(results.map { ($0.host, $0) }, uniquingKeysWith: { first, _ in first })
        for group in groups {
            let durations = group.hosts.compactMap { byHost[$0]?.duration }
            out += header(group.key, hosts: group.hosts, durations: durations) + "\n"
            out += body(group.key)
        }
        out += summaryLine(RunSummary(results), elapsed: elapsed) + "\n"
        return out
    }

    public func summaryLine(_ summary: RunSummary, elapsed: Duration) -> String {
        var parts = [colors.paint("\(summary.ok) ok", .green)]
        if summary.changed > 0 { parts.append(colors.paint("\(summary.changed) changed", .yellow)) }
        parts.append(colors.paint("\(summary.failed) failed", summary.failed > 0 ? .red : .plain))
        parts.append(colors.paint("\(summary.unreachable) unreachable", summary.unreachable > 0 ? .red : .plain))
        let hosts = summary.total == 1 ? "1 host" : "\(summary.total) hosts"
        return "\(hosts): " + parts.joined(separator: ", ") + " in \(Self.seconds(elapsed))"
    }

    private func header(_ outcome: HostResult.Outcome, hosts: [String], durations: [Duration]) -> String {
        let (label, color): (String, TerminalColors.Color) =
            switch outcome.status {
            case .ok: (outcome.changed ? "changed" : "ok", outcome.changed ? .yellow : .green)
            case .failed: ("FAILED", .red)
            case .unreachable: ("UNREACHABLE", .red)
            }
        var parts = [colors.paint(NodeSet.fold(hosts), .bold), colors.paint(label, color)]
        if let status = outcome.exitStatus { parts.append("exit \(status)") }
        if let signal = outcome.exitSignal { parts.append("signal \(signal)") }
        if let slowest = durations.max(), let fastest = durations.min() {
            parts.append(fastest == slowest ? Self.seconds(slowest) : "\(Self.seconds(fastest))–\(Self.seconds(slowest))")
        }
        if hosts.count > 1 { parts.append("\(hosts.count) hosts") }
        return colors.paint("── ", .dim) + parts.joined(separator: colors.paint(" · ", .dim))
    }

    private func body(_ outcome: HostResult.Outcome) -> String {
        var out = ""
        if let message = outcome.message, outcome.exitStatus == nil || outcome.status == .ok {
            out += message + "\n"
        }
        out += Self.terminated(outcome.stdout)
        if !outcome.stderr.isEmpty {
            out += colors.paint("stderr:", .dim) + "\n" + Self.terminated(outcome.stderr)
        }
        return out
    }

    private static func terminated(_ text: String) -> String {
        text.isEmpty || text.hasSuffix("\n") ? text : text + "\n"
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f s", duration.seconds)
    }
}

extension Duration {
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
