import Foundation
import MusterSSH

/// Turns inventory hosts into `FleetTarget`s ready to connect: settings resolved by
/// `ConnectionResolver`, key files read and checked, known_hosts files loaded.
///
/// Every key and known_hosts file is read once, before any host is contacted, so a
/// missing or unreadable file is a bad-input error, not a hundred host failures.
public struct TargetBuilder {
    public typealias PassphraseSource = (PrivateKeyFile) throws -> String?

    private let resolver: ConnectionResolver
    private let passphrase: PassphraseSource
    private var identities: [String: SSHCredentials.Identity] = [:]
    private var knownHosts: [[String]: KnownHosts] = [:]
    /// ssh options that applied to some host but that Muster ignores, for one warning per run.
    public private(set) var ignoredOptions: [String] = []

    public init(resolver: ConnectionResolver, passphrase: @escaping PassphraseSource) {
        self.resolver = resolver
        self.passphrase = passphrase
    }

    public mutating func targets(for hosts: [InventoryHost]) throws -> [FleetTarget] {
        try hosts.map { try target(for: resolver.resolve($0)) }
    }

    mutating func target(for connection: ResolvedConnection) throws -> FleetTarget {
        for option in connection.ignored where !ignoredOptions.contains(option) { ignoredOptions.append(option) }
        let keyPaths = connection.identityFiles.isEmpty ? Self.defaultKeyFiles() : connection.identityFiles.map(\.value)
        let credentials = SSHCredentials(
            identities: try keyPaths.map { try identity(at: $0) }, useAgent: connection.useAgent.value,
            password: connection.password?.value)
        let options = SSHClientOptions(
            connectTimeout: connection.connectTimeout.value, hostKeyPolicy: connection.hostKeyPolicy.value,
            knownHosts: try knownHostsStore(connection), keepaliveInterval: connection.keepaliveInterval.value)
        return FleetTarget(
            endpoint: SSHEndpoint(
                name: connection.name, address: connection.address.value, port: connection.port.value, user: connection.user.value),
            credentials: credentials, options: options,
            jumpHosts: try connection.jumpRoute.map { try target(for: $0) })
    }

    private mutating func identity(at path: String) throws -> SSHCredentials.Identity {
        if let known = identities[path] { return known }
        let key: PrivateKeyFile
        do {
            key = try PrivateKeyFile(path: path)
        } catch let error as SSHError {
            throw UsageError(error.message)
        }
        let identity = SSHCredentials.Identity(key: key, passphrase: key.isEncrypted ? try passphrase(key) : nil)
        identities[path] = identity
        return identity
    }

    /// One store per distinct list of files; the system-wide files are always consulted.
    private mutating func knownHostsStore(_ connection: ResolvedConnection) throws -> KnownHosts {
        let userFiles = connection.knownHostsFiles.value
        if let store = knownHosts[userFiles] { return store }
        if connection.knownHostsFiles.source != "default", connection.hostKeyPolicy.value != .acceptNew,
            let missing = userFiles.first(where: { !FileManager.default.isReadableFile(atPath: $0) })
        {
            throw UsageError("\(missing): known_hosts file not found or not readable (from \(connection.knownHostsFiles.source))")
        }
        let store: KnownHosts
        do {
            store = try KnownHosts(
                files: userFiles + ["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"], writableFile: userFiles.first)
        } catch let error as SSHError {
            throw UsageError(error.message)
        }
        knownHosts[userFiles] = store
        return store
    }

    /// As ssh takes it: USER, else the password database's name for this uid.
    static let localUser: String = ProcessInfo.processInfo.environment["USER"]
        ?? getpwuid(getuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? String(getuid())

    /// The key files OpenSSH tries by default, those that exist.
    static func defaultKeyFiles() -> [String] {
        ["id_ed25519", "id_ecdsa", "id_rsa"].map { expandTilde("~/.ssh/\($0)") }
            .filter { FileManager.default.fileExists(atPath: $0) }
    }

    static func expandTilde(_ path: String) -> String {
        (path as NSString).expandingTildeInPath
    }
}

/// Bad input from the operator: reported on one line, exit status 2, no host touched.
public struct UsageError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
