import Foundation

/// Live progress on stderr: one redrawn status line on a terminal, plain timestamped
/// lines otherwise (logs and CI), nothing with `--no-progress`.
public final class ProgressDisplay: @unchecked Sendable {
    // @unchecked Sendable: all state is guarded by `lock`.
    public enum Mode: Sendable { case terminal, lines, off }

    private let mode: Mode
    private let total: Int
    private let colors: TerminalColors
    private let lock = NSLock()
    private var running = 0
    private var summary = RunSummary([])
    private var lastDraw = ContinuousClock.now - .seconds(1)

    public init(mode: Mode, total: Int, colors: TerminalColors) {
        self.mode = mode
        self.total = total
        self.colors = colors
    }

    public static func mode(noProgress: Bool) -> Mode {
        noProgress ? .off : (isatty(STDERR_FILENO) == 1 ? .terminal : .lines)
    }

    public func handle(_ event: FleetEvent) {
        lock.withLock {
            switch event {
            case .started:
                running += 1
            case .finished(let result):
                running -= 1
                summary = RunSummary(mergingInto: summary, result)
                if mode == .lines { printLine(result) }
            }
            if mode == .terminal { redraw() }
        }
    }

    /// Clears the status line before the final report is printed.
    public func finish() {
        lock.withLock {
            if mode == .terminal { Console.err("\r\u{1B}[K") }
        }
    }

    private func printLine(_ result: HostResult) {
        let time = Date().formatted(.iso8601.time(includingFractionalSeconds: false))
        var line = "\(time) \(result.host) \(result.status.rawValue)"
        if result.outcome.changed { line += " changed" }
        line += " \(ResultRenderer.seconds(result.duration))"
        if result.status != .ok, let message = result.outcome.message { line += ": \(message)" }
        Console.err(line + "\n")
    }

    private func redraw() {
        let now = ContinuousClock.now
        let done = summary.total
        guard done == total || now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = now
        let width = 24
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line =
            "\r\u{1B}[K\(bar) \(done)/\(total)  \(colors.paint("\(summary.ok) ok", .green))  "
            + "\(colors.paint("\(summary.failed) failed", summary.failed > 0 ? .red : .plain))  "
            + "\(colors.paint("\(summary.unreachable) unreachable", summary.unreachable > 0 ? .red : .plain))  \(running) running"
        Console.err(line)
    }
}

extension RunSummary {
    init(mergingInto summary: RunSummary, _ result: HostResult) {
        self = summary
        let one = RunSummary([result])
        ok += one.ok
        changed += one.changed
        failed += one.failed
        unreachable += one.unreachable
    }
}
