import Foundation

/// OpenSSH known_hosts files, read once per run and shared by every session.
///
/// Understands what OpenSSH writes and reads: plain and hashed (`|1|salt|hash`) host
/// fields, `[host]:port` for ports other than 22, comma-separated patterns with `*`,
/// `?` and `!` negation, and the `@revoked` marker. `@cert-authority` lines are
/// skipped: libssh2 1.10 cannot verify host certificates.
public final class KnownHosts: @unchecked Sendable {
    // @unchecked Sendable: `entries` is only changed under `lock`.

    public enum Verdict: Sendable, Equatable {
        case match
        /// The host is known with another key of the same type: possibly an attack.
        case changed(knownAt: String)
        /// This key was explicitly revoked.
        case revoked(at: String)
        /// No key of this type is known for the host.
        case unknown
    }

    struct Entry {
        enum Marker { case none, revoked }
        let marker: Marker
        let hosts: HostField
        let keyType: String
        let keyBlob: [UInt8]
        let location: String
    }

    /// The file that `accept-new` appends to (the first user file).
    public let writableFile: String?
    private let lock = NSLock()
    private var entries: [Entry]

    /// Reads `files` in order. A file that does not exist counts as empty, so a first
    /// run with `accept-new` can create it; one that exists but cannot be read is an error.
    public init(files: [String], writableFile: String?) throws {
        self.writableFile = writableFile
        var entries: [Entry] = []
        for path in files {
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw SSHError(.hostKey, "\(path): cannot read known_hosts file")
            }
            entries += Self.parse(text, path: path)
        }
        self.entries = entries
    }

    /// How `key` (the raw host key blob the server sent) compares with what is known
    /// for `host` on `port`.
    public func verdict(host: String, port: Int, key: [UInt8]) -> Verdict {
        let name = Self.lookupName(host: host, port: port)
        let keyType = SSHKeyBlob.algorithm(of: key)
        let matching = lock.withLock { entries.filter { $0.hosts.matches(name) } }
        if let revoked = matching.first(where: { $0.marker == .revoked && $0.keyBlob == key }) {
            return .revoked(at: revoked.location)
        }
        let plain = matching.filter { $0.marker == .none }
        if plain.contains(where: { $0.keyBlob == key }) { return .match }
        if let other = plain.first(where: { $0.keyType == keyType }) { return .changed(knownAt: other.location) }
        return .unknown
    }

    /// Key types known for the host, so the handshake can ask for one of those first
    /// (as OpenSSH orders its HostKeyAlgorithms).
    public func knownKeyTypes(host: String, port: Int) -> [String] {
        let name = Self.lookupName(host: host, port: port)
        return lock.withLock {
            var seen: [String] = []
            for entry in entries where entry.marker == .none && entry.hosts.matches(name) && !seen.contains(entry.keyType) {
                seen.append(entry.keyType)
            }
            return seen
        }
    }

    /// Records a newly accepted key (`accept-new`) in memory and appends it to the file.
    public func add(host: String, port: Int, key: [UInt8]) throws {
        guard let path = writableFile else { return }
        let name = Self.lookupName(host: host, port: port)
        let line = "\(name) \(SSHKeyBlob.algorithm(of: key)) \(Data(key).base64EncodedString())\n"
        try lock.withLock {
            try Self.append(line, to: path)
            entries.append(
                Entry(
                    marker: .none, hosts: HostField(patterns: name), keyType: SSHKeyBlob.algorithm(of: key),
                    keyBlob: key, location: "\(path) (added this run)"))
        }
    }

    static func lookupName(host: String, port: Int) -> String {
        port == 22 ? host : "[\(host)]:\(port)"
    }

    private static func append(_ line: String, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SSHError(.hostKey, "\(path): cannot write known_hosts file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(line.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else {
            throw SSHError(.hostKey, "\(path): cannot write known_hosts file: \(String(cString: strerror(errno)))")
        }
    }

    static func parse(_ text: String, path: String) -> [Entry] {
        var entries: [Entry] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var fields = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            var marker = Entry.Marker.none
            if first.hasPrefix("@") {
                guard first == "@revoked" else { continue }  // @cert-authority: not supported by libssh2
                marker = .revoked
                fields.removeFirst()
            }
            guard fields.count >= 3, let blob = Data(base64Encoded: fields[2]) else { continue }
            entries.append(
                Entry(
                    marker: marker, hosts: HostField(patterns: fields[0]), keyType: fields[1],
                    keyBlob: [UInt8](blob), location: "\(path):\(index + 1)"))
        }
        return entries
    }
}

/// The host field of a known_hosts line: a hashed name or a list of patterns.
struct HostField {
    private enum Form {
        case hashed(salt: [UInt8], hash: [UInt8])
        case patterns([(pattern: String, negated: Bool)])
    }
    private let form: Form

    init(patterns field: String) {
        if field.hasPrefix("|1|") {
            let parts = field.split(separator: "|", omittingEmptySubsequences: true)
            if parts.count == 3, let salt = Data(base64Encoded: String(parts[1])), let hash = Data(base64Encoded: String(parts[2])) {
                form = .hashed(salt: [UInt8](salt), hash: [UInt8](hash))
                return
            }
        }
        form = .patterns(
            field.split(separator: ",").map { item in
                item.hasPrefix("!") ? (String(item.dropFirst()).lowercased(), true) : (String(item).lowercased(), false)
            })
    }

    func matches(_ name: String) -> Bool {
        let name = name.lowercased()
        switch form {
        case .hashed(let salt, let hash):
            return Digest.hmacSHA1(key: salt, message: Array(name.utf8)) == hash
        case .patterns(let patterns):
            var matched = false
            for (pattern, negated) in patterns where WildcardPattern.matches(pattern, name) {
                if negated { return false }
                matched = true
            }
            return matched
        }
    }
}

/// OpenSSH's `*` and `?` host patterns (match.c's match_pattern), shared by known_hosts
/// and the ssh config reader. `?` is one byte, as in OpenSSH. Backtracks to the last `*`
/// instead of recursing, so no pattern takes more than length × length steps.
public enum WildcardPattern {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        matches(text.utf8, pattern.utf8)
    }

    public static func matches(_ name: some Collection<UInt8>, _ pattern: some Collection<UInt8>) -> Bool {
        let name = Array(name)
        let pattern = Array(pattern)
        var nameIndex = 0
        var patternIndex = 0
        var star: (pattern: Int, name: Int)?
        while nameIndex < name.count {
            if patternIndex < pattern.count, pattern[patternIndex] == UInt8(ascii: "*") {
                star = (patternIndex, nameIndex)
                patternIndex += 1
            } else if patternIndex < pattern.count,
                pattern[patternIndex] == UInt8(ascii: "?") || pattern[patternIndex] == name[nameIndex]
            {
                patternIndex += 1
                nameIndex += 1
            } else if let last = star {
                star = (last.pattern, last.name + 1)
                patternIndex = last.pattern + 1
                nameIndex = last.name + 1
            } else {
                return false
            }
        }
        return pattern[patternIndex...].allSatisfy { $0 == UInt8(ascii: "*") }
    }
}
