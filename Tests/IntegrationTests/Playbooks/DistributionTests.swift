import Foundation
import MusterSSH
import Testing

@testable import MusterCore

/// `copy: {…, distribute: per-datacenter}` on real hosts: two datacenters of three hosts
/// and one host without a datacenter, on a testbed of the tests' own (7 hosts on
/// 127.0.6.x, `MUSTER_DIST_TESTBED_DIR`/`_NET` to move it; scripts/test stops it).
/// Serialized: each test checks every host's authorized_keys and the relays' /tmp.
@Suite(.serialized) struct DistributionTests {
    static let testbed: Testbed = {
        let environment = ProcessInfo.processInfo.environment
        return Testbed.bringUp(
            directory: environment["MUSTER_DIST_TESTBED_DIR"] ?? "/tmp/muster-test-dist", hosts: 7,
            net: environment["MUSTER_DIST_TESTBED_NET"].flatMap { Int($0) } ?? 6)
    }()
    var testbed: Testbed { Self.testbed }
    let hosts = (1...7).map(Testbed.name)

    /// host001–003 in dc1, host004–006 in dc2, host007 in none.
    private func inventory() throws -> String {
        let path = NSTemporaryDirectory() + "muster-dist-\(UUID().uuidString).ini"
        var lines: [String] = []
        for (group, members) in [("dc1", hosts[0..<3]), ("dc2", hosts[3..<6]), ("nodc", hosts[6..<7])] {
            lines.append("[\(group)]")
            lines += members.map { "\($0) ansible_host=\(testbed.address(of: $0))" }
        }
        lines += ["[dc1:vars]", "datacenter=dc1", "[dc2:vars]", "datacenter=dc2", "[all:vars]", "ansible_user=root"]
        lines.append("ansible_ssh_private_key_file=\(testbed.key("id_ed25519"))")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A file of random bytes and a playbook that copies it, distributed, to `hosts`.
    private func fixture(megabytes: Int, hosts pattern: String) throws -> (playbook: String, source: String, destination: String) {
        let id = UUID().uuidString
        let source = NSTemporaryDirectory() + "muster-dist-\(id).bin"
        let random = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
        try random.readData(ofLength: megabytes << 20).write(to: URL(fileURLWithPath: source))
        try random.close()
        let destination = "/root/dist-\(id).bin"
        let playbook = NSTemporaryDirectory() + "muster-dist-\(id).yml"
        try """
        hosts: \(pattern)
        stages:
          - name: push
            tasks:
              - name: bundle
                copy: {src: \(source), dest: \(destination), mode: "0700", distribute: per-datacenter}
        """.write(toFile: playbook, atomically: true, encoding: .utf8)
        return (playbook, source, destination)
    }

    private func sha256(_ path: String) async -> String {
        await Testbed.run("/usr/bin/sha256sum", [path]).output.split(separator: " ").first.map(String.init) ?? "missing"
    }

    /// Every copy path in a `muster.run/1` report, by host.
    private func copyPaths(_ report: String) throws -> [String: String] {
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        var paths: [String: String] = [:]
        for host in document?["hosts"] as? [[String: Any]] ?? [] {
            let tasks = host["tasks"] as? [[String: Any]] ?? []
            paths[host["host"] as! String] = tasks.compactMap { $0["copy_path"] as? String }.first
        }
        return paths
    }

    /// No relay credential anywhere: no line in any host's authorized_keys, no key
    /// directory, no staged file beside the destination.
    private func expectNoRelayCredentials(destination: String) throws {
        for host in hosts {
            let keys = try String(contentsOfFile: testbed.rootDirectory(of: host) + "/.ssh/authorized_keys", encoding: .utf8)
            #expect(!keys.contains("muster-relay"), "\(host): \(keys)")
            let root = try FileManager.default.contentsOfDirectory(atPath: testbed.rootDirectory(of: host))
            #expect(!root.contains { $0.contains(".muster-relay-") }, "\(host): \(root)")
        }
        // The testbed's hosts share the controller's /tmp.
        let relays = try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter { $0.hasPrefix("muster-relay-") }
        #expect(relays.isEmpty, "\(relays)")
    }

    @Test func eachDatacentersRelayCarriesTheFileToItsOtherHosts() async throws {
        let inventory = try inventory()
        let (playbook, source, destination) = try fixture(megabytes: 16, hosts: "all")
        let report = NSTemporaryDirectory() + "muster-dist-\(UUID().uuidString).json"
        let state = NSTemporaryDirectory() + "muster-dist-\(UUID().uuidString).db"
        defer { for path in [inventory, playbook, source, report, state, state + "-wal", state + "-shm"] { unlink(path) } }
        let common = ["run", playbook, "-i", inventory, "--known-hosts", testbed.knownHosts, "--state", state]

        let run = await Testbed.muster(common + ["--report", report])
        #expect(run.status == 0, "\(run.output)\(run.stderr)")
        // The relay is each datacenter's first host in batch order, and the log says so.
        #expect(run.output.contains("DISTRIBUTE datacenter=dc1: relay host001 sends \(destination) to host[002-003]"), "\(run.output)")
        #expect(run.output.contains("DISTRIBUTE datacenter=dc2: relay host004 sends \(destination) to host[005-006]"), "\(run.output)")
        #expect(run.output.contains("host002 changed bundle") && run.output.contains("[relay host001]"))
        #expect(
            try copyPaths(report) == [
                "host001": "direct (relay for datacenter=dc1)", "host002": "relay host001", "host003": "relay host001",
                "host004": "direct (relay for datacenter=dc2)", "host005": "relay host004", "host006": "relay host004",
                "host007": "direct (no datacenter variable)",
            ])
        let expected = await sha256(source)
        for host in hosts {
            #expect(await sha256(testbed.rootDirectory(of: host) + destination.dropFirst("/root".count)) == expected, "\(host)")
        }
        try expectNoRelayCredentials(destination: destination)

        let shown = await Testbed.muster(["show", "last", "--host", "host005", "--state", state])
        #expect(shown.output.contains("path: relay host004"), "\(shown.output)")

        // Nothing is sent again, through a relay or otherwise.
        let again = await Testbed.muster(common + ["--report", report])
        #expect(again.status == 0, "\(again.output)")
        #expect(!again.output.contains("DISTRIBUTE"), "\(again.output)")
        #expect(Set(try copyPaths(report).values) == ["unchanged"])
    }

    @Test func aRelayKilledMidDistributionLeavesItsHostsToDirectCopies() async throws {
        let inventory = try inventory()
        let (playbook, source, destination) = try fixture(megabytes: 256, hosts: "dc1")
        let report = NSTemporaryDirectory() + "muster-dist-\(UUID().uuidString).json"
        defer { for path in [inventory, playbook, source, report] { unlink(path) } }
        try await testbed.heal("host001")
        let run = try await runUntilDistributing(
            ["run", playbook, "-i", inventory, "--known-hosts", testbed.knownHosts, "--no-state", "--report", report]
        ) { _ in
            try await testbed.fault("crash", "host001")
        }
        // Healed at once, awaited: a heal left running could start the host again after
        // scripts/test has taken the testbed down.
        try await testbed.heal("host001")
        #expect(run.status == 1, "\(run.output)")
        let paths = try copyPaths(report)
        for host in ["host002", "host003"] {
            #expect(paths[host]?.hasPrefix("direct (relay host001 failed: ") == true, "\(host): \(paths)")
            #expect(await sha256(testbed.rootDirectory(of: host) + destination.dropFirst("/root".count)) == (await sha256(source)))
        }
        // The relay died while it received (and passed on) the file: unreachable, and its
        // key directory could not be removed, an error naming the host.
        #expect(run.output.contains("host001  : unreachable"), "\(run.output)")
        #expect(run.output.contains("relay cleanup: relay key directory /tmp/muster-relay-"), "\(run.output)")
        // Its key opens nothing any more: every target's line is gone. (The testbed's
        // hosts share /tmp, so the dead relay's directory is removed here by hand.)
        for directory in try FileManager.default.contentsOfDirectory(atPath: "/tmp") where directory.hasPrefix("muster-relay-") {
            try FileManager.default.removeItem(atPath: "/tmp/" + directory)
        }
        try expectNoRelayCredentials(destination: destination)
    }

    @Test func ctrlCTwiceDuringDistributionStillRemovesTheRelayKeys() async throws {
        let inventory = try inventory()
        let (playbook, source, destination) = try fixture(megabytes: 256, hosts: "dc2")
        defer { for path in [inventory, playbook, source] { unlink(path) } }
        let run = try await runUntilDistributing(["run", playbook, "-i", inventory, "--known-hosts", testbed.knownHosts, "--no-state"]) {
            process in
            kill(process.processIdentifier, SIGINT)
            try await Task.sleep(for: .milliseconds(200))
            kill(process.processIdentifier, SIGINT)
        }
        #expect(run.status == 130, "\(run.output)")
        #expect(run.output.contains("second Ctrl-C"), "\(run.output)")
        try expectNoRelayCredentials(destination: destination)
    }

    /// The line `RelayScripts.authorize` installs, tried with OpenSSH's own client: from
    /// the relay's address it writes the staged file whatever command is asked for; from
    /// another address, or asking for a terminal, it does nothing; `revoke` removes it.
    @Test func theRelaysKeyWritesOneFileFromOneAddressOnly() async throws {
        let directory = NSTemporaryDirectory() + "muster-dist-key-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let keygen = await Testbed.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", directory + "/key"])
        #expect(keygen.status == 0)
        let publicKey = try #require(RelayAccess.validatedPublicKey(try String(contentsOfFile: directory + "/key.pub", encoding: .utf8)))
        let access = RelayAccess()
        let staged = access.stagedPath(for: "/root/relayed.bin")
        let relay = testbed.address(of: "host001")
        let session = try await testbed.connect("host002")
        let authorized = try await session.exec(
            RelayScripts.authorize(access, publicKey: publicKey, relayAddress: relay, stagedPath: staged))
        #expect(authorized.succeeded, "\(authorized.stderrText)")

        func send(from address: String, _ extra: [String] = []) async throws -> Int32 {
            let input = directory + "/input"
            try "relayed\n".write(toFile: input, atomically: true, encoding: .utf8)
            let options = [
                "-F", "/dev/null", "-i", directory + "/key", "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o",
                "UserKnownHostsFile=" + testbed.knownHosts, "-o", "BindAddress=" + address, "-o", "LogLevel=ERROR",
            ]
            let command = (options + extra + ["root@" + testbed.address(of: "host002"), "cat /etc/shadow"])
                .map(ShellQuote.quote).joined(separator: " ")
            return await Testbed.run("/bin/sh", ["-c", "ssh \(command) < \(ShellQuote.quote(input))"]).status
        }
        let stagedOnHost = testbed.rootDirectory(of: "host002") + staged.dropFirst("/root".count)
        #expect(try await send(from: testbed.address(of: "host003")) == 255, "another address is refused")
        #expect(!FileManager.default.fileExists(atPath: stagedOnHost))
        #expect(try await send(from: relay, ["-tt"]) != 0, "no terminal")
        #expect(try await send(from: relay) == 0)
        #expect(try String(contentsOfFile: stagedOnHost, encoding: .utf8) == "relayed\n", "the forced command ran, not cat /etc/shadow")
        let mode = try FileManager.default.attributesOfItem(atPath: stagedOnHost)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let revoked = try await session.exec(RelayScripts.revoke(access, stagedPath: staged))
        #expect(revoked.succeeded, "\(revoked.stderrText)")
        await session.close()
        #expect(!FileManager.default.fileExists(atPath: stagedOnHost))
        #expect(try await send(from: relay) == 255, "the key opens nothing once revoked")
        try expectNoRelayCredentials(destination: "/root/relayed.bin")
    }

    /// Runs muster and calls `act` once the log shows a relay starting to send.
    private func runUntilDistributing(_ arguments: [String], act: (Process) async throws -> Void) async throws -> Testbed.ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Testbed.musterPath)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["XDG_STATE_HOME": NSTemporaryDirectory() + "muster-test-state"])
        { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let text = Locked("")
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            text.update { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        for _ in 0..<1200 where !text.value.contains("DISTRIBUTE") && process.isRunning { try await Task.sleep(for: .milliseconds(25)) }
        #expect(text.value.contains("DISTRIBUTE"), "\(text.value)")
        try await act(process)
        await withCheckedContinuation { continuation in
            Thread {
                process.waitUntilExit()
                continuation.resume()
            }.start()
        }
        try await Task.sleep(for: .milliseconds(200))
        output.fileHandleForReading.readabilityHandler = nil
        return Testbed.ProcessResult(status: process.terminationStatus, output: text.value, stderr: "")
    }
}
