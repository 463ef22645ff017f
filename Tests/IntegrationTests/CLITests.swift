import Foundation
import Testing

/// `muster exec` and `muster push` end to end, as an operator runs them.
@Suite struct CLITests {
    let testbed = Testbed.shared
    var eightHosts: String { (1...8).map(Testbed.name).joined(separator: ":") }

    func report(_ output: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    }

    @Test func execRunsOnEightHostsAndFoldsIdenticalOutput() async throws {
        let json = await Testbed.muster([
            "exec", "-i", testbed.inventory, "-l", eightHosts, "--known-hosts", testbed.knownHosts,
            "--format", "json", "--no-progress", "--", "cat", "/etc/hostname",
        ])
        #expect(json.status == 0, "\(json.stderr)")
        let hosts = try report(json.output)["hosts"] as? [[String: Any]] ?? []
        #expect(hosts.count == 8)
        for host in hosts {
            #expect(host["status"] as? String == "ok")
            #expect(host["stdout"] as? String == "\(host["host"] as? String ?? "?")\n")
        }
        let text = await Testbed.muster([
            "exec", "-i", testbed.inventory, "-l", eightHosts, "--known-hosts", testbed.knownHosts,
            "--no-progress", "--", "echo same everywhere",
        ])
        #expect(text.status == 0)
        #expect(text.output.contains("host[001-008]"))
        #expect(text.output.components(separatedBy: "same everywhere").count == 2, "identical output printed once:\n\(text.output)")
        #expect(text.output.contains("8 hosts: 8 ok, 0 failed, 0 unreachable"))
    }

    @Test func execExitStatusIsOneWhenAnyHostFails() async throws {
        let result = await Testbed.muster([
            "exec", "-i", testbed.inventory, "-l", "\(Testbed.name(1)):\(Testbed.name(2))",
            "--known-hosts", testbed.knownHosts, "--no-progress", "--",
            "test $(hostname) = \(Testbed.name(1))",
        ])
        #expect(result.status == 1)
        #expect(result.output.contains("1 ok, 1 failed"))
    }

    @Test func pushSendsOnceAndThenSkips() async throws {
        let path = try await TransferTests.makeFile(megabytes: 8, name: "cli-push")
        defer { unlink(path) }
        let destination = "/opt/cli-push-\(getpid()).bin"
        let arguments = [
            "push", "-i", testbed.inventory, "-l", eightHosts, "--known-hosts", testbed.knownHosts,
            "--format", "json", "--no-progress", path, destination, "--mode", "0640",
        ]
        let first = await Testbed.muster(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try report(first.output)["summary"] as? [String: Int] == ["ok": 8, "changed": 8, "failed": 0, "unreachable": 0])
        let second = await Testbed.muster(arguments)
        #expect(try report(second.output)["summary"] as? [String: Int] == ["ok": 8, "changed": 0, "failed": 0, "unreachable": 0])
        let expected = await Testbed.run("/usr/bin/sha256sum", [path]).output.prefix(64)
        for index in 1...8 {
            let onHost = "\(testbed.directory)/hosts/\(Testbed.name(index))/opt/" + (destination as NSString).lastPathComponent
            let actual = await Testbed.run("/usr/bin/sha256sum", [onHost]).output.prefix(64)
            #expect(actual == expected)
            unlink(onHost)
        }
    }

    @Test func pushSetsTheRequestedOwner() async throws {
        let host = Testbed.name(8)
        let destination = "/opt/owned-\(getpid()).txt"
        let result = await Testbed.muster([
            "push", "-i", testbed.inventory, "-l", host, "--known-hosts", testbed.knownHosts, "--no-progress",
            "/etc/hostname", destination, "--owner", "nobody:nogroup", "--mode", "0600",
        ])
        #expect(result.status == 0, "\(result.output)\(result.stderr)")
        let onHost = "\(testbed.directory)/hosts/\(host)/opt/" + (destination as NSString).lastPathComponent
        let attributes = try FileManager.default.attributesOfItem(atPath: onHost)
        #expect(attributes[.ownerAccountName] as? String == "nobody")
        #expect(attributes[.groupOwnerAccountName] as? String == "nogroup")
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        unlink(onHost)
    }

    @Test(arguments: [
        (["exec", "-i", "h1,h2:notaport,", "--", "true"], "notaport"),
        (["exec", "-i", "/no/such/inventory.ini", "--", "true"], "/no/such/inventory.ini"),
        (["exec", "-i", "INVENTORY", "-l", "nosuchhost", "--", "true"], "nosuchhost"),
        (["exec", "-i", "127.0.1.10,", "--private-key", "/no/such/key", "--", "true"], "/no/such/key"),
        (["exec", "-i", "INVENTORY", "--known-hosts", "/no/such/known_hosts", "--", "true"], "/no/such/known_hosts"),
        (["exec", "-i", "INVENTORY", "--forks", "0", "--", "true"], "--forks"),
        (["push", "-i", "INVENTORY", "/no/such/file", "/tmp/x"], "/no/such/file"),
        (["push", "-i", "INVENTORY", "--mode", "999", "/etc/hostname", "/tmp/x"], "--mode"),
    ])
    func badInputExitsTwoWithAClearMessage(arguments: [String], named: String) async throws {
        let resolved = arguments.map { $0 == "INVENTORY" ? testbed.inventory : $0 }
        let result = await Testbed.muster(resolved + ["--no-progress"].filter { _ in resolved.first == "exec" && !resolved.contains("--") })
        #expect(result.status == 2, "\(resolved): \(result.stderr)")
        #expect(result.stderr.contains(named), "\(result.stderr)")
        #expect(result.output.isEmpty, "no host may be contacted: \(result.output)")
    }
}
