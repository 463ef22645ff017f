import CLibSSH2
import Foundation
import Glibc

/// The tunnels of one jump session: direct-tcpip channels, each joined to a local
/// socket pair whose other end another `SSHSession` uses as its connection.
///
/// Only the jump session's actor touches it. Every step is non-blocking. libssh2 has
/// one rule that shapes the design: when a call returns EAGAIN with a packet half
/// written to the socket, the next call that sends must be that same call, with the
/// same buffer. `blocked` remembers such a call, and `step` retries it before anything
/// else; each tunnel's buffers stay put until their bytes are accepted.
final class TunnelMux {
    struct OpenRequest {
        let host: String
        let port: Int
        let requester: String
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Result<Int32, SSHError>, Never>
    }

    /// A libssh2 call that left a packet half sent.
    enum Operation: Equatable {
        case open, read(Int), write(Int), sendEOF(Int), free(Int)
    }

    let jumpHost: String
    var requests: [OpenRequest] = []
    var pumping = false
    private(set) var failure: String?
    private(set) var blocked: Operation?
    private var tunnels: [Tunnel] = []
    private var nextID = 0
    /// Wakes the pump when a request arrives while it waits on sockets.
    private let wakeFD = muster_wake_fd()

    init(jumpHost: String) { self.jumpHost = jumpHost }
    deinit { close(wakeFD) }

    var isIdle: Bool { requests.isEmpty && tunnels.isEmpty }

    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// One pass over the open requests and every tunnel; true when any byte moved.
    func step(session: OpaquePointer) throws(SSHError) -> Bool {
        var progressed = false
        if let operation = blocked {
            blocked = nil
            progressed = try retry(operation, session: session)
            if blocked != nil { return progressed }
        }
        for tunnel in tunnels where blocked == nil {
            progressed = try pump(tunnel, session: session) || progressed
        }
        tunnels.removeAll { $0.isFreed }
        // Opens last: a confirmation read off the socket while serving a tunnel is taken now.
        if blocked == nil && !requests.isEmpty { progressed = try openNext(session: session) || progressed }
        return progressed
    }

    /// Whether libssh2 already holds something for a tunnel: a read for one channel
    /// takes every packet off the socket, so data, an EOF or a window adjustment for
    /// another may be waiting in libssh2 with nothing left on the socket to wake us.
    var hasQueuedWork: Bool {
        guard blocked == nil else { return false }
        return tunnels.contains { tunnel in
            guard !tunnel.closing else { return false }
            if !tunnel.hasOutputForLocal && !tunnel.remoteEOF
                && (libssh2_poll_channel_read(tunnel.channel, 0) != 0 || libssh2_channel_eof(tunnel.channel) != 0)
            {
                return true
            }
            return tunnel.hasInputForRemote && libssh2_channel_window_write_ex(tunnel.channel, nil) > 0
        }
    }

    /// What the pump waits for: the jump session's socket, the wake-up descriptor, and
    /// each local socket that can take or give bytes now.
    func interests(sessionSocket: Int32, directions: Int32) -> [IOLoop.Interest] {
        var sessionEvents = Int16(POLLIN)
        if directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { sessionEvents |= Int16(POLLOUT) }
        var interests = [IOLoop.Interest(fd: sessionSocket, events: sessionEvents), IOLoop.Interest(fd: wakeFD, events: Int16(POLLIN))]
        guard blocked == nil else { return interests }
        for tunnel in tunnels {
            var events: Int16 = 0
            if tunnel.wantsLocalInput { events |= Int16(POLLIN) }
            if tunnel.hasOutputForLocal { events |= Int16(POLLOUT) }
            if events != 0 { interests.append(IOLoop.Interest(fd: tunnel.localFD, events: events)) }
        }
        return interests
    }

    /// Answers requests whose deadline passed; a channel still opening for one is
    /// closed when it arrives.
    func expireRequests() {
        var drained: UInt64 = 0
        _ = read(wakeFD, &drained, 8)
        let now = ContinuousClock.now
        let expired = requests.indices.filter { requests[$0].deadline <= now && !($0 == 0 && opening) }
        for index in expired.reversed() {
            let request = requests.remove(at: index)
            request.continuation.resume(returning: .failure(SSHError(.connect, "\(request.requester): \(timeoutMessage(request))")))
        }
    }

    /// The connection is gone (or closing): every tunnel's local socket is closed, so the
    /// sessions over them fail at once, and waiting requests are refused with `reason`.
    func fail(because reason: String, session: OpaquePointer) {
        failure = failure ?? reason
        for request in requests {
            request.continuation.resume(returning: .failure(SSHError(.connect, "\(request.requester): jump host \(reason)")))
        }
        requests = []
        opening = false
        for tunnel in tunnels { tunnel.abandon() }
        tunnels = []
        wake()
    }

    // MARK: Opening

    /// Whether the first request's channel open is under way in libssh2.
    private var opening = false

    private func openNext(session: OpaquePointer) throws(SSHError) -> Bool {
        let request = requests[0]
        opening = true
        let channel = libssh2_channel_direct_tcpip_ex(session, request.host, Int32(request.port), "127.0.0.1", 22)
        if channel == nil {
            let code = libssh2_session_last_errno(session)
            if code == LIBSSH2_ERROR_EAGAIN {
                if libssh2_session_block_directions(session) & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { blocked = .open }
                return false
            }
            opening = false
            requests.removeFirst()
            if SSHError.isConnectionLoss(code) { throw SSHError(.disconnected, "connection lost (libssh2 error \(code))", code: code) }
            let reason = Self.lastError(session) ?? "libssh2 error \(code)"
            request.continuation.resume(
                returning: .failure(
                    SSHError(.connect, "\(request.requester): jump host \(jumpHost) cannot connect to \(request.host):\(request.port): \(reason)")))
            return true
        }
        opening = false
        requests.removeFirst()
        guard ContinuousClock.now < request.deadline else {
            libssh2_channel_free(channel)
            request.continuation.resume(returning: .failure(SSHError(.connect, "\(request.requester): \(timeoutMessage(request))")))
            return true
        }
        var pair: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &pair) == 0 else {
            libssh2_channel_free(channel)
            request.continuation.resume(
                returning: .failure(SSHError(.connect, "\(request.requester): socketpair: \(String(cString: strerror(errno)))")))
            return true
        }
        nextID += 1
        tunnels.append(Tunnel(id: nextID, channel: channel!, localFD: pair[0]))
        request.continuation.resume(returning: .success(pair[1]))
        return true
    }

    private func timeoutMessage(_ request: OpenRequest) -> String {
        "jump host \(jumpHost) did not open a connection to \(request.host):\(request.port) in time"
    }

    static func lastError(_ session: OpaquePointer) -> String? {
        var message: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        libssh2_session_last_error(session, &message, &length, 0)
        return message.map { String(cString: $0) }
    }

    // MARK: Moving bytes

    /// Advances one tunnel in both directions; true when anything moved. Stops at the
    /// first call that leaves a packet half sent (`blocked`).
    private func pump(_ tunnel: Tunnel, session: OpaquePointer) throws(SSHError) -> Bool {
        if tunnel.closing { return freeChannel(tunnel, session: session) }
        var progressed = try readRemote(tunnel, session: session)
        if blocked != nil || tunnel.closing { return progressed }
        progressed = tunnel.flushToLocal() || progressed
        progressed = tunnel.fillFromLocal() || progressed
        progressed = try writeRemote(tunnel, session: session) || progressed
        if blocked != nil || tunnel.closing { return progressed }
        progressed = sendEOF(tunnel, session: session) || progressed
        if tunnel.isDone {
            tunnel.close()
            progressed = true
        }
        return progressed
    }

    /// Retries exactly the call that left a packet half sent, as libssh2 requires.
    private func retry(_ operation: Operation, session: OpaquePointer) throws(SSHError) -> Bool {
        if operation == .open { return try openNext(session: session) }
        guard let tunnel = tunnels.first(where: { [.read($0.id), .write($0.id), .sendEOF($0.id), .free($0.id)].contains(operation) })
        else { return false }
        switch operation {
        case .read: return try readRemote(tunnel, session: session)
        case .write: return try writeRemote(tunnel, session: session)
        case .sendEOF: return sendEOF(tunnel, session: session)
        default: return freeChannel(tunnel, session: session)
        }
    }

    /// EAGAIN with the socket full means a packet is half sent: remember who must finish it.
    private func noteBlocked(_ operation: Operation, session: OpaquePointer) {
        if libssh2_session_block_directions(session) & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { blocked = operation }
    }

    private func readRemote(_ tunnel: Tunnel, session: OpaquePointer) throws(SSHError) -> Bool {
        guard !tunnel.hasOutputForLocal && !tunnel.remoteEOF else { return false }
        let count = tunnel.readChannel()
        if count > 0 { return true }
        if count == 0 {
            guard libssh2_channel_eof(tunnel.channel) != 0 else { return false }
            tunnel.remoteEOF = true
            return true
        }
        if count == LIBSSH2_ERROR_EAGAIN {
            noteBlocked(.read(tunnel.id), session: session)
            return false
        }
        try Self.throwIfConnectionLost(count)
        tunnel.close()  // this channel failed; the others go on
        return true
    }

    private func writeRemote(_ tunnel: Tunnel, session: OpaquePointer) throws(SSHError) -> Bool {
        guard tunnel.hasInputForRemote else { return false }
        let written = tunnel.writeChannel()
        if written > 0 { return true }
        if written == LIBSSH2_ERROR_EAGAIN {
            noteBlocked(.write(tunnel.id), session: session)
            return false
        }
        try Self.throwIfConnectionLost(written)
        tunnel.close()
        return true
    }

    private func sendEOF(_ tunnel: Tunnel, session: OpaquePointer) -> Bool {
        guard tunnel.localEOF && !tunnel.hasInputForRemote && !tunnel.eofSent else { return false }
        let rc = libssh2_channel_send_eof(tunnel.channel)
        if rc == LIBSSH2_ERROR_EAGAIN {
            noteBlocked(.sendEOF(tunnel.id), session: session)
            return false
        }
        tunnel.eofSent = true
        return true
    }

    private func freeChannel(_ tunnel: Tunnel, session: OpaquePointer) -> Bool {
        if libssh2_channel_free(tunnel.channel) == LIBSSH2_ERROR_EAGAIN {
            noteBlocked(.free(tunnel.id), session: session)
            return false
        }
        tunnel.finishFree()
        return true
    }

    /// A socket-level failure ends the jump session; channel-level ones end one tunnel.
    private static func throwIfConnectionLost(_ code: Int) throws(SSHError) {
        let code = Int32(code)
        guard SSHError.isConnectionLoss(code), code != LIBSSH2_ERROR_CHANNEL_CLOSED, code != LIBSSH2_ERROR_CHANNEL_EOF_SENT else { return }
        throw SSHError(.disconnected, "connection lost (libssh2 error \(code))", code: code)
    }
}
