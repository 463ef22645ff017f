import Foundation

/// A fixed set of `IOLoop` threads; sessions are spread over them round-robin.
///
/// Two loops suit a 2-core machine: key exchange and ciphers for many hosts run on
/// both cores, while each loop still carries hundreds of idle-waiting sessions.
public final class IOLoopGroup: @unchecked Sendable {
    // @unchecked Sendable: `loops` is immutable; `next` is guarded by `lock`.
    public let loops: [IOLoop]
    private let lock = NSLock()
    private var next = 0

    public init(threads: Int = IOLoopGroup.defaultThreadCount) {
        precondition(threads > 0)
        loops = (0..<threads).map { IOLoop(name: "muster-io-\($0)") }
    }

    public static var defaultThreadCount: Int {
        max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))
    }

    /// The loop for the next session.
    public func nextLoop() -> IOLoop {
        lock.withLock {
            defer { next = (next + 1) % loops.count }
            return loops[next]
        }
    }

    public func shutdown() {
        for loop in loops { loop.shutdown() }
    }
}
