import Foundation
import MusterCore
import MusterSSH
import Testing

/// Inventory variables against command-line defaults, and key files checked up front.
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

    func build(_ ini: String, defaults: ConnectionDefaults) throws -> [FleetTarget] {
        var builder = TargetBuilder(defaults: defaults, passphrase: { _ in nil })
        return try builder.targets(for: InventorySource.parseINI(ini, path: "t.ini").hosts)
    }

    @Test func inventoryVariablesBeatTheCommandLine() throws {
        let targets = try build("""
            [web]
            web1 ansible_host=10.0.0.1 ansible_port=2222 ansible_user=deploy
            web2
            [web:vars]
            ansible_ssh_private_key_file=\(Self.keyPath)
            """, defaults: ConnectionDefaults(user: "ops", privateKeys: ["/nonexistent/cli-key"]))
        #expect(targets.map(\.endpoint.address) == ["10.0.0.1", "web2"])
        #expect(targets.map(\.endpoint.port) == [2222, 22])
        #expect(targets.map(\.endpoint.user) == ["deploy", "ops"])
        #expect(targets.allSatisfy { $0.credentials.identities.map(\.key.path) == [Self.keyPath] })
        #expect(targets[0].credentials.identities.first?.key.algorithm == .ed25519)
    }

    @Test func aMissingKeyFileIsBadInputNamingTheFile() {
        #expect(throws: UsageError.self) {
            _ = try build("h1", defaults: ConnectionDefaults(privateKeys: ["/nonexistent/key"]))
        }
        do {
            _ = try build("h1", defaults: ConnectionDefaults(privateKeys: ["/nonexistent/key"]))
        } catch {
            #expect("\(error)".contains("/nonexistent/key: private key: no such file"))
        }
    }

    @Test func aBadPortIsBadInputNamingTheHost() {
        do {
            _ = try build("h1 ansible_port=70000", defaults: ConnectionDefaults(privateKeys: [Self.keyPath]))
            Issue.record("port 70000 must be refused")
        } catch {
            #expect("\(error)".contains("host h1: ansible_port must be a number from 1 to 65535"))
        }
    }
}
