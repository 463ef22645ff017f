import Foundation
import MusterSSH
import Testing

/// Host key checking, authentication and connect timeouts against real sshd.
@Suite struct ConnectionTests {
    let testbed = Testbed.shared

    func connectError(
        _ host: String, key: String = "id_ed25519", password: String? = nil,
        options: SSHClientOptions? = nil
    ) async throws -> SSHError {
        var credentials = try testbed.credentials(key: key)
        credentials.password = password
        do {
            let session = try await SSHSession.connect(
                to: testbed.endpoint(host), credentials: credentials,
                options: try options ?? testbed.options(), on: Testbed.loops.nextLoop())
            await session.close()
        } catch let error as SSHError {
            return error
        }
        Issue.record("connecting to \(host) should have failed")
        return SSHError(.connect, "")
    }

    /// The fingerprint OpenSSH itself prints for a host's key.
    func openSSHFingerprint(of host: String, rekeyed: Bool = false) async -> String {
        let keyFile = "\(testbed.directory)/hosts/\(host)/etc-upper/ssh/ssh_host_ed25519_key\(rekeyed ? "_rekeyed" : "").pub"
        let words = await Testbed.run("/usr/bin/ssh-keygen", ["-l", "-f", keyFile]).output.split(separator: " ")
        return words.count > 1 ? String(words[1]) : "(no key at \(keyFile))"
    }

    @Test func anUnknownHostKeyIsRefusedWithItsFingerprint() async throws {
        let empty = NSTemporaryDirectory() + "empty-known-hosts-\(getpid())"
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        defer { unlink(empty) }
        let host = Testbed.name(1)
        let error = try await connectError(host, options: testbed.options(knownHostsFile: empty))
        #expect(error.kind == .hostKey)
        #expect(error.message.contains("host key not known"))
        let fingerprint = await openSSHFingerprint(of: host)
        #expect(error.message.contains("ED25519 key fingerprint is \(fingerprint)"))
    }

    @Test func acceptNewRecordsAnUnknownKeyOnce() async throws {
        let file = NSTemporaryDirectory() + "accept-new-\(getpid())"
        defer { unlink(file) }
        let session = try await SSHSession.connect(
            to: testbed.endpoint(Testbed.name(2)), credentials: testbed.credentials(),
            options: testbed.options(policy: .acceptNew, knownHostsFile: file),
            on: Testbed.loops.nextLoop())
        await session.close()
        let recorded = try String(contentsOfFile: file, encoding: .utf8)
        #expect(recorded.hasPrefix(testbed.address(of: Testbed.name(2)) + " ssh-ed25519 "))
        // Now known: strict accepts it.
        let again = try await SSHSession.connect(
            to: testbed.endpoint(Testbed.name(2)), credentials: testbed.credentials(),
            options: testbed.options(knownHostsFile: file), on: Testbed.loops.nextLoop())
        await again.close()
    }

    @Test func aHashedKnownHostsFileIsHonoured() async throws {
        let session = try await SSHSession.connect(
            to: testbed.endpoint(Testbed.name(3)), credentials: testbed.credentials(),
            options: testbed.options(knownHostsFile: testbed.knownHosts + ".hashed"),
            on: Testbed.loops.nextLoop())
        await session.close()
    }

    @Test func aChangedHostKeyIsRefusedAndNothingRuns() async throws {
        let host = Testbed.name(9)
        try await testbed.withFault("rekey", on: host) {
            let error = try await connectError(host)
            #expect(error.kind == .hostKey)
            #expect(error.message.contains("HOST KEY HAS CHANGED"))
            let fingerprint = await openSSHFingerprint(of: host, rekeyed: true)
            #expect(error.message.contains(fingerprint))
            #expect(error.message.contains("known_hosts:"))
            // Through the CLI too: the command must not have run.
            let marker = testbed.rootDirectory(of: host) + "/ran"
            let cli = await Testbed.muster([
                "exec", "-i", testbed.inventory, "-l", host, "--known-hosts", testbed.knownHosts,
                "--no-progress", "--", "touch", "/root/ran",
            ])
            #expect(cli.status == 1)
            #expect(cli.output.contains("UNREACHABLE"))
            #expect(!FileManager.default.fileExists(atPath: marker))
        }
    }

    @Test func aKeyTheHostDoesNotKnowIsNamedInTheError() async throws {
        let error = try await connectError(Testbed.name(4), key: "id_wrong")
        #expect(error.kind == .authentication)
        #expect(error.message.contains("id_wrong"))
        #expect(error.message.contains("refused"))
    }

    @Test func ecdsaAndPassphraseProtectedKeysWork() async throws {
        let ecdsa = try await SSHSession.connect(
            to: testbed.endpoint(Testbed.name(5)), credentials: testbed.credentials(key: "id_ecdsa"),
            options: testbed.options(), on: Testbed.loops.nextLoop())
        await ecdsa.close()
        let passphrase = try String(contentsOfFile: testbed.key("passphrase"), encoding: .utf8).trimmingCharacters(in: .newlines)
        let protected = try await SSHSession.connect(
            to: testbed.endpoint(Testbed.name(5)),
            credentials: testbed.credentials(key: "id_ed25519_pass", passphrase: passphrase),
            options: testbed.options(), on: Testbed.loops.nextLoop())
        await protected.close()
        let wrong = try await connectError(Testbed.name(5), key: "id_ed25519_pass")
        #expect(wrong.message.contains("could not be decrypted"))
    }

    /// No key file at all: the ssh-agent at SSH_AUTH_SOCK holds the key.
    @Test func theSSHAgentsKeysAreUsed() async throws {
        let scratch = NSTemporaryDirectory() + "agent-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let socket = scratch + "/agent.sock"
        // -D keeps the agent in the foreground: a daemonized agent would hold our pipes open.
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-agent")
        agent.arguments = ["-D", "-a", socket]
        agent.standardOutput = FileHandle.nullDevice
        agent.standardError = FileHandle.nullDevice
        try agent.run()
        defer { agent.terminate() }
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: socket) { try await Task.sleep(for: .milliseconds(10)) }
        let added = await Testbed.run("/usr/bin/ssh-add", [testbed.key("id_ed25519")], environment: ["SSH_AUTH_SOCK": socket])
        #expect(added.status == 0, "\(added.stderr)")
        let host = Testbed.name(8)
        let result = await Testbed.muster(
            [
                "exec", "-i", testbed.address(of: host) + ",", "-u", "root", "--known-hosts", testbed.knownHosts,
                "--no-progress", "--", "hostname",
            ],
            environment: ["SSH_AUTH_SOCK": socket, "HOME": scratch])
        #expect(result.status == 0, "\(result.output) \(result.stderr)")
        #expect(result.output.contains(host))
        let withoutAgent = await Testbed.muster(
            [
                "exec", "-i", testbed.address(of: host) + ",", "-u", "root", "--known-hosts", testbed.knownHosts,
                "--no-agent", "--no-progress", "--", "hostname",
            ],
            environment: ["SSH_AUTH_SOCK": socket, "HOME": scratch])
        #expect(withoutAgent.status == 1)
        #expect(withoutAgent.output.contains("no usable credentials"))
    }

    @Test func anRSAKeyGetsTheSHA1Explanation() async throws {
        let error = try await connectError(Testbed.name(6), key: "id_rsa")
        #expect(error.kind == .authentication)
        #expect(error.message.contains("ssh-rsa (SHA-1)"))
        #expect(error.message.contains("ed25519"))
    }

    @Test func aPasswordOnlyHostSaysSoAndAcceptsThePassword() async throws {
        let host = Testbed.name(10)
        try await testbed.withFault("password-only", on: host) {
            let error = try await connectError(host)
            #expect(error.message.contains("accepts only password authentication"))
            let password = try String(contentsOfFile: testbed.key("password"), encoding: .utf8).trimmingCharacters(in: .newlines)
            var credentials = try testbed.credentials()
            credentials.password = password
            let session = try await SSHSession.connect(
                to: testbed.endpoint(host), credentials: credentials,
                options: testbed.options(), on: Testbed.loops.nextLoop())
            #expect(try await session.exec("hostname").stdoutText == "\(host)\n")
            await session.close()
            let wrong = try await connectError(host, password: "not-the-password")
            #expect(wrong.message.contains("password refused"))
        }
    }

    /// IPv6 literals go through the same non-blocking connect (nothing listens on port 1).
    @Test func ipv6AddressesAreDialledAndNamedInErrors() async throws {
        let endpoint = SSHEndpoint(name: "v6", address: "::1", port: 1, user: "root")
        do {
            let session = try await SSHSession.connect(
                to: endpoint, credentials: testbed.credentials(), options: testbed.options(), on: Testbed.loops.nextLoop())
            await session.close()
            Issue.record("nothing listens on [::1]:1")
        } catch let error as SSHError {
            #expect(error.kind == .connect)
            #expect(error.message.contains("[::1]:1: Connection refused"))
        }
    }

    /// A stopped host and one that accepts TCP but never speaks both fail within the
    /// connect timeout, and the healthy hosts beside them still succeed.
    @Test func deadHostsFailWithinTheConnectTimeoutWhileOthersSucceed() async throws {
        let stopped = Testbed.name(11)
        let blackhole = Testbed.name(12)
        try await testbed.withFault("stop", on: stopped) {
            try await testbed.withFault("blackhole", on: blackhole) {
                let clock = ContinuousClock()
                let start = clock.now
                let cli = await Testbed.muster([
                    "exec", "-i", testbed.inventory, "-l", "\(Testbed.name(7)):\(Testbed.name(8)):\(stopped):\(blackhole)",
                    "--known-hosts", testbed.knownHosts, "--connect-timeout", "2", "--format", "json",
                    "--no-progress", "--", "hostname",
                ])
                #expect(start.duration(to: clock.now) < .seconds(8))
                #expect(cli.status == 1)
                let report = try JSONSerialization.jsonObject(with: Data(cli.output.utf8)) as? [String: Any]
                let hosts = (report?["hosts"] as? [[String: Any]]) ?? []
                let status = Dictionary(uniqueKeysWithValues: hosts.map { ($0["host"] as? String ?? "", $0["status"] as? String ?? "") })
                #expect(status == [Testbed.name(7): "ok", Testbed.name(8): "ok", stopped: "unreachable", blackhole: "unreachable"])
                let blackholeMessage = hosts.first { $0["host"] as? String == blackhole }?["message"] as? String ?? ""
                #expect(blackholeMessage.contains("no SSH handshake"))
                let stoppedMessage = hosts.first { $0["host"] as? String == stopped }?["message"] as? String ?? ""
                #expect(stoppedMessage.contains("Connection refused"))
            }
        }
    }
}
