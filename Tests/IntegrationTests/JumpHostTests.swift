import Foundation
import Testing

/// ProxyJump on the real testbed: host024 and host025 are reached only through
/// host023's sshd (direct-tcpip), host026 directly, in the same runs.
@Suite(.serialized) struct JumpHostTests {
    let testbed = Testbed.shared
    let bastion = Testbed.name(23)
    let behind = [Testbed.name(24), Testbed.name(25)]
    let direct = Testbed.name(26)

    /// An inventory with the hosts behind the bastion in a group whose ssh arguments say `-J`.
    private func inventory() throws -> String {
        let path = NSTemporaryDirectory() + "muster-jump-\(UUID().uuidString).ini"
        let text = """
            [bastions]
            \(bastion) ansible_host=\(testbed.address(of: bastion))
            [behind]
            \(behind.map { "\($0) ansible_host=\(testbed.address(of: $0))" }.joined(separator: "\n"))
            [behind:vars]
            ansible_ssh_common_args='-J root@\(testbed.address(of: bastion))'
            [direct]
            \(direct) ansible_host=\(testbed.address(of: direct))
            [all:vars]
            ansible_user=root
            ansible_ssh_private_key_file=\(testbed.key("id_ed25519"))
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func muster(_ arguments: [String], knownHosts: String? = nil) async throws -> Testbed.ProcessResult {
        let path = try inventory()
        defer { unlink(path) }
        let common = ["-i", path, "--known-hosts", knownHosts ?? testbed.knownHosts, "--no-progress"]
        return await Testbed.muster([arguments[0]] + common + arguments.dropFirst())
    }

    /// TCP connections from here to the bastion's sshd right now.
    private func connectionsToBastion() async -> Int {
        let listing = await Testbed.run("/usr/bin/ss", ["-Htn", "state", "established", "dst", "\(testbed.address(of: bastion)):22"])
        return listing.output.split(separator: "\n").count
    }

    @Test func execAndPushGoThroughOneConnectionToTheBastion() async throws {
        try await testbed.heal(bastion)
        let done = Locked(false)
        let run = Task {
            defer { done.update { $0 = true } }
            return try await muster(["exec", "-l", "behind", "--", "sleep 2; hostname"])
        }
        // The most connections seen at once while it runs, sampled: a loaded machine may
        // take a while to connect at all.
        var connections = 0
        while !done.value {
            connections = max(connections, await connectionsToBastion())
            try await Task.sleep(for: .milliseconds(100))
        }
        let result = try await run.value
        #expect(result.status == 0, "\(result.output)\(result.stderr)")
        for host in behind { #expect(result.output.contains("\(host)\n"), "\(result.output)") }
        #expect(connections == 1, "both hosts' sessions ride one connection to the bastion, not \(connections)")

        let source = NSTemporaryDirectory() + "muster-jump-\(UUID().uuidString).bin"
        let payload = Data((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
        try payload.write(to: URL(fileURLWithPath: source))
        defer { unlink(source) }
        let push = try await muster(["push", "-l", "behind", source, "/root/jump-push.bin"])
        #expect(push.status == 0, "\(push.output)\(push.stderr)")
        for host in behind {
            let path = testbed.rootDirectory(of: host) + "/jump-push.bin"
            #expect(FileManager.default.contents(atPath: path) == payload, "\(host) got the whole file")
            unlink(path)
        }
    }

    @Test func aDeadBastionFailsExactlyTheHostsBehindIt() async throws {
        try await testbed.withFault("stop", on: bastion) {
            let result = try await muster(["exec", "-l", "behind:direct", "--", "hostname"])
            #expect(result.status == 1)
            for host in behind {
                #expect(
                    result.output.contains("\(host) (root@\(testbed.address(of: host))): cannot reach its jump host"),
                    "\(result.output)")
            }
            #expect(result.output.contains("\(direct)\n"), "the host reached directly is not affected")
            #expect(result.output.contains("3 hosts: 1 ok, 0 failed, 2 unreachable"), "\(result.output)")
        }
    }

    @Test func aBastionThatDiesMidCommandFailsItsHostsWithTheReason() async throws {
        try await testbed.heal(bastion)
        let run = Task { try await muster(["exec", "-l", "behind:direct", "--", "sleep 3; echo done"]) }
        try await Task.sleep(for: .seconds(1))
        try await testbed.fault("crash", bastion)
        let result = try await run.value
        try await testbed.heal(bastion)
        #expect(result.status == 1)
        for host in behind {
            #expect(result.output.contains("\(host) · UNREACHABLE"), "\(result.output)")
        }
        #expect(result.output.contains("through jump host \(testbed.address(of: bastion))"), "\(result.output)")
        #expect(result.output.contains("── \(direct) · ok"), "\(result.output)")
    }

    @Test func hostKeysBehindTheBastionAreCheckedEndToEnd() async throws {
        try await testbed.heal(bastion)
        let unknown = behind[0]
        let knownHosts = NSTemporaryDirectory() + "muster-jump-kh-\(UUID().uuidString)"
        let lines = try String(contentsOfFile: testbed.knownHosts, encoding: .utf8).split(separator: "\n")
        try lines.filter { !$0.hasPrefix("\(testbed.address(of: unknown)) ") }.joined(separator: "\n")
            .write(toFile: knownHosts, atomically: true, encoding: .utf8)
        defer { unlink(knownHosts) }
        let result = try await muster(["exec", "-l", "behind", "--", "hostname"], knownHosts: knownHosts)
        #expect(result.status == 1)
        #expect(result.output.contains("\(unknown) · UNREACHABLE"), "\(result.output)")
        #expect(result.output.contains("host key"), "\(result.output)")
        #expect(result.output.contains("\(behind[1])\n"))
    }

    /// `-J a,b`: host025 through host023, then host024; each hop checked and authenticated.
    @Test func twoHopsInARow() async throws {
        try await testbed.heal(bastion)
        let path = NSTemporaryDirectory() + "muster-jump2-\(UUID().uuidString).ini"
        try """
            \(behind[1]) ansible_host=\(testbed.address(of: behind[1])) ansible_user=root ansible_ssh_private_key_file=\(testbed.key("id_ed25519")) \
            ansible_ssh_common_args='-J root@\(testbed.address(of: bastion)),root@\(testbed.address(of: behind[0]))'
            """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let result = await Testbed.muster(["exec", "-i", path, "--known-hosts", testbed.knownHosts, "--no-progress", "--", "hostname"])
        #expect(result.status == 0, "\(result.output)\(result.stderr)")
        #expect(result.output.contains("\(behind[1])\n"))
    }

    @Test func aPlaybookRunsThroughTheBastion() async throws {
        try await testbed.heal(bastion)
        let playbook = NSTemporaryDirectory() + "muster-jump-\(UUID().uuidString).yml"
        let source = NSTemporaryDirectory() + "muster-jump-\(UUID().uuidString).txt"
        try "through the bastion\n".write(toFile: source, atomically: true, encoding: .utf8)
        try """
            hosts: behind
            stages:
              - name: deploy
                serial: 1
                tasks:
                  - copy: {src: \(source), dest: /root/jump-playbook.txt, mode: "0600"}
                  - run: grep -q 'through the bastion' /root/jump-playbook.txt
            """.write(toFile: playbook, atomically: true, encoding: .utf8)
        defer {
            unlink(playbook)
            unlink(source)
        }
        let result = try await muster(["run", playbook, "--no-state"])
        #expect(result.status == 0, "\(result.output)\(result.stderr)")
        for host in behind {
            #expect(result.output.contains("\(host)  : ok"), "\(result.output)")
            unlink(testbed.rootDirectory(of: host) + "/jump-playbook.txt")
        }
    }
}
