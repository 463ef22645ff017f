/// One ProxyJump hop, `[user@]host[:port]`: ssh connects through the hops in order, the last
/// one right before the target host.
public struct SSHJumpHost: Sendable, Hashable, CustomStringConvertible {
    /// Nil when the hop names no user (ssh then uses the jump host's own config).
    public let user: String?
    public let host: String
    /// Nil when the hop names no port.
    public let port: Int?

    public init(user: String? = nil, host: String, port: Int? = nil) {
        self.user = user
        self.host = host
        self.port = port
    }

    /// As `ssh -G` prints a hop: IPv6 and numeric hosts in brackets.
    public var description: String {
        let numeric = host.contains(":") || host.allSatisfy { "0123456789.".contains($0) }
        let name = numeric ? "[\(host)]" : host
        return (user.map { "\($0)@" } ?? "") + name + (port.map { ":\($0)" } ?? "")
    }
}
