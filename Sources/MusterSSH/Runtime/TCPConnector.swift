import Foundation
import Glibc

/// Non-blocking TCP connect on an IOLoop, trying each resolved address in turn
/// until one answers or the deadline passes.
enum TCPConnector {
    /// Runs on the caller's executor (the session's loop), so connecting never depends
    /// on a free thread in Swift's cooperative pool.
    static func connect(
        to addresses: [SocketAddress], endpoint: SSHEndpoint, loop: IOLoop,
        deadline: ContinuousClock.Instant,
        isolation: isolated (any Actor)? = #isolation
    ) async throws -> Int32 {
        var lastError = "no address"
        for address in addresses {
            let fd = Glibc.socket(
                address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                lastError = String(cString: strerror(errno))
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            var storage = address.storage
            let rc = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) }
            }
            if rc == 0 { return fd }
            guard errno == EINPROGRESS else {
                lastError = "\(address): \(String(cString: strerror(errno)))"
                Glibc.close(fd)
                continue
            }
            let wakeup = try? await loop.waitUntilReady(fd: fd, events: Int16(POLLOUT), deadline: deadline)
            guard wakeup == .ready else {
                Glibc.close(fd)
                throw SSHError(.connect, "\(endpoint): connect to \(address) timed out")
            }
            var status: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &status, &length)
            if status == 0 { return fd }
            lastError = "\(address): \(String(cString: strerror(status)))"
            Glibc.close(fd)
        }
        throw SSHError(.connect, "\(endpoint): cannot connect: \(lastError)")
    }
}
