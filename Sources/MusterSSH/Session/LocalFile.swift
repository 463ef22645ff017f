import Foundation
import Glibc

/// A local file to push: mapped once for all hosts, hashed once (or not at all when
/// the controller's digest cache already knows it).
///
/// The mapping is read by every upload at its own pace. Pages are handed back to the
/// kernel once hashed and once every upload in flight has sent them (`sentPages`), so
/// a 200 MiB push does not keep 200 MiB of the file counted in muster's resident
/// memory; an upload that still needs a released page faults it back in from the page
/// cache, without reading the disk.
public struct LocalFile: Sendable {
    public let path: String
    public let contents: Data
    /// Lowercase hex SHA-256 of `contents`.
    public let sha256: String
    /// The mapping's first byte (as an integer, so the struct stays Sendable); 0 for an empty file.
    private let base: UInt
    /// Shared by every copy of this value, hence by every upload of the file.
    let sentPages: SentPages

    public init(path: String) throws {
        try self.init(path: path, digestCache: .standard)
    }

    init(path: String, digestCache: LocalDigestCache) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.unreadable(path, errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Self.unreadable(path, errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw Self.unreadable(path, EISDIR) }
        let size = Int(info.st_size)
        if size == 0 {
            contents = Data()
            base = 0
        } else {
            guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapping != MAP_FAILED else {
                throw Self.unreadable(path, errno)
            }
            contents = Data(bytesNoCopy: mapping, count: size, deallocator: .custom { pointer, count in munmap(pointer, count) })
            base = UInt(bitPattern: mapping)
        }
        let (mapping, length) = (base, size)
        sentPages = SentPages { Self.releasePages($0, base: mapping, size: length) }
        if let known = digestCache.lookup(info) {
            sha256 = known
        } else {
            // Hashed 8 MiB at a time, each slice's pages released once hashed: reading
            // the whole file must not leave all of it resident before the uploads start.
            sha256 = Digest.hex(contents.withUnsafeBytes { bytes in
                Digest.sha256(bytes, chunkSize: 8 << 20) { Self.releasePages($0, base: mapping, size: length) }
            })
            digestCache.store(info, sha256: sha256, fd: fd)
        }
    }

    public var size: Int { contents.count }

    /// Drops the pages of `range` from this process's mapping (MADV_DONTNEED), from the
    /// page holding its first byte to the last page wholly inside it (the caller has
    /// used every byte before `range` too); the bytes stay readable and come back from
    /// the page cache when touched again.
    func releasePages(_ range: Range<Int>) {
        Self.releasePages(range, base: base, size: size)
    }

    private static func releasePages(_ range: Range<Int>, base: UInt, size: Int) {
        guard base != 0 else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = range.lowerBound / page * page
        let end = range.upperBound >= size ? size : range.upperBound / page * page
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: base + UInt(start)) else { return }
        _ = madvise(pointer, end - start, MADV_DONTNEED)
    }

    private static func unreadable(_ path: String, _ code: Int32) -> SSHError {
        SSHError(.transfer, "\(path): cannot read the file to push (\(String(cString: strerror(code))))")
    }
}
