import Foundation
import Glibc

/// The controller's digest cache: the SHA-256 of a local file, keyed by its stat, so
/// pushing the same 200 MiB bundle again (the next batch, the next run, a re-push)
/// does not read and hash it again. The same scheme as the hosts' cache
/// (`RemoteScripts.digestCache`): one small file per (device, inode) in
/// `$XDG_CACHE_HOME/muster/sha256` holding `size mtime ctime sha256`, with
/// nanosecond times. Any write to the file changes its ctime, which cannot be set
/// back without changing the clock.
///
/// A file changed within the same clock tick as the stat taken for the cache would
/// keep that stat line, so, as git does for its index, a file whose ctime is less
/// than `settled` old is hashed but not cached. Whatever the cache says, every host
/// still checks the bytes it received against the digest before using them, so a
/// wrong entry could fail a push but never install different content.
struct LocalDigestCache: Sendable {
    static let settled: TimeInterval = 2

    /// Where the entries live; nil (no HOME) turns the cache off.
    let directory: String?

    /// `$XDG_CACHE_HOME/muster/sha256`, else `$HOME/.cache/muster/sha256`.
    static var standard: LocalDigestCache {
        let environment = ProcessInfo.processInfo.environment
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            return LocalDigestCache(directory: cache + "/muster/sha256")
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return LocalDigestCache(directory: home + "/.cache/muster/sha256")
        }
        return LocalDigestCache(directory: nil)
    }

    func lookup(_ info: stat) -> String? {
        guard let file = entryPath(info),
            let text = try? String(contentsOfFile: file, encoding: .utf8)
        else { return nil }
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 4, "\(fields[0]) \(fields[1]) \(fields[2])" == Self.statLine(info) else { return nil }
        let digest = fields[3].trimmingCharacters(in: .whitespacesAndNewlines)
        return digest.count == 64 && digest.allSatisfy(\.isHexDigit) ? digest : nil
    }

    /// Records `sha256` for the file if it is settled and `fd` still has the stat it
    /// had when hashing began (`info`). Failures are ignored: the cache only saves time.
    func store(_ info: stat, sha256: String, fd: Int32) {
        var now = stat()
        guard fstat(fd, &now) == 0, Self.statLine(now) == Self.statLine(info), let file = entryPath(info) else { return }
        let ctime = Double(info.st_ctim.tv_sec) + Double(info.st_ctim.tv_nsec) / 1e9
        guard Date().timeIntervalSince1970 - ctime >= Self.settled else { return }
        guard let directory,
            (try? FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])) != nil
        else { return }
        let temporary = "\(file).\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data("\(Self.statLine(info)) \(sha256)\n".utf8),
                                             attributes: [.posixPermissions: 0o600])
        else { return }
        if rename(temporary, file) != 0 { unlink(temporary) }
    }

    /// `size mtime ctime`, times as seconds.nanoseconds: what must match for a hit.
    static func statLine(_ info: stat) -> String {
        func time(_ t: timespec) -> String { "\(t.tv_sec).\(String(format: "%09ld", t.tv_nsec))" }
        return "\(info.st_size) \(time(info.st_mtim)) \(time(info.st_ctim))"
    }

    private func entryPath(_ info: stat) -> String? {
        directory.map { "\($0)/\(info.st_dev)-\(info.st_ino)" }
    }
}
