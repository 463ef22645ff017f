import Foundation
import MusterCore
import MusterSSH
import Testing

/// Where each connection setting comes from: inventory, command line, ssh config.
@Suite struct TargetBuilderTests {
    static let keyPath: String = {
        let path = NSTemporaryDirectory() + "target-builder-key-\(getpid())"
        unlink(path)
        let keygen = Process()
        keygen.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
        keygen.arguments = ["-q", "-t", "ed25519", "-N", "", "-f", path]
        try? keygen.run()
        keygen.waitUntilExit()
        return path
    }()

    func resolver(_ ini: String, sshConfig: String = "", commandLine: ConnectionResolver.CommandLine = .init()) throws
        -> (ConnectionResolver, Inventory)
    {
        let inventory = try InventorySource.parseINI(ini, path: "t.ini")
        let config = try SSHConfigFile(parsing: sshConfig, path: "ssh_config")
        return (ConnectionResolver(inventory: inventory, sshConfig: config, commandLine: commandLine), inventory)
    }

    func build(_ ini: String, sshConfig: String = "", commandLine: ConnectionResolver.CommandLine = .init()) throws -> [FleetTarget] {
        let (resolver, inventory) = try resolver(ini, sshConfig: sshConfig, commandLine: commandLine)
        var builder = TargetBuilder(resolver: resolver, passphrase: { _ in nil })
        return try builder.targets(for: inventory.hosts)
    }

    @Test func inventoryBeatsCommandLineWhichBeatsSSHConfig() throws {
        var commandLine = ConnectionResolver.CommandLine()
        commandLine.user = "ops"
        commandLine.privateKeys = [Self.keyPath]
        let targets = try build(
            """
            [web]
            web1 ansible_host=10.0.0.1 ansible_port=2222 ansible_user=deploy
            web2
            web3
            """,
            sshConfig: """
                Host web2
                  HostName web2.dc1
                  User from-config
                  Port 2200
                """, commandLine: commandLine)
        #expect(targets.map(\.endpoint.address) == ["10.0.0.1", "web2.dc1", "web3"])
        #expect(targets.map(\.endpoint.port) == [2222, 2200, 22])
        #expect(targets.map(\.endpoint.user) == ["deploy", "ops", "ops"])
        #expect(targets.allSatisfy { $0.credentials.identities.map(\.key.path) == [Self.keyPath] })
    }

    @Test func sshConfigSuppliesWhatNothingElseSets() throws {
        let (resolver, inventory) = try resolver(
            "db1 ansible_ssh_common_args='-o ConnectTimeout=4 -C'",
            sshConfig: """
                Host db*
                  User postgres
                  IdentityFile \(Self.keyPath)
                  IdentitiesOnly yes
                  StrictHostKeyChecking accept-new
                  ServerAliveInterval 5
                  ControlMaster auto
                """)
        let connection = try resolver.resolve(inventory.hosts[0])
        #expect(connection.user.value == "postgres")
        #expect(connection.user.source == "ssh_config:2 User")
        #expect(connection.identityFiles.map(\.value) == [Self.keyPath])
        #expect(connection.useAgent.value == false)
        #expect(connection.hostKeyPolicy.value == .acceptNew)
        #expect(connection.connectTimeout.value == .seconds(4))
        #expect(connection.keepaliveInterval.value == .seconds(5))
        #expect(connection.ignored.contains { $0.hasPrefix("ControlMaster") })
        #expect(connection.ignored.contains { $0.hasPrefix("-C") })
    }

    @Test func explicitCommandLineSecuritySettingsWin() throws {
        var commandLine = ConnectionResolver.CommandLine()
        commandLine.hostKeyPolicy = .strict
        commandLine.connectTimeout = .seconds(2)
        let (resolver, inventory) = try resolver(
            "h1", sshConfig: "Host *\n  StrictHostKeyChecking no\n  ConnectTimeout 30\n", commandLine: commandLine)
        let connection = try resolver.resolve(inventory.hosts[0])
        #expect(connection.hostKeyPolicy.value == .strict)
        #expect(connection.hostKeyPolicy.source == "--host-key-policy")
        #expect(connection.connectTimeout.value == .seconds(2))
    }

    @Test func passwordsComeFromInventoryFilesAndAreNeverInTheReport() throws {
        let (resolver, inventory) = try resolver("h1 ansible_password=hunter2")
        let connection = try resolver.resolve(inventory.hosts[0])
        #expect(connection.password?.value == "hunter2")
        #expect(!connection.report.contains("hunter2"))
        #expect(connection.report.contains("set (never shown)"))
    }

    /// Each hop takes its own user, port and HostName (from the hop, then its ssh config),
    /// and the host's key files when the config names none for it.
    @Test func jumpHostsAreResolvedHopByHop() throws {
        var commandLine = ConnectionResolver.CommandLine()
        commandLine.privateKeys = [Self.keyPath]
        let targets = try build(
            "h1 ansible_host=10.1.0.5 ansible_user=deploy\n",
            sshConfig: """
                Host 10.1.0.5
                  ProxyJump ops@outer:2200,inner
                Host inner
                  HostName 10.1.0.2
                  User jump
                """,
            commandLine: commandLine)
        let route = try #require(targets.first?.jumpHosts)
        #expect(route.map(\.endpoint.address) == ["outer", "10.1.0.2"])
        #expect(route.map(\.endpoint.user) == ["ops", "jump"])
        #expect(route.map(\.endpoint.port) == [2200, 22])
        #expect(route.allSatisfy { $0.credentials.identities.map(\.key.path) == [Self.keyPath] })
        #expect(route.allSatisfy { $0.jumpHosts.isEmpty }, "a hop's route is the hops before it, kept by the host")
        #expect(targets.first?.endpoint.user == "deploy")
    }

    @Test func aMissingKeyFileIsBadInputNamingTheFile() {
        var commandLine = ConnectionResolver.CommandLine()
        commandLine.privateKeys = ["/nonexistent/key"]
        do {
            _ = try build("h1", commandLine: commandLine)
            Issue.record("a missing key must be refused")
        } catch {
            #expect("\(error)".contains("/nonexistent/key: private key: no such file"))
        }
    }

    @Test func aBadPortIsBadInputNamingTheHost() {
        do {
            _ = try build("h1 ansible_port=70000")
            Issue.record("port 70000 must be refused")
        } catch {
            #expect("\(error)".contains("host h1: ansible_port must be a number from 1 to 65535"))
        }
    }
}
