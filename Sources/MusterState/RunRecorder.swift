import Foundation
import MusterCore

/// Records a run into the state store without ever making the engine wait for SQLite.
///
/// The engine calls `record` from many tasks at once; it only appends the event to a
/// locked buffer. One writer thread of its own takes the buffer every 200 ms (or as soon
/// as 100 events wait) and commits it in one transaction, so each finished task reaches
/// the file shortly after it finished and a run killed with SIGKILL keeps it. `finish`
/// writes the final result and waits for the writer to be done.
///
/// A database that fails mid-run costs the history, never the run: the writer says so
/// once on stderr and drops what follows.
public final class RunRecorder: @unchecked Sendable {
    // @unchecked Sendable: `buffer`, `result` and `closing` are only touched with `condition` locked.
    public let runID: Int64
    public let store: StateStore
    private let condition = NSCondition()
    private var buffer: [RunEvent] = []
    private var result: RunResult?
    private var closing = false
    private let done = DispatchSemaphore(value: 0)
    private let interval: TimeInterval
    private let batchSize: Int
    private let warn: @Sendable (String) -> Void

    /// Writes the run's row (synchronously: nothing has been contacted yet) and starts the writer.
    public init(
        store: StateStore, start: RunStart, interval: TimeInterval = 0.2, batchSize: Int = 100,
        warn: @escaping @Sendable (String) -> Void = { Console.err("muster: warning: \($0)\n") }
    ) throws {
        self.store = store
        self.interval = interval
        self.batchSize = batchSize
        self.warn = warn
        runID = try store.insertRun(start)
        let thread = Thread { [self] in writerLoop() }
        thread.name = "muster-state-writer"
        thread.start()
    }

    /// The engine's event callback: buffer what the history keeps, nothing more.
    public func record(_ event: RunEvent) {
        switch event {
        case .taskFinished, .checksFinished, .preflightFinished, .batchFinished: break
        default: return
        }
        condition.lock()
        buffer.append(event)
        if buffer.count >= batchSize { condition.signal() }
        condition.unlock()
    }

    /// Writes what is still queued and then the run's final result; returns once it is on disk.
    public func finish(_ result: RunResult) {
        condition.lock()
        self.result = result
        closing = true
        condition.signal()
        condition.unlock()
        done.wait()
    }

    private func writerLoop() {
        var broken = false
        while true {
            condition.lock()
            let deadline = Date(timeIntervalSinceNow: interval)
            while buffer.count < batchSize, !closing, condition.wait(until: deadline) {}
            let events = buffer
            buffer.removeAll(keepingCapacity: true)
            let finishing = closing
            let result = self.result
            condition.unlock()
            do {
                if !broken, !events.isEmpty { try store.write(events, run: runID) }
                if !broken, finishing, let result { try store.write(result, run: runID) }
            } catch {
                if !broken { warn("run history \(store.path): \(error); this run is not fully recorded") }
                broken = true
            }
            if finishing { break }
        }
        done.signal()
    }
}
