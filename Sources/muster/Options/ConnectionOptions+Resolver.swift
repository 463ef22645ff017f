import Foundation
import MusterCore
import MusterSSH

extension ConnectionOptions {
    /// The resolver for this run: the command line's settings and the OpenSSH config
    /// (`-F FILE`, else `~/.ssh/config`). Passwords are read here, once.
    func resolver(for inventory: Inventory) throws -> ConnectionResolver {
        var commandLine = ConnectionResolver.CommandLine()
        commandLine.user = user
        commandLine.privateKeys = privateKeys
        commandLine.knownHostsFile = knownHostsFile
        commandLine.hostKeyPolicy = hostKeyPolicy
        commandLine.connectTimeout = connectTimeout.map { .seconds($0) }
        commandLine.password = try Secrets(self).password()
        commandLine.useAgent = !noAgent
        if hostKeyPolicy == .off {
            Console.err(
                """
                muster: WARNING: host key checking is OFF (--host-key-policy off): any machine that answers \
                on these addresses will be trusted with your credentials and commands.\n
                """)
        }
        let config: SSHConfigFile
        do {
            config = try sshConfig.map { try SSHConfigFile.load(path: $0) } ?? SSHConfigFile.loadUserConfig()
        } catch {
            throw UsageError("\(error)")
        }
        return ConnectionResolver(inventory: inventory, sshConfig: config, commandLine: commandLine)
    }

    /// Every selected host ready to connect, after one warning naming the ssh options
    /// Muster does not act on (never dropped silently).
    func targets(for hosts: [InventoryHost], in inventory: Inventory) throws -> [FleetTarget] {
        var builder = TargetBuilder(resolver: try resolver(for: inventory), passphrase: Secrets(self).passphrase(for:))
        let targets = try builder.targets(for: hosts)
        if !builder.ignoredOptions.isEmpty {
            Console.err(
                "muster: warning: ignoring ssh options Muster does not support: \(builder.ignoredOptions.joined(separator: ", "))\n")
        }
        return targets
    }
}
