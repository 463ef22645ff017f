import CLibSSH2
import Foundation
import Glibc

/// One dedicated thread that multiplexes many non-blocking sockets with poll() and
/// also serves as a Swift `SerialExecutor`.
///
/// Every `SSHSession` actor runs on exactly one loop. Its libssh2 calls therefore
/// execute on this thread, never on Swift's cooperative pool; when a call would
/// block, the session suspends in `waitUntilReady` and the loop resumes it once the
/// socket is ready or its deadline passes. One thread can carry hundreds of hosts.
public final class IOLoop: SerialExecutor, @unchecked Sendable {
    // @unchecked Sendable: `pending` and `waiters` are guarded by `lock`; everything
    // else is immutable or touched only by the loop thread.

    /// Why a wait ended.
    public enum Wakeup: Sendable { case ready, deadline }

    /// One descriptor a waiter waits on, and for what (POLLIN/POLLOUT).
    public struct Interest: Sendable {
        public var fd: Int32
        public var events: Int16
        public init(fd: Int32, events: Int16) {
            self.fd = fd
            self.events = events
        }
    }

    private struct Waiter {
        let interests: [Interest]
        let deadline: ContinuousClock.Instant?
        let continuation: CheckedContinuation<Wakeup, Error>
    }

    private let lock = NSLock()
    private var pending: [UnownedJob] = []
    private var waiters: [UInt64: Waiter] = [:]
    private var nextWaiterID: UInt64 = 0
    private var stopping = false
    /// True while the loop thread sits in poll(); only then does new work need the eventfd.
    private var sleeping = false
    private let wakeFD: Int32
    private var thread: Thread?
    private let name: String

    /// Scratch space for channel reads, shared by every session on this loop: reads
    /// copy out of it before the next suspension point, and only this thread runs them.
    /// One buffer per loop instead of one per session keeps 1,000 hosts cheap.
    let readBuffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 64 * 1024)

    public init(name: String) {
        self.name = name
        self.wakeFD = muster_wake_fd()
        precondition(wakeFD >= 0, "eventfd failed: \(String(cString: strerror(errno)))")
        let thread = Thread { [unowned self] in self.run() }
        thread.name = name
        thread.stackSize = 1 << 20
        self.thread = thread
        thread.start()
    }

    deinit {
        close(wakeFD)
        readBuffer.deallocate()
    }

    // MARK: SerialExecutor

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        lock.lock()
        pending.append(unowned)
        let mustWake = takeSleeping()
        lock.unlock()
        if mustWake { wake() }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    // MARK: Waiting

    /// Suspends until `fd` is ready for `events` (POLLIN/POLLOUT), or until `deadline`.
    /// With `fd` = -1 it is a plain timer. Task cancellation ends the wait with
    /// `CancellationError`.
    /// Runs on the caller's executor (normally this loop, through the session actor),
    /// so waiting never needs a free thread in Swift's cooperative pool.
    public func waitUntilReady(fd: Int32, events: Int16, deadline: ContinuousClock.Instant?,
                               isolation: isolated (any Actor)? = #isolation) async throws -> Wakeup {
        try await waitUntilReady(fd >= 0 ? [Interest(fd: fd, events: events)] : [], deadline: deadline)
    }

    /// Suspends until any of `interests` is ready, or until `deadline`: for a pump that
    /// serves one SSH connection and several local sockets at once.
    public func waitUntilReady(_ interests: [Interest], deadline: ContinuousClock.Instant?,
                               isolation: isolated (any Actor)? = #isolation) async throws -> Wakeup {
        let id = lock.withLock { () -> UInt64 in
            nextWaiterID += 1
            return nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Wakeup, Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                lock.lock()
                waiters[id] = Waiter(interests: interests, deadline: deadline, continuation: continuation)
                let mustWake = takeSleeping()
                lock.unlock()
                if mustWake { wake() }
            }
        } onCancel: {
            let waiter = lock.withLock { waiters.removeValue(forKey: id) }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Lets the other sessions on this loop run before continuing: a long transfer
    /// calls this between slices so that it never holds the thread for long.
    public func yieldToOthers(isolation: isolated (any Actor)? = #isolation) async {
        _ = try? await waitUntilReady(fd: -1, events: 0, deadline: .now)
    }

    /// Ends the loop thread once the work queued so far has run.
    public func shutdown() {
        lock.withLock { stopping = true }
        wake()
    }

    // MARK: The loop

    /// Called with `lock` held: whether the loop is asleep in poll() and must be woken.
    private func takeSleeping() -> Bool {
        defer { sleeping = false }
        return sleeping
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Each turn runs the queued jobs, then polls: without blocking while more jobs are
    /// queued, otherwise until the nearest deadline. Polling every turn keeps the loop
    /// fair: a session that keeps yielding cannot starve sockets that became ready.
    private func run() {
        var pollSet: [pollfd] = []
        var pollOwners: [UInt64] = []
        while true {
            let (jobs, stop) = lock.withLock { () -> ([UnownedJob], Bool) in
                defer { pending.removeAll(keepingCapacity: true) }
                return (pending, stopping)
            }
            for job in jobs { job.runSynchronously(on: asUnownedSerialExecutor()) }
            if stop && jobs.isEmpty { return }

            pollSet.removeAll(keepingCapacity: true)
            pollOwners.removeAll(keepingCapacity: true)
            pollSet.append(pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0))
            var nearest: ContinuousClock.Instant?
            let busy = lock.withLock { () -> Bool in
                let busy = !pending.isEmpty || stopping
                sleeping = !busy
                for (id, waiter) in waiters {
                    for interest in waiter.interests {
                        pollSet.append(pollfd(fd: interest.fd, events: interest.events, revents: 0))
                        pollOwners.append(id)
                    }
                    if let deadline = waiter.deadline, nearest.map({ deadline < $0 }) ?? true {
                        nearest = deadline
                    }
                }
                return busy
            }
            let timeoutMS = busy ? 0 : nearest.map { Self.milliseconds(until: $0) } ?? -1
            let count = poll(&pollSet, nfds_t(pollSet.count), timeoutMS)
            if count < 0 && errno != EINTR {
                fatalError("\(name): poll failed: \(String(cString: strerror(errno)))")
            }
            lock.withLock { sleeping = false }
            if pollSet[0].revents != 0 {
                var drained: UInt64 = 0
                _ = read(wakeFD, &drained, 8)
            }
            resumeWaiters(pollSet: pollSet, owners: pollOwners)
        }
    }

    /// Resumes every waiter whose socket became ready or whose deadline passed.
    private func resumeWaiters(pollSet: [pollfd], owners: [UInt64]) {
        let now = ContinuousClock.now
        var woken: [(CheckedContinuation<Wakeup, Error>, Wakeup)] = []
        lock.withLock {
            for (index, id) in owners.enumerated() where pollSet[index + 1].revents != 0 {
                if let waiter = waiters.removeValue(forKey: id) { woken.append((waiter.continuation, .ready)) }
            }
            for (id, waiter) in waiters {
                if let deadline = waiter.deadline, deadline <= now {
                    waiters.removeValue(forKey: id)
                    woken.append((waiter.continuation, .deadline))
                }
            }
        }
        for (continuation, reason) in woken { continuation.resume(returning: reason) }
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let remaining = ContinuousClock.now.duration(to: deadline)
        if remaining <= .zero { return 0 }
        let (seconds, attoseconds) = remaining.components
        let ms = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: ms)
    }
}
