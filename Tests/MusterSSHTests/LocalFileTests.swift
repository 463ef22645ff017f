import Foundation
import Glibc
import Testing

@testable import MusterSSH

/// The file a push sends: its digest, the controller's digest cache, and the pages
/// an upload hands back. No network.
@Suite struct LocalFileTests {
    let directory = NSTemporaryDirectory() + "muster-localfile-\(UUID().uuidString)"
    var cache: LocalDigestCache { LocalDigestCache(directory: directory + "/cache") }

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// A new file named `name` in the test's directory holding `bytes`.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = directory + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: directory) }

    @Test func digestMatchesOpenSSLAndThePagesStayReadableAfterRelease() throws {
        defer { cleanUp() }
        let bytes = (0..<(3 << 20) + 123).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        let path = try write("three-mib.bin", bytes)
        let file = try LocalFile(path: path, digestCache: LocalDigestCache(directory: nil))
        #expect(file.size == bytes.count)
        #expect(file.sha256 == Digest.hex(Digest.sha256(Data(bytes))))
        file.releasePages(0..<file.size)
        file.releasePages(4095..<8193)
        #expect(file.contents == Data(bytes), "released pages come back from the page cache")
    }

    @Test func anEmptyFileAndADirectory() throws {
        defer { cleanUp() }
        let empty = try LocalFile(path: try write("empty", []), digestCache: cache)
        #expect(empty.sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        empty.releasePages(0..<0)
        #expect(throws: SSHError.self) { try LocalFile(path: directory, digestCache: cache) }
        #expect(throws: SSHError.self) { try LocalFile(path: directory + "/missing", digestCache: cache) }
    }

    @Test func theCacheRemembersSettledFilesAndForgetsChangedOnes() throws {
        defer { cleanUp() }
        let path = try write("bundle.bin", Array(repeating: 7, count: 100_000))
        // Just written: hashed, but not cached (a write in the same clock tick would not show).
        let fresh = try LocalFile(path: path, digestCache: cache)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: directory + "/cache")) ?? []).isEmpty)

        Thread.sleep(forTimeInterval: LocalDigestCache.settled + 0.1)
        _ = try LocalFile(path: path, digestCache: cache)
        let entries = try FileManager.default.contentsOfDirectory(atPath: directory + "/cache")
        #expect(entries.count == 1, "a settled file is cached")

        // A cached digest is what lookup answers while the stat line is the same.
        let entry = directory + "/cache/" + entries[0]
        let line = try String(contentsOfFile: entry, encoding: .utf8)
        let planted = String(repeating: "ab", count: 32)
        try line.replacingOccurrences(of: fresh.sha256, with: planted).write(toFile: entry, atomically: true, encoding: .utf8)
        #expect(try LocalFile(path: path, digestCache: cache).sha256 == planted)

        // Same size, one byte changed in place: the ctime moves, the entry no longer applies.
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: 500)
        try handle.write(contentsOf: [8])
        try handle.close()
        let changed = try LocalFile(path: path, digestCache: cache)
        #expect(changed.sha256 != planted)
        #expect(changed.sha256 == Digest.hex(Digest.sha256(changed.contents)))
    }

    @Test func pagesAreReleasedBehindTheSlowestUploadOnly() {
        let released = Released()
        let pages = SentPages { released.append($0) }
        let (mib, batch) = (1 << 20, SentPages.batch)
        let fast = pages.begin()
        let slow = pages.begin()
        pages.advance(fast, to: 3 * batch)
        #expect(released.ranges.isEmpty, "the slow upload still needs everything")
        pages.advance(slow, to: batch - mib)
        #expect(released.ranges.isEmpty, "less than a batch behind the slowest: kept")
        pages.advance(slow, to: batch + mib)
        pages.finish(slow)  // done or failed: holds nothing back any more
        #expect(released.ranges == [0..<batch + mib, batch + mib..<3 * batch])
        let late = pages.begin()  // starts after the others passed: refaults what it needs
        pages.advance(late, to: 4 * batch)
        pages.finish(fast)
        pages.finish(late)
        #expect(released.ranges.last == 3 * batch..<4 * batch)
    }
}

/// Ranges handed to a `SentPages` release function (called with no lock of ours held).
private final class Released: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Range<Int>] = []
    func append(_ range: Range<Int>) { lock.withLock { list.append(range) } }
    var ranges: [Range<Int>] { lock.withLock { list } }
}
