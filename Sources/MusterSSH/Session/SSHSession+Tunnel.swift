import CLibSSH2
import Foundation
import Glibc

extension SSHSession {
    /// Opens a TCP connection from this session's host to `host:port` (SSH's
    /// direct-tcpip, what `ssh -J` asks of a jump host) and returns a local socket that
    /// carries it, for another `SSHSession` to run its own handshake over.
    ///
    /// From the first tunnel on, this session is a jump session: one pump task owns its
    /// libssh2 session and moves the bytes of every tunnel, so one connection to a
    /// bastion carries all the hosts behind it. It must not also run commands.
    /// `requester` names the host that asked, for messages.
    public func openTunnel(
        to host: String, port: Int, for requester: String, deadline: ContinuousClock.Instant
    ) async throws(SSHError) -> Int32 {
        let mux = tunnels ?? TunnelMux(jumpHost: endpoint.description)
        tunnels = mux
        if let failure = mux.failure {
            throw SSHError(.connect, "\(requester): jump host \(failure)")
        }
        let result: Result<Int32, SSHError> = await withCheckedContinuation { continuation in
            mux.requests.append(
                TunnelMux.OpenRequest(host: host, port: port, requester: requester, deadline: deadline, continuation: continuation))
            mux.wake()
            if !mux.pumping {
                mux.pumping = true
                Task { await self.pumpTunnels() }
            }
        }
        return try result.get()
    }

    /// Ends every tunnel (their sessions see the connection close) before this session goes.
    func closeTunnels() async {
        guard let mux = tunnels else { return }
        mux.fail(because: "\(endpoint): closed", session: raw)
        while mux.pumping { await loop.yieldToOthers() }
    }

    /// Moves bytes until no tunnel and no request is left, or the connection fails.
    /// Runs on this session's actor, so it is the only code touching libssh2 here.
    private func pumpTunnels() async {
        guard let mux = tunnels else { return }
        defer { mux.pumping = false }
        while !mux.isIdle {
            let progressed: Bool
            do {
                progressed = try mux.step(session: raw)
            } catch {
                // Recorded first: the tunnelled sessions read it as soon as their sockets close.
                tunnelHealth.record("\(endpoint): \(error.message)")
                mux.fail(because: "\(endpoint): \(error.message)", session: raw)
                return
            }
            if progressed || mux.hasQueuedWork {
                await loop.yieldToOthers()
                continue
            }
            let keepaliveAt = ContinuousClock.now + keepaliveInterval
            let wakeAt = mux.requests.map(\.deadline).reduce(keepaliveAt, min)
            let interests = mux.interests(sessionSocket: socket, directions: libssh2_session_block_directions(raw))
            acknowledgeAtOnce()  // the tunnelled handshakes are small packets too
            let wakeup = try? await loop.waitUntilReady(interests, deadline: wakeAt)
            mux.expireRequests()
            if wakeup == .deadline && ContinuousClock.now >= keepaliveAt && mux.blocked == nil {
                var nextIn: Int32 = 0
                _ = libssh2_keepalive_send(raw, &nextIn)
            }
        }
    }
}

/// A read-only view of a jump session's health, kept by the sessions tunnelled
/// through it: when the jump host's connection dies, their own errors say why.
public final class JumpLink: Sendable {
    private let health: TunnelHealth
    init(_ jump: SSHSession) { health = jump.tunnelHealth }
    var failure: String? { health.failure.map { "through jump host \($0)" } }
}

/// Why a jump session stopped carrying tunnels; written by its pump, read from any thread.
final class TunnelHealth: @unchecked Sendable {
    // @unchecked Sendable: `stored` is guarded by `lock`.
    private let lock = NSLock()
    private var stored: String?
    var failure: String? { lock.withLock { stored } }
    func record(_ failure: String?) { lock.withLock { stored = stored ?? failure } }
}
