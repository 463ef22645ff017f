import CLibSSH2
import Foundation

extension SSHSession {
    /// Checks the server's host key against known_hosts under the run's policy.
    /// Nothing has been sent to the host beyond the key exchange when this refuses.
    func verifyHostKey(options: SSHClientOptions) throws {
        var length = 0
        var type: Int32 = 0
        guard let pointer = libssh2_session_hostkey(raw, &length, &type) else {
            throw SSHError(.hostKey, "\(endpoint): the server sent no host key")
        }
        let key = [UInt8](UnsafeRawBufferPointer(start: pointer, count: length))
        guard options.hostKeyPolicy != .off else { return }
        let knownHosts = options.knownHosts
        let file = knownHosts.writableFile ?? "known_hosts"
        switch knownHosts.verdict(host: endpoint.address, port: endpoint.port, key: key) {
        case .match:
            verifiedHostKey = key
        case .changed(let location):
            throw SSHError(
                .hostKey,
                """
                \(endpoint): HOST KEY HAS CHANGED: the server offers an \(SSHKeyBlob.describe(key)), \
                but \(location) holds a different key for this host. Someone could be intercepting \
                the connection; nothing was run on this host. If the change is expected, remove that line.
                """)
        case .revoked(let location):
            throw SSHError(.hostKey, "\(endpoint): the host key is marked @revoked at \(location) (\(SSHKeyBlob.describe(key)))")
        case .unknown where options.hostKeyPolicy == .acceptNew:
            try knownHosts.add(host: endpoint.address, port: endpoint.port, key: key)
            verifiedHostKey = key
        case .unknown:
            throw SSHError(
                .hostKey,
                """
                \(endpoint): host key not known (\(SSHKeyBlob.describe(key))); refused under host key \
                policy strict. Check the fingerprint and add the host to \(file), or use --host-key-policy accept-new.
                """)
        }
    }

    /// Tries key files, then the agent, then a password, as the server allows.
    ///
    /// Keys go first, without asking which methods the server offers: that question
    /// (the "none" request) costs a round trip, and almost every server takes keys.
    /// It is asked only when the keys were refused or there are none.
    func authenticate(with credentials: SSHCredentials, deadline: ContinuousClock.Instant) async throws {
        var refusals: [String] = []
        for identity in credentials.identities {
            let rc = await retrying(deadline: deadline) {
                muster_userauth_publickey_fromfile(raw, endpoint.user, identity.key.path, identity.passphrase)
            }
            if rc == 0 { return }
            try checkAuthenticationError(rc)
            refusals.append(refusal(of: identity, code: rc))
        }
        if credentials.useAgent, ProcessInfo.processInfo.environment["SSH_AUTH_SOCK"] != nil {
            if try await authenticateWithAgent(deadline: deadline) { return }
            refusals.append("ssh-agent keys refused")
        }
        guard let offered = try await offeredMethods(deadline: deadline) else { return }
        if !offered.contains("publickey") { refusals = [] }  // the keys were never in question
        if offered.contains("password"), let password = credentials.password {
            let rc = await retrying(deadline: deadline) { muster_userauth_password(raw, endpoint.user, password) }
            if rc == 0 { return }
            try checkAuthenticationError(rc)
            refusals.append("password refused")
        }
        throw authenticationFailure(offered: offered, refusals: refusals, credentials: credentials)
    }

    /// The methods the server accepts for this user; nil when "none" already succeeded.
    private func offeredMethods(deadline: ContinuousClock.Instant) async throws -> Set<String>? {
        while true {
            if let list = libssh2_userauth_list(raw, endpoint.user, UInt32(endpoint.user.utf8.count)) {
                return Set(String(cString: list).split(separator: ",").map(String.init))
            }
            if libssh2_userauth_authenticated(raw) != 0 { return nil }
            let code = libssh2_session_last_errno(raw)
            guard code == LIBSSH2_ERROR_EAGAIN else { throw failure(.authentication, "cannot start authentication", code: code) }
            try await waitForSocket(until: deadline)
        }
    }

    /// Errors that are not a refusal (the connection dropped, the deadline passed) end the attempt.
    private func checkAuthenticationError(_ rc: Int32) throws {
        switch rc {
        case LIBSSH2_ERROR_TIMEOUT:
            throw SSHError(.connect, "\(endpoint): authentication timed out")
        case LIBSSH2_ERROR_AUTHENTICATION_FAILED, LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED, LIBSSH2_ERROR_FILE,
            LIBSSH2_ERROR_KEYFILE_AUTH_FAILED, LIBSSH2_ERROR_METHOD_NOT_SUPPORTED, LIBSSH2_ERROR_PASSWORD_EXPIRED:
            return
        default:
            throw failure(.authentication, "authentication failed", code: rc)
        }
    }

    private func refusal(of identity: SSHCredentials.Identity, code: Int32) -> String {
        if code == LIBSSH2_ERROR_FILE {
            return identity.key.isEncrypted
                ? "key \(identity.key.label) could not be decrypted (wrong passphrase?)"
                : "key \(identity.key.label) could not be loaded by libssh2"
        }
        if identity.key.algorithm == .rsa {
            return """
                RSA key \(identity.key.label) refused: libssh2 1.10 can sign with RSA only as ssh-rsa (SHA-1), \
                which OpenSSH 8.8 and later reject by default. Use an ed25519 key (ssh-keygen -t ed25519) instead
                """
        }
        return "key \(identity.key.label) refused"
    }

    private func authenticationFailure(offered: Set<String>, refusals: [String], credentials: SSHCredentials) -> SSHError {
        let methods = offered.sorted().joined(separator: ",")
        if !offered.contains("publickey") && offered.contains("password") && credentials.password == nil {
            return SSHError(
                .authentication,
                """
                \(endpoint): the server accepts only password authentication (offers: \(methods)); \
                supply one with --ask-pass, --password-file FILE or MUSTER_SSH_PASSWORD
                """)
        }
        let tried = refusals.isEmpty ? "no usable credentials (give --private-key or run an ssh-agent)" : refusals.joined(separator: "; ")
        return SSHError(.authentication, "\(endpoint): authentication failed (server offers: \(methods)): \(tried)")
    }

    /// Offers each identity of the ssh-agent at SSH_AUTH_SOCK.
    private func authenticateWithAgent(deadline: ContinuousClock.Instant) async throws -> Bool {
        guard let agent = libssh2_agent_init(raw) else { return false }
        defer { libssh2_agent_free(agent) }
        guard libssh2_agent_connect(agent) == 0 else { return false }
        defer { libssh2_agent_disconnect(agent) }
        guard libssh2_agent_list_identities(agent) == 0 else { return false }
        var previous: UnsafeMutablePointer<libssh2_agent_publickey>?
        while true {
            var identity: UnsafeMutablePointer<libssh2_agent_publickey>?
            guard libssh2_agent_get_identity(agent, &identity, previous) == 0, let identity else { return false }
            let rc = await retrying(deadline: deadline) { libssh2_agent_userauth(agent, endpoint.user, identity) }
            if rc == 0 { return true }
            try checkAuthenticationError(rc)
            previous = identity
        }
    }
}
