import CLibSSH2
import Glibc

/// One direct-tcpip channel and the local socket it is joined to.
///
/// Bytes wait in two fixed buffers, one per direction, until the other side takes
/// them. A buffer is refilled only once empty, so a write that libssh2 has to retry
/// always sees the same pointer and length (see `TunnelMux`).
final class Tunnel {
    static let bufferSize = 64 * 1024

    let id: Int
    let channel: OpaquePointer
    private(set) var localFD: Int32
    /// Local socket to channel.
    private let toRemote = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
    private var toRemoteRange = 0..<0
    /// Channel to local socket.
    private let toLocal = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
    private var toLocalRange = 0..<0

    /// The local side finished writing (its session closed the socket).
    private(set) var localEOF = false
    /// The far host finished sending (its channel is at EOF).
    var remoteEOF = false
    var eofSent = false
    private var localShutDown = false
    /// Closing: the channel is being freed; the local socket is already closed.
    private(set) var closing = false
    private(set) var isFreed = false

    init(id: Int, channel: OpaquePointer, localFD: Int32) {
        self.id = id
        self.channel = channel
        self.localFD = localFD
    }

    deinit {
        toRemote.deallocate()
        toLocal.deallocate()
        if localFD >= 0 { Glibc.close(localFD) }
    }

    var wantsLocalInput: Bool { !closing && !localEOF && toRemoteRange.isEmpty }
    var hasOutputForLocal: Bool { !closing && !toLocalRange.isEmpty }
    var hasInputForRemote: Bool { !closing && !toRemoteRange.isEmpty }
    /// Both directions have ended and everything was delivered.
    var isDone: Bool { eofSent && remoteEOF && toLocalRange.isEmpty && localShutDown }

    /// libssh2_channel_read into the empty to-local buffer; its result.
    func readChannel() -> Int {
        let count = muster_channel_read(channel, 0, toLocal.baseAddress!.assumingMemoryBound(to: CChar.self), Self.bufferSize)
        if count > 0 { toLocalRange = 0..<count }
        return count
    }

    /// libssh2_channel_write of what waits in the to-remote buffer; its result.
    func writeChannel() -> Int {
        let start = toRemote.baseAddress!.advanced(by: toRemoteRange.lowerBound).assumingMemoryBound(to: CChar.self)
        let written = muster_channel_write(channel, start, toRemoteRange.count)
        if written > 0 { toRemoteRange = (toRemoteRange.lowerBound + written)..<toRemoteRange.upperBound }
        return written
    }

    /// Hands buffered bytes to the local socket, and half-closes it once the far host
    /// has finished and all was delivered; true when anything happened.
    func flushToLocal() -> Bool {
        var progressed = false
        if !toLocalRange.isEmpty && !closing {
            let sent = send(localFD, toLocal.baseAddress!.advanced(by: toLocalRange.lowerBound), toLocalRange.count, Int32(MSG_NOSIGNAL))
            if sent > 0 {
                toLocalRange = (toLocalRange.lowerBound + sent)..<toLocalRange.upperBound
                progressed = true
            } else if sent < 0 && errno != EAGAIN && errno != EINTR {
                close()  // the session on the other end is gone
                return true
            }
        }
        if remoteEOF && toLocalRange.isEmpty && !localShutDown && !closing {
            shutdown(localFD, Int32(SHUT_WR))
            localShutDown = true
            progressed = true
        }
        return progressed
    }

    /// Reads from the local socket when the to-remote buffer is empty; true when anything happened.
    func fillFromLocal() -> Bool {
        guard wantsLocalInput else { return false }
        let count = recv(localFD, toRemote.baseAddress, Self.bufferSize, 0)
        if count > 0 {
            toRemoteRange = 0..<count
            return true
        }
        if count == 0 {
            localEOF = true
            return true
        }
        if errno == EAGAIN || errno == EINTR { return false }
        close()
        return true
    }

    /// Closes the local socket (its session sees the connection end) and starts
    /// freeing the channel, which `TunnelMux` finishes.
    func close() {
        guard !closing else { return }
        closing = true
        if localFD >= 0 {
            Glibc.close(localFD)
            localFD = -1
        }
    }

    func finishFree() { isFreed = true }

    /// The jump session is gone: only the local socket can still be closed; the channel
    /// goes with the session.
    func abandon() {
        close()
        isFreed = true
    }
}
