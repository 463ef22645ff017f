import Foundation
import Testing

/// playbooks/ums-ha-join.yml on real hosts: a first server installed by hand, then
/// members joined by Muster; faults each caught by their own check, with nothing
/// installed anywhere; `--check` changing nothing.
@Suite(.serialized) struct UMSJoinTests {
    let testbed = Testbed.playbooks

    private func network() async throws -> UMSNetwork { try await UMSNetwork.shared.value }

    /// Removes an earlier run's installation so that a host starts clean.
    private func reset(_ hosts: [String]) async throws {
        for host in hosts {
            try await testbed.heal(host)
            _ = await Testbed.run(
                Testbed.packageRoot.path + "/scripts/testbed",
                ["exec", host, "--dir", testbed.directory, "--", "sh", "-c",
                 "[ ! -x /opt/IGEL/RemoteManager/uninstall.sh ] || /opt/IGEL/RemoteManager/uninstall.sh -q --purge; rm -f /root/*.bin /root/IGEL-Network.token"])
        }
    }

    @Test func joinsEightMembersAndVerifiesEach() async throws {
        let network = try await network()
        let members = (2...9).map(Testbed.name)
        try await reset(members)
        let inventory = try network.inventory(
            members: members, components: ["host008": "both", "host009": "load_balancer"], name: "join")
        let run = await network.join(inventory: inventory)
        #expect(run.status == 0, "\(run.output)\(run.stderr)")
        #expect(run.output.contains("PREFLIGHT passed"))
        #expect(run.output.contains("RESULT 8 ok"))
        // Stage join: one member first, then half of the remaining seven at a time.
        #expect(run.output.contains("STAGE join: 8 hosts in 3 batches (1, 4, 3)"))
        for host in members { #expect(try await network.isMember(host), "\(host) is not in the HA network") }
        // The token never shows up in what Muster prints.
        let token = try String(contentsOfFile: network.token, encoding: .utf8)
        #expect(!run.output.contains(token.trimmingCharacters(in: .whitespacesAndNewlines)))

        // Run again: everything is in place, nothing is installed twice.
        let again = await network.join(inventory: inventory)
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.contains("unchanged"))
        #expect(!again.output.contains("changed install with the wizard"))
    }

    @Test func eachFaultIsReportedUnderItsCheckAndNothingIsInstalled() async throws {
        let network = try await network()
        let hosts = (10...14).map(Testbed.name)
        try await reset(hosts)
        let inventory = try network.inventory(members: hosts, name: "faults")
        let before = network.listing(hosts)
        try await testbed.fault("skew", "host010", "120")
        try await testbed.fault("ro-root", "host011")
        try await testbed.fault("cloud", "host012")
        let run = await network.join(inventory: inventory)
        for host in ["host010", "host011", "host012"] { try await testbed.heal(host) }

        #expect(run.status == 3, "\(run.output)\(run.stderr)")
        #expect(run.output.contains("host010: ERROR clock_skew"))
        #expect(run.output.contains("host011: ERROR dir_writable"))
        #expect(run.output.contains("host012: ERROR not_cloud"))
        #expect(!run.output.contains("host013: ERROR"))
        #expect(run.output.contains("held back: all-or-nothing"))
        #expect(!run.output.contains("STAGE"))
        #expect(network.listing(hosts) == before, "all-or-nothing: no host may be touched")

        let wrongToken = testbed.directory + "/wrong.token"
        try "not-the-network-token\n".write(toFile: wrongToken, atomically: true, encoding: .utf8)
        let tokenRun = await network.join(inventory: inventory, token: wrongToken)
        #expect(tokenRun.status == 3)
        for host in hosts { #expect(tokenRun.output.contains("\(host): ERROR token"), "\(tokenRun.output)") }
        #expect(!tokenRun.output.contains("not-the-network-token"))

        let versionRun = await network.join(
            inventory: inventory, bundles: network.otherBundles, ["-e", "ums_version=\(UMSNetwork.otherVersion)"])
        #expect(versionRun.status == 3)
        #expect(versionRun.output.contains("ERROR same_version"), "\(versionRun.output)")
        #expect(network.listing(hosts) == before)

        // An ignored error is a warning, and the recap says it was ignored.
        try await testbed.fault("skew", "host010", "120")
        let ignored = await Testbed.muster(
            ["check", UMSNetwork.joinPlaybook, "-i", inventory, "-e", "ums_bundle_dir=\(network.bundles)",
             "-e", "ums_token_file=\(network.token)", "--ignore-preflight", "clock_skew"])
        try await testbed.heal("host010")
        #expect(ignored.status == 0, "\(ignored.output)")
        #expect(ignored.output.contains("IGNORED PREFLIGHT ERRORS (--ignore-preflight clock_skew)"))
    }

    /// The second batch's member cannot be installed (a file where /opt/IGEL must go):
    /// the join stops there, as the playbook's `on_batch_failure: stop` says, and the
    /// third batch's member is left alone.
    @Test func aFailedSecondBatchStopsTheJoin() async throws {
        let network = try await network()
        let hosts = ["host010", "host011", "host012"]
        try await reset(hosts)
        let blocker = testbed.optDirectory(of: "host011") + "/IGEL"
        try? FileManager.default.removeItem(atPath: blocker)
        try "not a directory\n".write(toFile: blocker, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: blocker) }
        let inventory = try network.inventory(members: hosts, name: "batches")
        let run = await network.join(inventory: inventory)
        #expect(run.status == 1, "\(run.output)\(run.stderr)")
        #expect(run.output.contains("STAGE join: 3 hosts in 3 batches (1, 1, 1)"))
        #expect(run.output.contains("host011 FAILED install with the wizard"), "\(run.output)")
        #expect(!run.output.contains("BATCH 3/3 of join"))
        #expect(run.output.contains("host012  : not-run"))
        #expect(try await network.isMember("host010"))
        #expect(try await !network.isMember("host011"))
        #expect(try await !network.isMember("host012"))
    }

    @Test func checkModePlansAndChangesNothing() async throws {
        let network = try await network()
        let hosts = ["host015", "host016"]
        try await reset(hosts)
        let inventory = try network.inventory(members: hosts, name: "check")
        let before = network.listing(hosts)
        let run = await network.join(inventory: inventory, ["--check"])
        #expect(run.status == 0, "\(run.output)\(run.stderr)")
        #expect(run.output.contains("would copy"))
        #expect(run.output.contains("would run interactively"))
        #expect(run.output.contains("check mode: nothing was changed"))
        #expect(network.listing(hosts) == before)
        #expect(try await !network.isMember("host015"))
    }

    @Test func badInputNamesFileLineAndColumnAndTouchesNoHost() async throws {
        let network = try await network()
        let inventory = try network.inventory(members: ["host016"], name: "bad")
        let playbook = testbed.directory + "/bad.yml"
        try "hosts: ums_new\nstages:\n  - name: s\n    tasks:\n      - run: echo {{ no_such_variable }}\n"
            .write(toFile: playbook, atomically: true, encoding: .utf8)
        let run = await Testbed.muster(["run", playbook, "-i", inventory])
        #expect(run.status == 2)
        #expect(run.stderr.contains("bad.yml:5:"), "\(run.stderr)")
        #expect(run.stderr.contains("undefined variable 'no_such_variable'"))
    }
}
