#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How ssh writes the name it connects to: addresses in their canonical numeric form, names
/// in lower case.
enum SSHNumericHost {
    static func normalized(_ host: String) -> String {
        guard isAddress(host) else { return SSHHostPattern.asciiLowercased(host) }
        guard let canonical = canonicalAddress(host), canonical.lowercased() != host.lowercased() else { return host }
        return canonical
    }

    /// ssh.c's is_addr: anything with `%` or `:`, only digits and dots, or a numeric address.
    private static func isAddress(_ host: String) -> Bool {
        host.contains("%") || host.contains(":") || host.allSatisfy { "0123456789.".contains($0) }
            || canonicalAddress(host) != nil
    }

    /// The address written out by getnameinfo(3), when getaddrinfo(3) reads `host` as exactly one
    /// numeric address (`127.1` is `127.0.0.1`); no name lookup is made.
    private static func canonicalAddress(_ host: String) -> String? {
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, "22", &hints, &list) == 0, let first = list else { return nil }
        defer { freeaddrinfo(list) }
        guard first.pointee.ai_next == nil else { return nil }
        var name = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard getnameinfo(first.pointee.ai_addr, first.pointee.ai_addrlen, &name, socklen_t(name.count), nil, 0, NI_NUMERICHOST) == 0
        else { return nil }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
