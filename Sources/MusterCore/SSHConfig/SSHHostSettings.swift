/// How ssh would connect to one host, as far as Muster acts on it, each value with the place
/// that set it. A nil value (or an empty list) means nothing set it: Muster's own default applies.
public struct SSHHostSettings: Sendable, Hashable {
    /// The name to connect to: HostName with `%h` expanded, else the host as given. Lowercased
    /// as ssh does; numeric addresses are kept and written out in full (`127.1` is `127.0.0.1`).
    public internal(set) var hostName: SSHConfigValue<String>
    /// The remote user; nil means ssh's default, the local user.
    public internal(set) var user: SSHConfigValue<String>?
    public internal(set) var port: SSHConfigValue<Int>?
    /// Every IdentityFile that applied, in order, with `~`, `%` tokens and `${VAR}` expanded.
    public internal(set) var identityFiles: [SSHConfigValue<String>] = []
    public internal(set) var identitiesOnly: SSHConfigValue<Bool>?
    /// The hops in order; an empty list is `ProxyJump none`, which also cancels a later ProxyJump.
    public internal(set) var proxyJump: SSHConfigValue<[SSHJumpHost]>?
    /// Expanded like identity files; an empty list is `UserKnownHostsFile none` (no user file).
    public internal(set) var userKnownHostsFiles: SSHConfigValue<[String]>?
    public internal(set) var strictHostKeyChecking: SSHConfigValue<SSHHostKeyChecking>?
    /// Zero means no timeout, as in ssh.
    public internal(set) var connectTimeout: SSHConfigValue<Duration>?
    /// Zero means no keepalives, as in ssh.
    public internal(set) var serverAliveInterval: SSHConfigValue<Duration>?
    public internal(set) var serverAliveCountMax: SSHConfigValue<Int>?
    /// Keywords that applied to this host but that Muster ignores, each once, where it first
    /// applied, for one warning per run (`ignoring ControlMaster, ForwardAgent`).
    public internal(set) var unsupportedKeywords: [SSHConfigValue<String>] = []
    /// Lines Muster could not evaluate as ssh would, such as `Match exec`.
    public internal(set) var warnings: [SSHConfigWarning] = []

    init(hostName: SSHConfigValue<String>) {
        self.hostName = hostName
    }
}

/// StrictHostKeyChecking mapped onto Muster's host-key policies; the raw values are Muster's
/// `--host-key-policy` words. `yes` and `ask` are `strict` (Muster never prompts); `no` and `off` are `off`.
public enum SSHHostKeyChecking: String, Sendable, Hashable {
    case strict
    case acceptNew = "accept-new"
    case off
}

/// Something in the config Muster could not honour exactly, with where it is.
public struct SSHConfigWarning: Sendable, Hashable, CustomStringConvertible {
    public let origin: SSHConfigOrigin
    public let message: String

    public var description: String {
        "\(origin): \(message)"
    }
}
