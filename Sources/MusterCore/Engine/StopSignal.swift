import Synchronization

/// The operator's Ctrl-C, as the engine sees it: after the first, no new task or batch
/// starts while running tasks finish; the second cancels the run's task, which ends
/// every SSH wait with `CancellationError`.
public final class StopSignal: Sendable {
    private let requested = Mutex(false)

    public init() {}

    public var isRequested: Bool { requested.withLock { $0 } }

    public func request() { requested.withLock { $0 = true } }
}
