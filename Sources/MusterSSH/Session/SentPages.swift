import Foundation

/// How far every upload of one `LocalFile` has got, so that each page of the mapping
/// is released once, when the slowest upload in flight has sent it.
///
/// Releasing behind each upload on its own made every other upload fault the page in
/// again (34,000 page faults instead of 4,900 for 200 MiB to 10 hosts, +0.3 s of
/// CPU); behind the slowest, a page is faulted in once per run (twice for an upload
/// that starts after the others have passed it). Muster's resident share of the file
/// is then the spread between the fastest and the slowest host, plus `batch`.
final class SentPages: @unchecked Sendable {
    /// Pages are released `batch` bytes at a time: each madvise(MADV_DONTNEED) flushes
    /// the TLB of every CPU running one of muster's threads (an IPI, and in a VM an
    /// exit), so releasing after every 512 KiB slice (4,000 calls for 200 MiB to 10
    /// hosts) cost more CPU than the memory was worth.
    static let batch = 8 << 20

    // @unchecked Sendable: every mutable field is guarded by `lock`.
    private let lock = NSLock()
    private var sent: [UInt64: Int] = [:]
    private var nextID: UInt64 = 0
    private var released = 0
    private let release: @Sendable (Range<Int>) -> Void

    init(release: @escaping @Sendable (Range<Int>) -> Void) { self.release = release }

    /// Registers an upload starting at byte 0; pass the id to `advance` and `finish`.
    func begin() -> UInt64 {
        lock.withLock {
            nextID += 1
            sent[nextID] = released
            return nextID
        }
    }

    /// Upload `id` has sent every byte before `offset`.
    func advance(_ id: UInt64, to offset: Int) {
        releaseBehindSlowest { sent[id] = offset }
    }

    /// Upload `id` is over (done, failed or cancelled): it no longer holds pages back.
    func finish(_ id: UInt64) {
        releaseBehindSlowest { sent[id] = nil }
    }

    private func releaseBehindSlowest(_ update: () -> Void) {
        let range = lock.withLock { () -> Range<Int>? in
            update()
            guard let slowest = sent.values.min(), slowest - released >= Self.batch else { return nil }
            defer { released = slowest }
            return released..<slowest
        }
        if let range { release(range) }
    }
}
