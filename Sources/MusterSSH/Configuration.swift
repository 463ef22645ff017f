/// Where to connect and as whom.
public struct SSHEndpoint: Sendable, CustomStringConvertible {
    /// The inventory name, used in every message.
    public var name: String
    /// Address or DNS name to connect to (`ansible_host`).
    public var address: String
    public var port: Int
    public var user: String

    public init(name: String, address: String, port: Int = 22, user: String) {
        self.name = name
        self.address = address
        self.port = port
        self.user = user
    }

    /// `host001 (root@127.0.1.10:22)`, or just the name when it is the address.
    public var description: String {
        let target = port == 22 ? "\(user)@\(address)" : "\(user)@\(address):\(port)"
        return "\(name) (\(target))"
    }
}

/// What to authenticate with, tried in this order: key files, the agent, a password.
public struct SSHCredentials: Sendable {
    public struct Identity: Sendable {
        public var key: PrivateKeyFile
        public var passphrase: String?
        public init(key: PrivateKeyFile, passphrase: String? = nil) {
            self.key = key
            self.passphrase = passphrase
        }
    }

    public var identities: [Identity]
    /// Offer the keys of the ssh-agent at SSH_AUTH_SOCK.
    public var useAgent: Bool
    public var password: String?

    public init(identities: [Identity] = [], useAgent: Bool = true, password: String? = nil) {
        self.identities = identities
        self.useAgent = useAgent
        self.password = password
    }
}

/// How host keys are checked against known_hosts.
public enum HostKeyPolicy: String, Sendable, CaseIterable {
    /// Unknown and changed keys are refused (the default, as it must be).
    case strict
    /// Unknown keys are added to known_hosts; changed keys are still refused.
    case acceptNew = "accept-new"
    /// No checking at all; callers warn loudly on every run.
    case off
}

/// Settings shared by every session of a run.
public struct SSHClientOptions: Sendable {
    public var connectTimeout: Duration
    public var hostKeyPolicy: HostKeyPolicy
    public var knownHosts: KnownHosts
    /// How often an idle session sends a keepalive while waiting on the server.
    public var keepaliveInterval: Duration

    public init(
        connectTimeout: Duration = .seconds(10), hostKeyPolicy: HostKeyPolicy = .strict,
        knownHosts: KnownHosts, keepaliveInterval: Duration = .seconds(15)
    ) {
        self.connectTimeout = connectTimeout
        self.hostKeyPolicy = hostKeyPolicy
        self.knownHosts = knownHosts
        self.keepaliveInterval = keepaliveInterval
    }
}
