/// An IPv4 address as a number, so prefixes can be compared without a library.
public struct IPv4Address: Sendable, Hashable, CustomStringConvertible {
    public let value: UInt32

    public init(value: UInt32) { self.value = value }

    /// Dotted quad only (`10.0.0.5`); nil for names, IPv6 and anything malformed.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        self.value = value
    }

    public var description: String {
        [24, 16, 8, 0].map { String(value >> UInt32($0) & 0xff) }.joined(separator: ".")
    }
}

/// An interface address with its prefix length, as `ip -o -4 addr` prints it (`192.0.2.7/24`).
public struct IPv4Interface: Sendable, Hashable, CustomStringConvertible {
    public let address: IPv4Address
    public let prefixLength: Int

    public init(address: IPv4Address, prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let address = IPv4Address(parts[0]), let length = Int(parts[1]), (0...32).contains(length) else {
            return nil
        }
        self.init(address: address, prefixLength: length)
    }

    var mask: UInt32 { prefixLength == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefixLength) }

    public func contains(_ other: IPv4Address) -> Bool { other.value & mask == address.value & mask }

    /// The network, e.g. `192.0.2.0/24`.
    public var network: String { "\(IPv4Address(value: address.value & mask))/\(prefixLength)" }

    public var description: String { "\(address)/\(prefixLength)" }
}

/// One TCP endpoint a target must reach: a reference host's port or a `host:port`
/// from the playbook. The probe connects to `host`; reports show `label`.
public struct PortTarget: Sendable, Hashable {
    public let host: String
    public let port: Int
    /// `host001 (10.0.0.5):61616` for reference hosts, `host:port` otherwise.
    public let label: String

    public init(host: String, port: Int, label: String? = nil) {
        self.host = host
        self.port = port
        self.label = label ?? "\(host):\(port)"
    }

    /// `db.example:5432` or `[2001:db8::1]:5432`.
    public init?(hostPort: String) {
        guard let colon = hostPort.lastIndex(of: ":"), let port = Int(hostPort[hostPort.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        var host = String(hostPort[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "/" }) else { return nil }
        self.init(host: host, port: port, label: hostPort)
    }

    /// The endpoints a `port_reachable` check names: each of `ports` on every reference
    /// host, then its `targets`. The probe and the evaluator both derive them here.
    static func list(for parameters: CheckParameters, references: [PreflightHost]) -> [PortTarget] {
        let onReferences = parameters.integers("ports").flatMap { port in
            references.map { reference in
                let shown = reference.name == reference.address ? reference.name : "\(reference.name) (\(reference.address))"
                return PortTarget(host: reference.address, port: port, label: "\(shown):\(port)")
            }
        }
        return onReferences + parameters.strings("targets").compactMap(PortTarget.init(hostPort:))
    }
}
