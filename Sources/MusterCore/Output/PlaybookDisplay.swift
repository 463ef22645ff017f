import Foundation

/// What a playbook run shows while it runs. Not on a terminal (or with `--no-progress`):
/// the run log's timestamped lines, one per event. On a terminal: the same lines
/// scroll above a status block that is redrawn in place, one line per stage with a
/// progress bar, ok / failed / running counts, upload throughput, and the slowest
/// hosts still running.
public final class PlaybookDisplay: @unchecked Sendable {
    // @unchecked Sendable: every mutable field is guarded by `lock`; the timer only calls `tick`.
    public enum Mode: Sendable { case terminal, lines }

    private let log: RunLog
    private let mode: Mode
    private let colors: TerminalColors
    private let lock = NSLock()
    private var stages: [StageProgress] = []
    private var drawnLines = 0
    private var timer: DispatchSourceTimer?

    public init(log: RunLog, mode: Mode, colors: TerminalColors) {
        self.log = log
        self.mode = mode
        self.colors = colors
        if mode == .terminal {
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(deadline: .now() + 0.5, repeating: 0.5)
            timer.setEventHandler { [weak self] in self?.tick() }
            timer.resume()
            self.timer = timer
        }
    }

    public static func mode(noProgress: Bool) -> Mode {
        !noProgress && isatty(STDOUT_FILENO) == 1 ? .terminal : .lines
    }

    public func handle(_ event: RunEvent) {
        guard mode == .terminal else {
            log.handle(event)
            return
        }
        lock.withLock {
            update(with: event)
            let line = log.line(for: event).map { "\(Self.time()) \($0)" }
            redraw(printing: line)
        }
    }

    /// Removes the status block before the recap is printed.
    public func finish() {
        timer?.cancel()
        guard mode == .terminal else { return }
        lock.withLock {
            Console.out(clearBlock())
            drawnLines = 0
        }
    }

    private func tick() {
        lock.withLock { redraw(printing: nil) }
    }

    private func update(with event: RunEvent) {
        let now = ContinuousClock.now
        switch event {
        case .stageStarted(let stage, let batches):
            stages.append(StageProgress(name: stage, total: batches.map(\.count).reduce(0, +), started: now))
        case .taskStarted(let host, _):
            guard var stage = stages.popLast() else { return }
            if stage.running[host] == nil { stage.running[host] = now }
            stages.append(stage)
        case .taskFinished(let host, let result):
            guard var stage = stages.popLast() else { return }
            if result.status == .failed && !result.ignored || result.status == .unreachable { stage.failedHosts.insert(host) }
            stages.append(stage)
        case .batchFinished(let record):
            guard var stage = stages.popLast() else { return }
            for host in record.hosts {
                stage.running[host] = nil
                if !record.failed.contains(host) { stage.ok += 1 }
            }
            stage.failed += record.failed.count
            if stage.ok + stage.failed >= stage.total { stage.ended = now }
            stages.append(stage)
        case .bytesSent(_, let bytes):
            guard var stage = stages.popLast() else { return }
            stage.bytes += bytes
            stages.append(stage)
        default:
            break
        }
    }

    private func redraw(printing line: String?) {
        var output = clearBlock()
        if let line { output += line + "\n" }
        let block = stages.suffix(6).map(render)
        output += block.map { $0 + "\n" }.joined()
        drawnLines = block.count
        Console.out(output)
    }

    /// Moves up over the last block and clears it.
    private func clearBlock() -> String {
        drawnLines == 0 ? "" : "\u{1B}[\(drawnLines)F\u{1B}[J"
    }

    private func render(_ stage: StageProgress) -> String {
        let now = ContinuousClock.now
        let done = stage.ok + stage.failed
        let width = 20
        let filled = stage.total == 0 ? width : min(width, done * width / stage.total)
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        var line =
            "\(stage.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(bar) \(done)/\(stage.total)  "
            + colors.paint("\(stage.ok) ok", .green) + "  "
            + colors.paint("\(stage.failed) failed", stage.failed > 0 ? .red : .plain) + "  \(stage.running.count) running"
        let seconds = Self.seconds(stage.started.duration(to: stage.ended ?? now))
        if stage.bytes > 0, seconds > 0 {
            line += "  ↑ \(ByteCount.format(Int(Double(stage.bytes) / seconds)))/s"
        }
        let slowest = stage.running.sorted { $0.value < $1.value }.prefix(3)
        if !slowest.isEmpty {
            line += "  slowest: " + slowest.map { "\($0.key) \(Int(Self.seconds($0.value.duration(to: now))))s" }.joined(separator: ", ")
        }
        return line
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func time() -> String { Date().formatted(.iso8601.time(includingFractionalSeconds: false)) }

    private struct StageProgress {
        var name: String
        var total: Int
        var started: ContinuousClock.Instant
        var ended: ContinuousClock.Instant?
        var ok = 0
        var failed = 0
        var bytes = 0
        var running: [String: ContinuousClock.Instant] = [:]
        var failedHosts: Set<String> = []
    }
}
