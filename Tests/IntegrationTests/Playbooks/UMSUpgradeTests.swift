import Foundation
import Testing

/// playbooks/ums-ha-upgrade.yml on a network of its own: servers and a load balancer
/// joined at one version, then upgraded in the documented order to the next.
@Suite struct UMSUpgradeTests {
    @Test func upgradesEveryMemberInTheDocumentedOrder() async throws {
        let network = try await UMSNetwork.upgrade.value
        let testbed = network.testbed
        let members = ["host018", "host019", "host020"]
        let components = ["host019": "both", "host020": "load_balancer"]
        for host in members {
            try await testbed.heal(host)
            _ = await Testbed.run(
                Testbed.packageRoot.path + "/scripts/testbed",
                ["exec", host, "--dir", testbed.directory, "--", "sh", "-c",
                 "[ ! -x /opt/IGEL/RemoteManager/uninstall.sh ] || /opt/IGEL/RemoteManager/uninstall.sh -q --purge"])
        }
        let inventory = try network.inventory(members: members, components: components, name: "upgrade")
        let join = await network.join(inventory: inventory)
        #expect(join.status == 0, "\(join.output)\(join.stderr)")

        let run = await Testbed.muster(
            ["run", UMSNetwork.upgradePlaybook, "-i", inventory, "-e", "ums_version=\(UMSNetwork.otherVersion)",
             "-e", "ums_bundle_dir=\(network.otherBundles)"])
        #expect(run.status == 0, "\(run.output)\(run.stderr)")
        // The documented order: the other servers stopped, the first server updated alone,
        // then the other servers, then the load balancers that are not servers.
        let stages = run.output.split(separator: "\n").filter { $0.contains(" STAGE ") }.map { String($0.split(separator: " ", maxSplits: 1)[1]) }
        #expect(
            stages == [
                "STAGE push: 4 hosts in 1 batch (4)", "STAGE stop all servers but one: 2 hosts in 1 batch (2)",
                "STAGE update the first server: 1 hosts in 1 batch (1)", "STAGE update the other servers: 2 hosts in 2 batches (1, 1)",
                "STAGE update the load balancers: 1 hosts in 1 batch (1)", "STAGE same version everywhere: 4 hosts in 1 batch (4)",
            ], "\(stages)")
        let listed = try await network.script("ums-standin-db", ["members", "--dir", network.database]).output
        for host in ["host017"] + members {
            let line = listed.split(separator: "\n").first { $0.hasPrefix(host) }.map(String.init) ?? ""
            #expect(line.contains(UMSNetwork.otherVersion) && line.contains("running") && line.contains("normal"), "\(listed)")
        }
    }
}
