import Foundation

/// Whether a host is being installed or only compared against.
public enum HostRole: String, Sendable, Hashable {
    /// To be installed: every check produces a result for it.
    case target
    /// An existing member (e.g. the first HA server): its facts (version, token, clock,
    /// address) are what targets are compared with; it gets no results of its own.
    case reference
}

/// A host as preflight sees it. `address` is what the controller connects to and what
/// targets connect to for `port_reachable` (the inventory's `ansible_host`).
public struct PreflightHost: Sendable, Hashable {
    public var name: String
    public var address: String
    public var role: HostRole

    public init(name: String, address: String, role: HostRole) {
        self.name = name
        self.address = address
        self.role = role
    }
}

/// What the probe found on one host. Every field is optional or keyed by the path or
/// endpoint the checks asked for, because the probe gathers only what the checks need
/// and a host may lack a tool; the evaluator says so instead of guessing.
public struct HostFacts: Sendable, Hashable {
    public struct OSRelease: Sendable, Hashable {
        public var id: String
        public var versionID: String
        public var prettyName: String

        public init(id: String, versionID: String, prettyName: String) {
            self.id = id
            self.versionID = versionID
            self.prettyName = prettyName
        }
    }

    /// Free space where a path is, or would be, created.
    public enum DiskSpace: Sendable, Hashable {
        /// `checkedPath` is the path itself or its nearest existing parent.
        case free(kilobytes: Int, checkedPath: String)
        case unknown(String)
    }

    public enum Writability: Sendable, Hashable {
        case writable
        /// The reason as the system gave it (`Read-only file system`).
        case notWritable(String)
    }

    public enum VersionFile: Sendable, Hashable {
        case version(String)
        case missing
        /// Present, but unreadable or without a `version=` line.
        case unusable(String)
    }

    /// The token file's digest; the token itself never leaves the host.
    public enum FileDigest: Sendable, Hashable {
        case sha256(String)
        case missing
        case empty
        case unusable(String)
    }

    public struct DMI: Sendable, Hashable {
        public var vendor: String
        public var product: String

        public init(vendor: String, product: String) {
            self.vendor = vendor
            self.product = product
        }
    }

    public enum Connection: Sendable, Hashable {
        case connected
        case failed(String)
    }

    public var os: OSRelease?
    public var memoryKB: Int?
    public var cpuCount: Int?
    /// Keyed by the path as the check names it.
    public var disk: [String: DiskSpace] = [:]
    /// Keyed by directory, or `user@directory` when a user was given.
    public var writable: [String: Writability] = [:]
    /// Host clock minus controller clock, in seconds, compensated for the round trip.
    public var clockOffset: Double?
    /// How long the probe's exec took, as the controller measured it.
    public var roundTrip: Double?
    /// `sys_vendor` and `product_name`; nil when the host has no DMI information.
    public var dmi: DMI?
    /// False when the probe looked and found no DMI (only meaningful when asked).
    public var dmiChecked = false
    /// Addresses with prefixes; nil when neither `ip` nor `hostname -I` worked.
    public var interfaces: [IPv4Interface]?
    /// Addresses from `hostname -I` when `ip` was missing: no prefixes, so no subnet.
    public var addressesWithoutPrefix: [String] = []
    /// The address the SSH connection arrived on (third field of `$SSH_CONNECTION`).
    public var sshAddress: String?
    /// Keyed by the version file's path.
    public var versionFiles: [String: VersionFile] = [:]
    /// Keyed by the remote token file's path.
    public var tokenDigests: [String: FileDigest] = [:]
    /// Keyed by `PortTarget.label`.
    public var connections: [String: Connection] = [:]
    /// Why the facts may be incomplete (script failed, output cut short); nil when fine.
    public var probeProblem: String?
    /// `uname -n` and `uname -r` (fleet facts only).
    public var hostname: String?
    public var kernel: String?
    /// Init-script status per service name: 0 running, 3 stopped, 127 not installed (fleet facts only).
    public var services: [String: Int] = [:]

    public init() {}
}

/// One host's part in a preflight run: who it is, the checks rendered for it, and what
/// became of its probe.
public struct PreflightObservation: Sendable {
    public enum Outcome: Sendable {
        case facts(HostFacts)
        /// Not reached or not authenticated: the connection error, one line.
        case unreachable(String)
    }

    public var host: PreflightHost
    public var checks: [CheckSpec]
    public var outcome: Outcome

    public init(host: PreflightHost, checks: [CheckSpec], outcome: Outcome) {
        self.host = host
        self.checks = checks
        self.outcome = outcome
    }

    public var facts: HostFacts? {
        if case .facts(let facts) = outcome { return facts }
        return nil
    }
}
