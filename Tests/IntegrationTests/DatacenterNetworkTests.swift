import Foundation
import Testing

/// Hosts a WAN away, on the testbed's network mode: dc1 (host001-host010) is reached
/// directly, dc2 only through its bastion host011 (host012-host014 behind it), both
/// over links with 10 ms of round trip and 100 Mbit/s.
@Suite(.serialized) struct DatacenterNetworkTests {
    static let testbed = Testbed.bringUpNetwork(
        directory: ProcessInfo.processInfo.environment["MUSTER_NETWORK_TESTBED_DIR"] ?? "/tmp/muster-test-datacenters",
        spec: "dc1:10,dc2:4:bastion", rtt: "10ms", rate: "100mbit", net: 26)
    var testbed: Testbed { Self.testbed }
    let datacenter1 = (1...10).map(Testbed.name)
    let bastion = "host011"
    let behind = ["host012", "host013", "host014"]

    private func muster(_ verb: String, _ arguments: [String]) async -> Testbed.ProcessResult {
        await Testbed.muster([verb, "-i", testbed.inventory, "--known-hosts", testbed.knownHosts, "--no-progress", "--no-state"] + arguments)
    }

    @Test func execAndPushReachTheHostsBehindTheBastion() async throws {
        for host in [bastion] + behind { try await testbed.heal(host) }
        let exec = await muster("exec", ["--", "hostname"])
        #expect(exec.status == 0, "\(exec.output)\(exec.stderr)")
        for host in datacenter1 + [bastion] + behind { #expect(exec.output.contains("\(host)\n"), "\(exec.output)") }
        // Not reachable any other way: the WAN lets only the bastion's port 22 through.
        let direct = await Testbed.run(
            "/usr/bin/ssh",
            ["-o", "BatchMode=yes", "-o", "ConnectTimeout=2", "-o", "UserKnownHostsFile=\(testbed.knownHosts)", "-i", testbed.key("id_ed25519"),
             "root@\(testbed.address(of: behind[0]))", "true"])
        #expect(direct.status != 0)

        let source = NSTemporaryDirectory() + "muster-dc-\(UUID().uuidString).bin"
        let payload = Data((0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_246_822_519 >> 11) })
        try payload.write(to: URL(fileURLWithPath: source))
        defer { unlink(source) }
        let push = await muster("push", ["-l", behind.joined(separator: ":"), source, "/root/dc-push.bin"])
        #expect(push.status == 0, "\(push.output)\(push.stderr)")
        for host in behind {
            let path = testbed.rootDirectory(of: host) + "/dc-push.bin"
            #expect(FileManager.default.contents(atPath: path) == payload, "\(host) got the whole file")
            unlink(path)
        }
    }

    @Test func aDeadBastionFailsExactlyItsDatacenter() async throws {
        try await testbed.withFault("stop", on: bastion) {
            let result = await muster("exec", ["--", "hostname"])
            #expect(result.status == 1)
            for host in behind {
                #expect(result.output.contains("\(host) (root@\(testbed.address(of: host))): cannot reach its jump host"), "\(result.output)")
            }
            #expect(result.output.contains("14 hosts: 10 ok, 0 failed, 4 unreachable"), "\(result.output)")
        }
    }

    /// The seed procedure behind a bastion: the HA network lives in dc2 (one VLAN, as
    /// UMS requires: its first server is host004), the database on the controller, and
    /// the new members are reached only through host003.
    @Test func theJoinWorksThroughTheBastion() async throws {
        let database = try #require(await testbed.controllerAddress("dc2"))
        let network = try await UMSNetwork.make(
            UMSNetwork(testbed: testbed, name: "dc", firstServer: behind[0], databaseHost: database))
        let members = Array(behind.dropFirst())
        for host in members {
            try await testbed.heal(host)
            _ = await Testbed.run(
                Testbed.packageRoot.path + "/scripts/testbed",
                ["exec", host, "--dir", testbed.directory, "--", "sh", "-c",
                 "[ ! -x /opt/IGEL/RemoteManager/uninstall.sh ] || /opt/IGEL/RemoteManager/uninstall.sh -q --purge; rm -f /root/*.bin /root/IGEL-Network.token"])
        }
        let jump = "ansible_ssh_common_args: '-o UserKnownHostsFile=\(testbed.knownHosts) -o ProxyJump=root@\(testbed.address(of: bastion))'"
        let inventory = try network.inventory(
            members: members, hostVars: Dictionary(uniqueKeysWithValues: members.map { ($0, "datacenter: dc2, \(jump)") }),
            firstServerVars: jump, name: "dc-join")
        let run = await network.join(inventory: inventory, ["--no-state"])
        try await network.script("ums-standin-db", ["stop", "--dir", network.database], mayFail: true)
        #expect(run.status == 0, "\(run.output)\(run.stderr)")
        #expect(run.output.contains("RESULT 2 ok"), "\(run.output)")
        #expect(run.output.contains("PREFLIGHT passed"), "the same-VLAN and port checks hold inside dc2")
    }

    /// The case: a 100 MB bundle to the 10 hosts of dc1 crosses its 100 Mbit/s
    /// WAN link once (to the relay), every host verifies it, and no key is left behind.
    @Test func aDistributedBundleCrossesTheWANOnce() async throws {
        let size = 100_000_000
        let source = NSTemporaryDirectory() + "muster-dc-bundle-\(UUID().uuidString).bin"
        let payload = Data((0..<size).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 7) })
        try payload.write(to: URL(fileURLWithPath: source))
        defer { unlink(source) }
        for host in datacenter1 { unlink(testbed.rootDirectory(of: host) + "/dc-bundle.bin") }

        let before = try await testbed.wanBytes("dc1")
        let push = await muster(
            "push", ["-l", "dc1", "--distribute", "per-datacenter", source, "/root/dc-bundle.bin"])
        let after = try await testbed.wanBytes("dc1")
        #expect(push.status == 0, "\(push.output)\(push.stderr)")
        let crossed = after.toDatacenter - before.toDatacenter
        #expect(Double(crossed) <= 1.1 * Double(size), "\(crossed) bytes crossed the WAN for a \(size)-byte bundle")
        #expect(crossed >= size, "the bundle itself crossed once")

        for host in datacenter1 {
            let path = testbed.rootDirectory(of: host) + "/dc-bundle.bin"
            #expect(FileManager.default.contents(atPath: path) == payload, "\(host) has the whole bundle")
            unlink(path)
            let keys = (try? String(contentsOfFile: testbed.rootDirectory(of: host) + "/.ssh/authorized_keys", encoding: .utf8)) ?? ""
            #expect(!keys.contains("muster-relay"), "\(host) keeps no temporary key")
        }
    }
}
