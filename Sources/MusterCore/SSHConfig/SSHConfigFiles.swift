#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file-system side of reading configs, done with the same calls as readconf.c so that
/// the same files are found, skipped and refused.
enum SSHConfigFiles {
    enum Failure: Error {
        /// open(2) failed for a reason other than the file not existing.
        case unreadable(String)
        /// The file belongs to another user, or others may write to it.
        case unsafe
        /// glob(3) failed for a reason other than matching nothing.
        case globFailed
    }

    /// The bytes of a file, or nil when it does not exist. A directory reads as empty (ssh's
    /// getline fails on it). With `ownerID`, the file must belong to that user or root and be
    /// writable by nobody else, as ssh demands of `~/.ssh/config` and included files.
    static func contents(of path: String, ownerID: UInt32?) throws(Failure) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw .unreadable(String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        if let ownerID {
            var status = stat()
            guard fstat(descriptor, &status) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
            guard isSafe(status, for: ownerID) else { throw .unsafe }
        }
        return readAll(descriptor)
    }

    /// Debian's ssh (its user-group-modes patch) lets a file be group-writable when the group
    /// has the owner as its one member, as with a user private group; others may never write.
    private static func isSafe(_ status: stat, for ownerID: UInt32) -> Bool {
        guard status.st_uid == 0 || status.st_uid == ownerID, status.st_mode & 0o002 == 0 else { return false }
        return status.st_mode & 0o020 == 0 || SSHConfigGroups.hasOnlyMember(ownerID, group: status.st_gid, fileOwner: status.st_uid)
    }

    /// Everything read(2) gives until the end or an error, which ends the file as it ends ssh's getline loop.
    private static func readAll(_ descriptor: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return bytes }
            bytes += chunk[..<count]
        }
    }

    /// The paths a glob pattern matches, sorted byte-wise as ssh's glob(3) sorts them in the C
    /// locale; none when nothing matches (no error, as in ssh). The pattern's `~` must already
    /// be expanded.
    static func paths(matching pattern: String) throws(Failure) -> [String] {
        var matches = glob_t()
        defer { globfree(&matches) }
        switch glob(pattern, GLOB_NOSORT, nil, &matches) {
        case 0: break
        case GLOB_NOMATCH: return []
        default: throw .globFailed
        }
        let paths = (0..<Int(matches.gl_pathc)).compactMap { matches.gl_pathv[$0].map { String(cString: $0) } }
        return paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
