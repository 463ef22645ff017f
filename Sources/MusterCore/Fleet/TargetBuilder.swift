import Foundation
import MusterSSH

/// Connection settings given on the command line; inventory variables override them
/// per host, as in Ansible.
public struct ConnectionDefaults: Sendable {
    public var user: String?
    public var privateKeys: [String]
    public var password: String?
    public var useAgent: Bool

    public init(user: String? = nil, privateKeys: [String] = [], password: String? = nil, useAgent: Bool = true) {
        self.user = user
        self.privateKeys = privateKeys
        self.password = password
        self.useAgent = useAgent
    }
}

/// Turns inventory hosts into `FleetTarget`s: address, port, user and keys from
/// `ansible_host`, `ansible_port`, `ansible_user` and `ansible_ssh_private_key_file`,
/// falling back to the command line, then to OpenSSH's defaults.
///
/// Every key file is read and checked once, before any host is contacted, so a
/// missing or unreadable key is a bad-input error, not a hundred host failures.
public struct TargetBuilder {
    public typealias PassphraseSource = (PrivateKeyFile) throws -> String?

    private let defaults: ConnectionDefaults
    private let passphrase: PassphraseSource
    private var identities: [String: SSHCredentials.Identity] = [:]

    public init(defaults: ConnectionDefaults, passphrase: @escaping PassphraseSource) {
        self.defaults = defaults
        self.passphrase = passphrase
    }

    public mutating func targets(for hosts: [InventoryHost]) throws -> [FleetTarget] {
        try hosts.map { try target(for: $0) }
    }

    mutating func target(for host: InventoryHost) throws -> FleetTarget {
        let address = host.vars["ansible_host"]?.description ?? host.name
        let port = try port(of: host)
        let user = host.vars["ansible_user"]?.description ?? defaults.user ?? Self.localUser
        let keyPaths =
            host.vars["ansible_ssh_private_key_file"].map { [Self.expandTilde($0.description)] }
            ?? (defaults.privateKeys.isEmpty ? Self.defaultKeyFiles() : defaults.privateKeys.map(Self.expandTilde))
        let identities = try keyPaths.map { try identity(at: $0) }
        let credentials = SSHCredentials(identities: identities, useAgent: defaults.useAgent, password: defaults.password)
        return FleetTarget(
            endpoint: SSHEndpoint(name: host.name, address: address, port: port, user: user),
            credentials: credentials)
    }

    private func port(of host: InventoryHost) throws -> Int {
        guard let value = host.vars["ansible_port"] else { return 22 }
        guard let port = Int(value.description), (1...65535).contains(port) else {
            throw UsageError("host \(host.name): ansible_port must be a number from 1 to 65535, not '\(value)'")
        }
        return port
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

    static var localUser: String {
        ProcessInfo.processInfo.environment["USER"] ?? (getuid() == 0 ? "root" : String(cString: getlogin()))
    }

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
