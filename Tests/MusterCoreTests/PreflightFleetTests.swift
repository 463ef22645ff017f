import Foundation
import MusterSSH
import Testing

@testable import MusterCore

/// Checks that compare targets with reference hosts and the controller.
@Suite struct PreflightFleetTests {
    func clockFacts(_ offset: Double) -> HostFacts {
        var facts = HostFacts()
        facts.clockOffset = offset
        return facts
    }

    @Test func oneSkewedTargetFailsAlone() {
        var fleet = PreflightFleet()
        fleet.add("ref", .reference, checks: [check(.clockSkew)], facts: clockFacts(0.4))
        fleet.add("t1", checks: [check(.clockSkew)], facts: clockFacts(121.3))
        fleet.add("t2", checks: [check(.clockSkew)], facts: clockFacts(-0.2))
        let skewed = fleet.result("t1")
        #expect(skewed.status == .failed)
        #expect(
            skewed.message
                == "clock 121.3 s ahead of the controller, 121.5 s off t2 (limit 60 s); after setting a clock by hand, restart that server's HA services"
        )
        let healthy = fleet.result("t2")
        #expect(healthy.status == .passed)
        #expect(healthy.message == "clock 0.2 s behind the controller (limit 60 s)")
    }

    @Test func aSkewedReferenceIsTheCulpritNotTheTarget() {
        var fleet = PreflightFleet()
        fleet.add("ref", .reference, checks: [check(.clockSkew)], facts: clockFacts(-45))
        fleet.add("t1", checks: [check(.clockSkew)], facts: clockFacts(30))
        let result = fleet.result("t1")
        // 75 s apart; the median (0: controller) is 30 from t1 and 45 from ref, so the
        // reference is the culprit and t1 is not blamed.
        #expect(result.status == .passed)
        fleet.observations[1].checks = [check(.clockSkew, ["max_seconds": 20])]
        #expect(fleet.result("t1").status == .failed, "30 s from the controller is over 20 s")
    }

    @Test func aSkewedControllerFailsNobody() {
        var fleet = PreflightFleet()
        for name in ["t1", "t2", "t3"] {
            fleet.add(name, checks: [check(.clockSkew)], facts: clockFacts(-300 + Double(name.last!.wholeNumberValue!)))
        }
        #expect(fleet.results("t1").map(\.status) == [.passed])
        #expect(fleet.result("t1").message == "clock 299.0 s behind the controller (limit 60 s)")
    }

    @Test func aLoneSkewedTargetFailsAgainstTheController() {
        var fleet = PreflightFleet()
        fleet.add("t1", checks: [check(.clockSkew)], facts: clockFacts(-90))
        #expect(
            fleet.result("t1").message
                == "clock 90.0 s behind the controller (limit 60 s); after setting a clock by hand, restart that server's HA services")
    }

    func versionFacts(_ version: HostFacts.VersionFile?) -> HostFacts {
        var facts = HostFacts()
        if let version { facts.versionFiles["/opt/IGEL/RemoteManager/umsversion.properties"] = version }
        return facts
    }

    @Test func sameVersion() {
        let bundle = "/b/setup-igel-ums-linux_12.07.100.bin"
        let spec = check(.sameVersion, ["bundle": .string(bundle)])
        var fleet = PreflightFleet()
        fleet.controller.bundles[bundle] = .present(.init(size: 1, sha256: "ab", version: "12.07.100"))
        fleet.add("t1", checks: [spec], facts: HostFacts())
        #expect(fleet.result("t1").message == "no reference host (first HA server) to compare the bundle version 12.07.100 with")
        fleet.add("ums1", .reference, checks: [spec], facts: versionFacts(.version("12.07.100")))
        #expect(fleet.result("t1").status == .passed)
        #expect(fleet.result("t1").message == "bundle 12.07.100 matches ums1")
        fleet.add("ums2", .reference, checks: [spec], facts: versionFacts(.version("12.06.110")))
        #expect(fleet.result("t1").message == "bundle 12.07.100 but ums2 runs 12.06.110")
        fleet.observations[2].outcome = .facts(versionFacts(.missing))
        #expect(fleet.result("t1").message == "ums2 has no UMS installed (no /opt/IGEL/RemoteManager/umsversion.properties)")
        fleet.observations[2].outcome = .unreachable("refused")
        #expect(fleet.result("t1").message == "reference ums2 was not reached")
        fleet.controller.bundles[bundle] = .present(.init(size: 1, sha256: "ab", version: nil))
        #expect(fleet.result("t1").status == .failed)
    }

    @Test func tokenComparesDigestsWithTheFirstReferenceAndNeverShowsThem() {
        let spec = check(.token, ["file": "/local/IGEL-Network.token"])
        let good = String(repeating: "a", count: 64)
        var fleet = PreflightFleet()
        fleet.controller.tokens["/local/IGEL-Network.token"] = .present(good)
        var first = HostFacts()
        first.tokenDigests["/root/IGEL-Network.token"] = .sha256(String(repeating: "b", count: 64))
        fleet.add("ums1", .reference, checks: [spec], facts: first)
        fleet.add("t1", checks: [spec], facts: HostFacts())
        let mismatch = fleet.result("t1")
        #expect(mismatch.status == .failed)
        #expect(
            mismatch.message == "/local/IGEL-Network.token is not the current network token (it differs from ums1:/root/IGEL-Network.token)"
        )
        #expect(!mismatch.message.contains("aaaa") && !mismatch.message.contains("bbbb"))
        first.tokenDigests["/root/IGEL-Network.token"] = .sha256(good)
        fleet.observations[0].outcome = .facts(first)
        #expect(fleet.result("t1").message == "/local/IGEL-Network.token is the network token of ums1")
        fleet.controller.tokens["/local/IGEL-Network.token"] = .unusable("empty")
        #expect(fleet.result("t1").message == "token file /local/IGEL-Network.token on the controller: empty")
    }

    @Test func tokenFilesOnTheController() throws {
        let directory = try TemporaryDirectory()
        let empty = try directory.write("empty.token", Data())
        let token = try directory.write("IGEL-Network.token", Data("t0ken".utf8))
        let facts = ControllerFacts.gather(for: [
            check(.token, ["file": .string(empty)]), check(.token, ["file": .string(token)]),
            check(.token, ["file": .string(directory.path + "/none")]),
        ])
        #expect(facts.tokens[empty] == .unusable("empty"))
        #expect(facts.tokens[token] == .present(Digest.hex(Digest.sha256(Data("t0ken".utf8)))))
        #expect(facts.tokens[directory.path + "/none"] == .missing)
        #expect(!String(describing: facts).contains("t0ken"))
    }

    @Test func portReachable() {
        let spec = check(.portReachable, ["ports": [61616], "targets": ["db.example:5432"]])
        var fleet = PreflightFleet()
        fleet.add("ums1", .reference, address: "10.0.0.5", checks: [spec], facts: HostFacts())
        var facts = HostFacts()
        facts.connections = ["ums1 (10.0.0.5):61616": .connected, "db.example:5432": .failed("timed out after 3 s")]
        fleet.add("t1", checks: [spec], facts: facts)
        #expect(fleet.result("t1").message == "cannot connect to db.example:5432 (timed out after 3 s)")
        facts.connections["db.example:5432"] = .connected
        fleet.observations[1].outcome = .facts(facts)
        #expect(fleet.result("t1").message == "connected to ums1 (10.0.0.5):61616, db.example:5432")
        var lonely = PreflightFleet()
        lonely.add("t1", checks: [check(.portReachable, ["ports": [61616]])], facts: HostFacts())
        #expect(lonely.result("t1").message == "no reference host to connect to")
    }

    @Test func sameSubnet() {
        var target = HostFacts()
        target.interfaces = [IPv4Interface("127.0.0.1/8")!, IPv4Interface("192.0.2.7/24")!]
        target.sshAddress = "192.0.2.7"
        var reference = HostFacts()
        reference.sshAddress = "192.0.2.5"
        var fleet = PreflightFleet()
        fleet.add("ums1", .reference, checks: [check(.sameSubnet)], facts: reference)
        fleet.add("t1", checks: [check(.sameSubnet)], facts: target)
        #expect(fleet.result("t1").message == "192.0.2.7 and ums1 (192.0.2.5) share 192.0.2.0/24")
        reference.sshAddress = "198.51.100.5"
        fleet.observations[0].outcome = .facts(reference)
        #expect(fleet.result("t1").status == .failed)
        #expect(fleet.result("t1").message == "ums1 (198.51.100.5) not in this host's network 192.0.2.0/24")
        // Unreached reference: its inventory address is used.
        fleet.observations[0] = .init(
            host: .init(name: "ums1", address: "192.0.2.9", role: .reference), checks: [], outcome: .unreachable("x"))
        #expect(fleet.result("t1").status == .passed)
        target.interfaces = nil
        target.addressesWithoutPrefix = ["192.0.2.7"]
        fleet.observations[1].outcome = .facts(target)
        #expect(fleet.result("t1").message == "no prefix lengths known: ip is missing and hostname -I gives none")
    }

    @Test func ipv4Values() {
        #expect(IPv4Address("10.0.0.256") == nil && IPv4Address("10.0.0") == nil && IPv4Address("a.b.c.d") == nil)
        #expect(IPv4Interface("10.1.2.3/0")!.contains(IPv4Address("8.8.8.8")!))
        #expect(IPv4Interface("10.1.2.3/32")!.network == "10.1.2.3/32")
        #expect(IPv4Interface("10.1.2.3/33") == nil)
        #expect(PortTarget(hostPort: "[fd00::1]:5432")?.host == "fd00::1")
        #expect(PortTarget(hostPort: "db:0") == nil && PortTarget(hostPort: ":22") == nil)
    }
}
