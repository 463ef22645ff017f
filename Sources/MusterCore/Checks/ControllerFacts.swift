import Foundation
import MusterSSH

/// What preflight needs from the controller's own files: the installer bundle and the
/// network token. Gathered once for all hosts; the token's contents are hashed and
/// dropped, never kept, printed or logged.
public struct ControllerFacts: Sendable, Hashable {
    public struct Bundle: Sendable, Hashable {
        public var size: Int
        public var sha256: String
        /// From the file name `setup-igel-ums-linux_<version>.bin`; nil if it has another name.
        public var version: String?

        public init(size: Int, sha256: String, version: String?) {
            self.size = size
            self.sha256 = sha256
            self.version = version
        }
    }

    public enum LocalFile<Value: Sendable & Hashable>: Sendable, Hashable {
        case present(Value)
        case missing
        /// Exists but cannot be used: unreadable, a directory, or (tokens) empty.
        case unusable(String)
    }

    /// Keyed by the path as the check names it.
    public var bundles: [String: LocalFile<Bundle>] = [:]
    /// Token sha256 (lowercase hex), keyed by the path as the check names it.
    public var tokens: [String: LocalFile<String>] = [:]

    public init(bundles: [String: LocalFile<Bundle>] = [:], tokens: [String: LocalFile<String>] = [:]) {
        self.bundles = bundles
        self.tokens = tokens
    }

    /// Reads the bundles and tokens that `checks` (of every host) name, each path once.
    /// Relative paths are relative to the current directory.
    public static func gather(for checks: some Sequence<CheckSpec>) -> ControllerFacts {
        var facts = ControllerFacts()
        for check in checks {
            let parameters = CheckParameters(kind: check.kind, values: check.parameters)
            switch check.kind {
            case .bundle, .sameVersion:
                guard let path = parameters.string(check.kind == .bundle ? "path" : "bundle"), facts.bundles[path] == nil else { continue }
                facts.bundles[path] = bundle(at: path)
            case .token:
                guard parameters.boolean("fetch") != true, let path = parameters.string("file"), facts.tokens[path] == nil else { continue }
                facts.tokens[path] = token(at: path)
            default:
                continue
            }
        }
        return facts
    }

    static func bundle(at path: String) -> LocalFile<Bundle> {
        switch read(path) {
        case .present(let data):
            return .present(Bundle(size: data.count, sha256: Digest.hex(Digest.sha256(data)), version: version(fromBundleName: path)))
        case .missing: return .missing
        case .unusable(let reason): return .unusable(reason)
        }
    }

    static func token(at path: String) -> LocalFile<String> {
        switch read(path) {
        case .present(let data):
            return data.isEmpty ? .unusable("empty") : .present(Digest.hex(Digest.sha256(data)))
        case .missing: return .missing
        case .unusable(let reason): return .unusable(reason)
        }
    }

    /// Memory-mapped, so hashing a large bundle does not copy it into memory.
    private static func read(_ path: String) -> LocalFile<Data> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        if isDirectory.boolValue { return .unusable("a directory") }
        do {
            return .present(try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped))
        } catch {
            return .unusable(access(path, R_OK) != 0 ? String(cString: strerror(errno)) : "cannot read it")
        }
    }

    /// `.../setup-igel-ums-linux_12.07.100.bin` → `12.07.100`.
    public static func version(fromBundleName path: String) -> String? {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let prefix = "setup-igel-ums-linux_"
        guard name.hasPrefix(prefix), name.hasSuffix(".bin") else { return nil }
        let version = name.dropFirst(prefix.count).dropLast(4)
        guard !version.isEmpty, version.allSatisfy({ $0.isNumber || $0 == "." || $0.isLetter || $0 == "-" }) else { return nil }
        return String(version)
    }
}
