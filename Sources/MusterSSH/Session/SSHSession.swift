import CLibSSH2
import Foundation
import Glibc

/// One authenticated SSH connection to one host, reused for every step on that host.
///
/// The actor runs on its `IOLoop`: libssh2 is used in non-blocking mode, and every
/// call that answers EAGAIN suspends the actor until the loop sees the socket ready.
/// libssh2 sessions are not thread-safe; actor isolation gives each one a single owner.
public actor SSHSession {
    public nonisolated let endpoint: SSHEndpoint
    nonisolated let loop: IOLoop
    private let handle: SessionHandle
    var raw: OpaquePointer { handle.session }
    var socket: Int32 {
        get { handle.socket }
        set { handle.socket = newValue }
    }
    let keepaliveInterval: Duration
    /// The jump host this session is tunnelled through, if any: its failure explains ours.
    nonisolated let jump: JumpLink?
    /// Set once this session carries tunnels for other sessions (it is then a jump host).
    var tunnels: TunnelMux?
    nonisolated let tunnelHealth = TunnelHealth()
    /// The host key this session's server presented, when it was checked against
    /// known_hosts (strict or accept-new); nil under `--host-key-policy off`. A relay
    /// that connects to this host on Muster's behalf is given exactly this key.
    public internal(set) var verifiedHostKey: [UInt8]?

    public nonisolated var unownedExecutor: UnownedSerialExecutor { loop.asUnownedSerialExecutor() }

    /// Resolves, connects, checks the host key and authenticates, all within
    /// `options.connectTimeout`, which also holds against a host that accepts TCP
    /// and then never speaks.
    ///
    /// With `jump`, the TCP connection is made by that session's host instead (as
    /// `ssh -J` does), which also resolves the name; host key checking and
    /// authentication are this host's own, end to end through the tunnel.
    public static func connect(
        to endpoint: SSHEndpoint, credentials: SSHCredentials,
        options: SSHClientOptions, on loop: IOLoop, through jump: SSHSession? = nil
    ) async throws -> SSHSession {
        LibSSH2.initializeOnce()
        let deadline = ContinuousClock.now + options.connectTimeout
        let session = SSHSession(
            endpoint: endpoint, loop: loop, keepaliveInterval: options.keepaliveInterval, jump: jump.map(JumpLink.init))
        do {
            try await session.establish(through: jump, credentials: credentials, options: options, deadline: deadline)
        } catch {
            await session.close()
            throw error
        }
        return session
    }

    private init(endpoint: SSHEndpoint, loop: IOLoop, keepaliveInterval: Duration, jump: JumpLink?) {
        self.endpoint = endpoint
        self.loop = loop
        self.handle = SessionHandle()
        self.keepaliveInterval = keepaliveInterval
        self.jump = jump
    }

    private func establish(
        through jump: SSHSession?, credentials: SSHCredentials, options: SSHClientOptions, deadline: ContinuousClock.Instant
    ) async throws {
        if let jump {
            socket = try await jump.openTunnel(to: endpoint.address, port: endpoint.port, for: endpoint.description, deadline: deadline)
        } else {
            let addresses = try await AddressResolver.resolve(host: endpoint.address, port: endpoint.port)
            socket = try await TCPConnector.connect(to: addresses, endpoint: endpoint, loop: loop, deadline: deadline)
        }
        preferAlgorithms(knownHostKeyTypes: options.knownHosts.knownKeyTypes(host: endpoint.address, port: endpoint.port))
        let rc = await retrying(deadline: deadline) { libssh2_session_handshake(raw, socket) }
        if rc == LIBSSH2_ERROR_TIMEOUT {
            throw SSHError(
                .connect, "\(endpoint): connection accepted but no SSH handshake within \(options.connectTimeout) (is it an SSH server?)")
        }
        if rc == LIBSSH2_ERROR_BANNER_RECV {
            throw SSHError(.connect, "\(endpoint): the server closed the connection before sending an SSH banner")
        }
        if rc < 0 { throw failure(.connect, "SSH handshake failed", code: rc) }
        try verifyHostKey(options: options)
        try await authenticate(with: credentials, deadline: deadline)
        libssh2_keepalive_config(raw, 1, UInt32(max(1, keepaliveInterval.components.seconds)))
    }

    /// Fast ciphers first (aes128-ctr), and host key types already in known_hosts first,
    /// as OpenSSH does, so a host known by its ECDSA key is not refused for offering ED25519.
    private func preferAlgorithms(knownHostKeyTypes: [String]) {
        let supported = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"]
        let hostKeys = knownHostKeyTypes.filter(supported.contains) + supported.filter { !knownHostKeyTypes.contains($0) }
        libssh2_session_method_pref(raw, LIBSSH2_METHOD_HOSTKEY, hostKeys.joined(separator: ","))
        let ciphers = "aes128-ctr,aes192-ctr,aes256-ctr"
        libssh2_session_method_pref(raw, LIBSSH2_METHOD_CRYPT_CS, ciphers)
        libssh2_session_method_pref(raw, LIBSSH2_METHOD_CRYPT_SC, ciphers)
        let macs = "hmac-sha2-256,hmac-sha2-512,hmac-sha1"
        libssh2_session_method_pref(raw, LIBSSH2_METHOD_MAC_CS, macs)
        libssh2_session_method_pref(raw, LIBSSH2_METHOD_MAC_SC, macs)
    }

    /// Says goodbye to the server and shuts the connection down. Safe to call more than once.
    ///
    /// The descriptor itself stays open until the session is freed (`SessionHandle`):
    /// libssh2 still writes to it then, for channels left behind, and a closed number
    /// could meanwhile belong to another host's connection.
    public func close() async {
        await closeTunnels()
        guard socket >= 0, !handle.isShutDown else { return }
        let deadline = ContinuousClock.now + .seconds(2)
        _ = await retrying(deadline: deadline) { muster_session_disconnect(raw, "muster: done") }
        shutdown(socket, Int32(SHUT_RDWR))
        handle.isShutDown = true
    }

    // MARK: Non-blocking plumbing shared by every operation

    /// Calls `body` until it stops answering EAGAIN, waiting for the socket in between.
    /// Returns the last result; LIBSSH2_ERROR_TIMEOUT when `deadline` passed first.
    func retrying(deadline: ContinuousClock.Instant?, _ body: () -> Int32) async -> Int32 {
        while true {
            let rc = body()
            guard rc == LIBSSH2_ERROR_EAGAIN else { return rc }
            do {
                try await waitForSocket(until: deadline)
            } catch {
                return LIBSSH2_ERROR_TIMEOUT
            }
        }
    }

    /// `retrying` for calls that return a pointer, NULL with EAGAIN meaning "again".
    func retrying(deadline: ContinuousClock.Instant?, _ body: () -> OpaquePointer?) async throws(SSHError) -> OpaquePointer {
        while true {
            if let pointer = body() { return pointer }
            let code = libssh2_session_last_errno(raw)
            guard code == LIBSSH2_ERROR_EAGAIN else { throw failure(.channel, "cannot open a channel", code: code) }
            try await waitForSocket(until: deadline)
        }
    }

    /// Suspends until the socket is ready in the direction libssh2 is blocked on.
    /// Sends a keepalive whenever the wait lasts a keepalive interval; throws `.timeout`
    /// once `deadline` has passed.
    func waitForSocket(until deadline: ContinuousClock.Instant?) async throws(SSHError) {
        let directions = libssh2_session_block_directions(raw)
        var events: Int16 = 0
        if directions & LIBSSH2_SESSION_BLOCK_INBOUND != 0 { events |= Int16(POLLIN) }
        if directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { events |= Int16(POLLOUT) }
        if events == 0 { events = Int16(POLLIN) }
        if events & Int16(POLLIN) != 0 { acknowledgeAtOnce() }
        while true {
            let keepalive = ContinuousClock.now + keepaliveInterval
            let wakeAt = deadline.map { min($0, keepalive) } ?? keepalive
            let wakeup: IOLoop.Wakeup
            do {
                wakeup = try await loop.waitUntilReady(fd: socket, events: events, deadline: wakeAt)
            } catch {
                throw SSHError(.timeout, "\(endpoint): cancelled")
            }
            if wakeup == .ready { return }
            if let deadline, ContinuousClock.now >= deadline {
                throw SSHError(.timeout, "\(endpoint): timed out")
            }
            var nextIn: Int32 = 0
            _ = libssh2_keepalive_send(raw, &nextIn)
        }
    }

    /// A pump's error, said of this host, with the jump host's failure when that caused it.
    func located(_ error: SSHError) -> SSHError {
        let cause = error.kind == .disconnected ? jump?.failure.map { " (\($0))" } ?? "" : ""
        return SSHError(error.kind, "\(endpoint): \(error.message)\(cause)", code: error.code)
    }

    /// Asks the kernel to acknowledge the next segments at once instead of up to 40 ms
    /// later. sshd sends small packets with Nagle's algorithm on: after authentication,
    /// its channel-open confirmation waits for our acknowledgement of the packet before
    /// it, so a delayed one costs every host those milliseconds on each connection.
    func acknowledgeAtOnce() {
        guard jump == nil else { return }  // a tunnel's socket pair has no TCP to tune
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_QUICKACK, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// An error carrying libssh2's own explanation of the last failure.
    func failure(_ kind: SSHError.Kind, _ what: String, code: Int32) -> SSHError {
        var message: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        libssh2_session_last_error(raw, &message, &length, 0)
        var detail = message.map { String(cString: $0) } ?? "libssh2 error \(code)"
        let kind: SSHError.Kind = SSHError.isConnectionLoss(code) && kind != .connect ? .disconnected : kind
        let lead = kind == .disconnected ? "connection lost" : what
        if let jumpFailure = jump?.failure { detail += " (\(jumpFailure))" }
        return SSHError(kind, "\(endpoint): \(lead): \(detail)", code: code)
    }
}

/// Owns the libssh2 session and its socket, and frees both when the last reference goes.
///
/// @unchecked Sendable: only the owning `SSHSession` actor touches it while alive, and
/// deinit runs when nothing else can.
final class SessionHandle: @unchecked Sendable {
    let session: OpaquePointer
    var socket: Int32 = -1
    /// `close()` ran: the connection is shut down, the descriptor kept until deinit.
    var isShutDown = false

    init() {
        guard let session = muster_session_init() else { fatalError("libssh2_session_init failed: out of memory") }
        self.session = session
        libssh2_session_set_blocking(session, 0)
    }

    deinit {
        libssh2_session_free(session)
        if socket >= 0 { Glibc.close(socket) }
    }
}

/// libssh2_init is not thread-safe: run it exactly once, before the first session.
enum LibSSH2 {
    private static let initialized: Bool = {
        let rc = libssh2_init(0)
        precondition(rc == 0, "libssh2_init failed: \(rc)")
        return true
    }()

    static func initializeOnce() { _ = initialized }
}
