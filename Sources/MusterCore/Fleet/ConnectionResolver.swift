import Foundation
import MusterSSH

/// A setting and where its value came from, for `muster inventory --resolve`.
public struct Sourced<Value: Sendable>: Sendable {
    public var value: Value
    public var source: String

    public init(_ value: Value, _ source: String) {
        self.value = value
        self.source = source
    }
}

/// How Muster will reach one host, each value with its source.
public struct ResolvedConnection: Sendable {
    public var name: String
    public var address: Sourced<String>
    public var port: Sourced<Int>
    public var user: Sourced<String>
    /// Key files in the order they are offered; empty means the OpenSSH defaults that exist.
    public var identityFiles: [Sourced<String>]
    public var useAgent: Sourced<Bool>
    public var jumpHosts: Sourced<[SSHJumpHost]>?
    /// How to reach each of `jumpHosts`, in order: the first from here, each next one
    /// through the one before it.
    public var jumpRoute: [ResolvedConnection] = []
    public var knownHostsFiles: Sourced<[String]>
    public var hostKeyPolicy: Sourced<HostKeyPolicy>
    public var connectTimeout: Sourced<Duration>
    public var keepaliveInterval: Sourced<Duration>
    /// Never printed: only whether one is set, and where.
    public var password: Sourced<String>?
    /// ssh options that applied to this host but that Muster does not act on.
    public var ignored: [String]
}

/// Merges the places connection settings come from, with Ansible's and OpenSSH's precedence:
///
/// - host, port, user, key: inventory variables (`ansible_host`, `ansible_port`, `ansible_user`,
///   `ansible_ssh_private_key_file`) beat the command line (`-u`, `--private-key`), which beats
///   `ansible_ssh_common_args`/`ansible_ssh_extra_args`, which beat the OpenSSH config file
///   (`HostName`, `User`, `Port`, `IdentityFile`; first obtained value wins, as in ssh).
/// - known_hosts files, host key policy, connect timeout: an explicit command-line option beats
///   the ssh arguments and the config file, which beat Muster's defaults (strict, 10 s).
public struct ConnectionResolver {
    /// What the operator gave on the command line; nil where nothing was given.
    public struct CommandLine: Sendable {
        public var user: String?
        public var privateKeys: [String] = []
        public var knownHostsFile: String?
        public var hostKeyPolicy: HostKeyPolicy?
        public var connectTimeout: Duration?
        public var password: String?
        public var useAgent = true

        public init() {}
    }

    public static let defaultConnectTimeout = Duration.seconds(10)
    public static let defaultKeepalive = Duration.seconds(15)

    private let inventory: Inventory
    private let sshConfig: SSHConfigFile
    private let commandLine: CommandLine
    private let environment = ProcessInfo.processInfo.environment

    public init(inventory: Inventory, sshConfig: SSHConfigFile, commandLine: CommandLine) {
        self.inventory = inventory
        self.sshConfig = sshConfig
        self.commandLine = commandLine
    }

    public func resolve(_ host: InventoryHost) throws -> ResolvedConnection {
        let arguments = try sshArguments(of: host)
        let config = try arguments.configFile.map { try SSHConfigFile.load(path: $0) } ?? sshConfig
        let ansibleHost = variable("ansible_host", of: host)
        let ansibleUser = variable("ansible_user", of: host)
        let ansiblePort = try port(of: host)
        let givenUser = ansibleUser ?? commandLine.user.map { Sourced($0, "--user") }
        let settings: SSHHostSettings
        do {
            settings = try config.resolve(
                host: ansibleHost?.value ?? host.name, user: givenUser?.value, port: ansiblePort?.value, arguments: arguments)
        } catch {
            throw UsageError("host \(host.name): \(error)")
        }
        let address =
            settings.hostName.origin == .given
            ? Sourced(settings.hostName.value, ansibleHost?.source ?? "inventory name")
            : Sourced(settings.hostName.value, "\(settings.hostName.origin) HostName")
        var connection = ResolvedConnection(
            name: host.name,
            address: address,
            port: settings.port.map { Sourced($0.value, $0.origin == .given ? ansiblePort!.source : "\($0.origin) Port") }
                ?? Sourced(22, "default"),
            user: settings.user.map { Sourced($0.value, $0.origin == .given ? givenUser!.source : "\($0.origin) User") }
                ?? Sourced(TargetBuilder.localUser, "local user"),
            identityFiles: identityFiles(of: host, settings: settings),
            useAgent: useAgent(settings),
            jumpHosts: settings.proxyJump.flatMap { $0.value.isEmpty ? nil : Sourced($0.value, "\($0.origin) ProxyJump") },
            knownHostsFiles: knownHostsFiles(settings),
            hostKeyPolicy: hostKeyPolicy(settings),
            connectTimeout: connectTimeout(settings),
            keepaliveInterval: settings.serverAliveInterval.map {
                Sourced($0.value == .zero ? .seconds(86_400) : $0.value, "\($0.origin) ServerAliveInterval")
            } ?? Sourced(Self.defaultKeepalive, "default"),
            password: password(of: host),
            ignored: settings.unsupportedKeywords.map { "\($0.value) (\($0.origin))" }
                + settings.warnings.map(\.description)
                + arguments.unsupported.map { "\($0) (ssh arguments of \(host.name))" })
        connection.jumpRoute = try connection.jumpHosts.map { hops in
            try hops.value.map { try resolveJumpHost($0, of: connection, config: config, source: hops.source) }
        } ?? []
        return connection
    }

    /// A jump host's settings, as `ssh -J` would take them: the hop's own user and port,
    /// else its ssh config, else the local user and port 22. Two differences, both so
    /// that a bastion works with what already works for its hosts: when the ssh config
    /// names no key for the hop, the host's own key files are offered; and the host's
    /// known_hosts files, policy and timeout apply. A ProxyJump in the hop's own config
    /// is not followed: list every hop on the host instead (`-J a,b`).
    private func resolveJumpHost(
        _ hop: SSHJumpHost, of target: ResolvedConnection, config: SSHConfigFile, source: String
    ) throws -> ResolvedConnection {
        let settings: SSHHostSettings
        do {
            settings = try config.resolve(host: hop.host, user: hop.user, port: hop.port)
        } catch {
            throw UsageError("host \(target.name): jump host \(hop): \(error)")
        }
        let configuredKeys = settings.identityFiles.map { Sourced(TargetBuilder.expandTilde($0.value), "\($0.origin) IdentityFile") }
        let address = Sourced(settings.hostName.value, settings.hostName.origin == .given ? source : "\(settings.hostName.origin) HostName")
        return ResolvedConnection(
            name: hop.host, address: address,
            port: settings.port.map { Sourced($0.value, $0.origin == .given ? source : "\($0.origin) Port") } ?? Sourced(22, "default"),
            user: settings.user.map { Sourced($0.value, $0.origin == .given ? source : "\($0.origin) User") }
                ?? Sourced(TargetBuilder.localUser, "local user"),
            identityFiles: configuredKeys.isEmpty ? target.identityFiles : configuredKeys,
            useAgent: useAgent(settings), jumpHosts: nil,
            knownHostsFiles: target.knownHostsFiles, hostKeyPolicy: target.hostKeyPolicy,
            connectTimeout: target.connectTimeout, keepaliveInterval: target.keepaliveInterval,
            password: commandLine.password.map { Sourced($0, "command line") }, ignored: [])
    }

    // MARK: Each setting

    private func variable(_ name: String, of host: InventoryHost) -> Sourced<String>? {
        guard let value = host.vars[name] else { return nil }
        return Sourced(value.description, source(of: name, host: host))
    }

    private func source(of name: String, host: InventoryHost) -> String {
        guard let origin = inventory.origin(ofVariable: name, host: host.name) else { return name }
        let place = [origin.source, origin.line.map(String.init)].compactMap { $0 }.joined(separator: ":")
        return "\(place) \(name)" + (origin.group.map { " (group \($0))" } ?? "")
    }

    private func port(of host: InventoryHost) throws -> Sourced<Int>? {
        guard let text = variable("ansible_port", of: host) else { return nil }
        guard let port = Int(text.value), (1...65535).contains(port) else {
            throw UsageError("host \(host.name): ansible_port must be a number from 1 to 65535, not '\(text.value)'")
        }
        return Sourced(port, text.source)
    }

    /// `ansible_ssh_common_args` then `ansible_ssh_extra_args`, as Ansible hands them to ssh.
    private func sshArguments(of host: InventoryHost) throws -> SSHArguments {
        let text = ["ansible_ssh_common_args", "ansible_ssh_extra_args"].compactMap { host.vars[$0]?.description }
            .joined(separator: " ")
        guard !text.isEmpty else { return SSHArguments() }
        do {
            return try SSHArguments.parse(text, source: "ansible_ssh_common_args/extra_args of \(host.name)")
        } catch {
            throw UsageError("\(error)")
        }
    }

    private func identityFiles(of host: InventoryHost, settings: SSHHostSettings) -> [Sourced<String>] {
        let explicit: [Sourced<String>] =
            variable("ansible_ssh_private_key_file", of: host).map { [$0] }
            ?? commandLine.privateKeys.map { Sourced($0, "--private-key") }
        let configured = settings.identityFiles.map { Sourced($0.value, "\($0.origin) IdentityFile") }
        return (explicit + configured).map { Sourced(TargetBuilder.expandTilde($0.value), $0.source) }
    }

    /// The agent is used unless `--no-agent` or `IdentitiesOnly yes`, as ssh does.
    private func useAgent(_ settings: SSHHostSettings) -> Sourced<Bool> {
        if !commandLine.useAgent { return Sourced(false, "--no-agent") }
        if let only = settings.identitiesOnly, only.value { return Sourced(false, "\(only.origin) IdentitiesOnly") }
        let available = environment["SSH_AUTH_SOCK"] != nil
        return Sourced(available, available ? "SSH_AUTH_SOCK" : "SSH_AUTH_SOCK not set")
    }

    private func knownHostsFiles(_ settings: SSHHostSettings) -> Sourced<[String]> {
        if let file = commandLine.knownHostsFile { return Sourced([TargetBuilder.expandTilde(file)], "--known-hosts") }
        if let files = settings.userKnownHostsFiles { return Sourced(files.value, "\(files.origin) UserKnownHostsFile") }
        return Sourced(["~/.ssh/known_hosts", "~/.ssh/known_hosts2"].map(TargetBuilder.expandTilde), "default")
    }

    private func hostKeyPolicy(_ settings: SSHHostSettings) -> Sourced<HostKeyPolicy> {
        if let policy = commandLine.hostKeyPolicy { return Sourced(policy, "--host-key-policy") }
        if let checking = settings.strictHostKeyChecking, let policy = HostKeyPolicy(rawValue: checking.value.rawValue) {
            return Sourced(policy, "\(checking.origin) StrictHostKeyChecking")
        }
        return Sourced(.strict, "default")
    }

    private func connectTimeout(_ settings: SSHHostSettings) -> Sourced<Duration> {
        if let timeout = commandLine.connectTimeout { return Sourced(timeout, "--connect-timeout") }
        if let timeout = settings.connectTimeout, timeout.value > .zero {
            return Sourced(timeout.value, "\(timeout.origin) ConnectTimeout")
        }
        return Sourced(Self.defaultConnectTimeout, "default")
    }

    /// `ansible_password` (or its older name `ansible_ssh_pass`) from inventory files, else
    /// the command line's password (a file, a prompt or MUSTER_SSH_PASSWORD).
    private func password(of host: InventoryHost) -> Sourced<String>? {
        for name in ["ansible_password", "ansible_ssh_pass"] {
            if let value = variable(name, of: host) { return value }
        }
        return commandLine.password.map { Sourced($0, "command line") }
    }
}
