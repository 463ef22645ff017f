/// What a failing check does to its host.
public enum CheckSeverity: String, Sendable, Hashable {
    /// Blocks the host (and, under `all-or-nothing`, the rollout).
    case error
    /// Reported, never blocks.
    case warning
}

/// The built-in preflight checks, named as playbooks and reports name them.
public enum CheckKind: String, Sendable, Hashable, CaseIterable {
    case sshReachable = "ssh_reachable"
    case osSupported = "os_supported"
    case resources
    case dirWritable = "dir_writable"
    case clockSkew = "clock_skew"
    case sameVersion = "same_version"
    case portReachable = "port_reachable"
    case sameSubnet = "same_subnet"
    case notCloud = "not_cloud"
    case token
    case bundle
}

/// One check as a playbook declares it, with its parameters already rendered for one
/// host (templates substituted), so a check never sees `{{ }}`.
public struct CheckSpec: Sendable, Hashable {
    /// The name the report shows and `--ignore-preflight` takes; the kind's name unless
    /// the playbook gives another (two `port_reachable` checks need two names).
    public var name: String
    public var kind: CheckKind
    public var severity: CheckSeverity
    public var parameters: [String: InventoryValue]

    public init(name: String, kind: CheckKind, severity: CheckSeverity, parameters: [String: InventoryValue] = [:]) {
        self.name = name
        self.kind = kind
        self.severity = severity
        self.parameters = parameters
    }
}

/// How one check went on one host.
public struct CheckResult: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case passed, failed
    }

    public var name: String
    public var kind: CheckKind
    public var severity: CheckSeverity
    public var status: Status
    /// One line for the report: what was found and, on failure, what was expected.
    /// Never contains a secret (token contents).
    public var message: String
    /// A failed error check that `--ignore-preflight` turned into a warning.
    public var ignored: Bool

    public init(name: String, kind: CheckKind, severity: CheckSeverity, status: Status, message: String, ignored: Bool = false) {
        self.name = name
        self.kind = kind
        self.severity = severity
        self.status = status
        self.message = message
        self.ignored = ignored
    }

    /// True when this result stops its host from going on.
    public var blocks: Bool { status == .failed && severity == .error && !ignored }
}
