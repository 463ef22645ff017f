import Foundation
import Testing

/// `muster facts` storing two gatherings and `muster report --drift` naming the clock that
/// was skewed between them, end to end on a 3-host testbed of this test's own
/// (/tmp/muster-test-facts on 127.0.5.x), taken down at the end.
@Suite struct FactsReportCLITests {
    @Test func driftNamesTheClockSkewedBetweenTwoGatherings() async throws {
        let testbed = Testbed.bringUp(directory: "/tmp/muster-test-facts", hosts: 3, net: 5)
        let state = NSTemporaryDirectory() + "muster-facts-\(UUID().uuidString).db"
        do {
            try await gatherSkewAndReport(testbed, state: state)
        } catch {
            await testbed.takeDown()
            for suffix in ["", "-wal", "-shm"] { unlink(state + suffix) }
            throw error
        }
        await testbed.takeDown()
        for suffix in ["", "-wal", "-shm"] { unlink(state + suffix) }
    }

    func gatherSkewAndReport(_ testbed: Testbed, state: String) async throws {
        try await testbed.heal("host002")
        let gather = ["facts", "-i", testbed.inventory, "--known-hosts", testbed.knownHosts, "--state", state]
        let first = await Testbed.muster(gather)
        #expect(first.status == 0, "\(first.output)\(first.stderr)")

        let nothingYet = await Testbed.muster(["report", "--drift", "-i", testbed.inventory, "--state", state])
        #expect(nothingYet.status == 0, "\(nothingYet.stderr)")
        #expect(nothingYet.output.contains("no drift"), "\(nothingYet.output)")

        try await testbed.withFault("skew", on: "host002", "120") {
            let second = await Testbed.muster(gather)
            #expect(second.status == 0, "\(second.output)\(second.stderr)")
        }

        let drift = await Testbed.muster(["report", "--drift", "-i", testbed.inventory, "--state", state])
        #expect(drift.status == 0, "\(drift.stderr)")
        let lines = drift.output.split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("host002: run 1 ") && $0.contains("-> run 2 ") }, "\(drift.output)")
        #expect(lines[header + 1].hasPrefix("  clock +1"), "\(drift.output)")
        #expect(lines[header + 1].contains("s off the controller (limit 60 s)"))
        #expect(!drift.output.contains("host001:") && !drift.output.contains("host003:"), "\(drift.output)")

        let sinceRun = await Testbed.muster([
            "report", "--drift", "--since", "1", "--format", "json", "-i", testbed.inventory, "--state", state,
        ])
        #expect(sinceRun.status == 0, "\(sinceRun.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(sinceRun.output.utf8)) as? [String: Any])
        #expect(json["drift"] as? Bool == true)

        let runs = await Testbed.muster(["runs", "--state", state])
        #expect(runs.output.split(separator: "\n").filter { $0.contains(" facts ") && $0.hasSuffix("ok") }.count == 2, "\(runs.output)")

        let report = await Testbed.muster([
            "report", "-i", "\(testbed.inventory)", "-i", "host099,", "--group-by", "reachable", "--state", state,
        ])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.output.contains("reachable=yes: 3 hosts"), "\(report.output)")
        #expect(report.output.contains("host099  no facts yet"), "\(report.output)")

        let unknown = await Testbed.muster(["report", "-i", testbed.inventory, "--format", "pdf", "--state", state])
        #expect(unknown.status == 2)
        let missing = await Testbed.muster(["report", "-i", testbed.inventory, "--state", state + ".absent"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no facts recorded"), "\(missing.stderr)")
    }
}
