import Foundation
import Glibc

/// A resolved socket address, ready for connect(2).
public struct SocketAddress: Sendable, CustomStringConvertible {
    let family: Int32
    let storage: sockaddr_storage
    let length: socklen_t

    public var description: String {
        var copy = storage
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var port = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let rc = withUnsafePointer(to: &copy) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo(
                    $0, length, &host, socklen_t(host.count), &port, socklen_t(port.count),
                    NI_NUMERICHOST | NI_NUMERICSERV)
            }
        }
        guard rc == 0 else { return "?" }
        let address = Self.string(host)
        let service = Self.string(port)
        return family == AF_INET6 ? "[\(address)]:\(service)" : "\(address):\(service)"
    }
}

extension SocketAddress {
    fileprivate static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Turns host names into addresses without blocking an IOLoop or the cooperative pool.
///
/// Numeric addresses (the common case in inventories) are parsed inline; names go to
/// getaddrinfo on one dedicated thread, since getaddrinfo can block for seconds.
public enum AddressResolver {
    private static let queue = BlockingWorkQueue(name: "muster-resolver")

    public static func resolve(host: String, port: Int) async throws -> [SocketAddress] {
        if let numeric = try? lookup(host: host, port: port, numericOnly: true) { return numeric }
        return try await queue.run { try lookup(host: host, port: port, numericOnly: false) }
    }

    private static func lookup(host: String, port: Int, numericOnly: Bool) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV | (numericOnly ? AI_NUMERICHOST : AI_ADDRCONFIG)
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        guard rc == 0, let first = result else {
            throw SSHError(.resolve, "cannot resolve '\(host)': \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor?.pointee {
            var storage = sockaddr_storage()
            withUnsafeMutableBytes(of: &storage) { raw in
                raw.copyMemory(from: UnsafeRawBufferPointer(start: info.ai_addr, count: Int(info.ai_addrlen)))
            }
            addresses.append(SocketAddress(family: info.ai_family, storage: storage, length: info.ai_addrlen))
            cursor = info.ai_next
        }
        return addresses
    }
}

/// A single thread for the few calls that can only block (name lookups),
/// kept away from both the IOLoops and Swift's cooperative pool.
final class BlockingWorkQueue: @unchecked Sendable {
    // @unchecked Sendable: `work` is guarded by `condition`.
    private let condition = NSCondition()
    private var work: [@Sendable () -> Void] = []

    init(name: String) {
        let thread = Thread { [unowned self] in
            while true {
                condition.lock()
                while work.isEmpty { condition.wait() }
                let item = work.removeFirst()
                condition.unlock()
                item()
            }
        }
        thread.name = name
        thread.start()
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            work.append { continuation.resume(with: Result { try body() }) }
            condition.signal()
            condition.unlock()
        }
    }
}
