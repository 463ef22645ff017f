import CLibSSH2

/// An SSH failure, worded for the operator: what failed on which step, and why.
public struct SSHError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case resolve, connect, timeout, hostKey, authentication, channel, transfer, disconnected, protocolError
    }

    public let kind: Kind
    public let message: String
    /// The libssh2 error code, when libssh2 reported the failure.
    public let code: Int32?

    public init(_ kind: Kind, _ message: String, code: Int32? = nil) {
        self.kind = kind
        self.message = message
        self.code = code
    }

    public var description: String { message }

    /// Failures that happen before a session is usable: Ansible calls these UNREACHABLE.
    public var isUnreachable: Bool {
        switch kind {
        case .resolve, .connect, .hostKey, .authentication, .disconnected: true
        case .timeout, .channel, .transfer, .protocolError: false
        }
    }

    /// The connection died under us (sshd killed, network gone).
    static func isConnectionLoss(_ code: Int32) -> Bool {
        code == LIBSSH2_ERROR_SOCKET_RECV || code == LIBSSH2_ERROR_SOCKET_SEND
            || code == LIBSSH2_ERROR_SOCKET_DISCONNECT || code == LIBSSH2_ERROR_CHANNEL_CLOSED
            || code == LIBSSH2_ERROR_SOCKET_TIMEOUT || code == LIBSSH2_ERROR_CHANNEL_EOF_SENT
    }
}
