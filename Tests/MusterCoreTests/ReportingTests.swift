import Foundation
import MusterCore
import Testing

/// How results read: folded text blocks, the summary line, the JSON document.
@Suite struct ReportingTests {
    func result(_ host: String, _ outcome: HostResult.Outcome, ms: Int = 100) -> HostResult {
        HostResult(host: host, outcome: outcome, duration: .milliseconds(ms))
    }

    var mixed: [HostResult] {
        let ok = HostResult.Outcome(status: .ok, exitStatus: 0, stdout: "12.07.100\n")
        return [
            result("web01", ok, ms: 110), result("web02", ok, ms: 130), result("web04", ok, ms: 120),
            result("web03", HostResult.Outcome(status: .failed, exitStatus: 2, stdout: "", stderr: "no such file\n", message: "exit status 2")),
            result("db1", .unreachable(message: "db1 (root@10.0.0.9): cannot connect: Connection refused")),
        ]
    }

    @Test func identicalResultsArePrintedOnceWithTheirHosts() {
        let text = ResultRenderer(colors: TerminalColors(enabled: false)).render(mixed, elapsed: .milliseconds(1500))
        #expect(text == """
            ── web[01-02,04] · ok · exit 0 · 0.11 s–0.13 s · 3 hosts
            12.07.100
            ── web03 · FAILED · exit 2 · 0.10 s
            stderr:
            no such file
            ── db1 · UNREACHABLE · 0.10 s
            db1 (root@10.0.0.9): cannot connect: Connection refused
            5 hosts: 3 ok, 1 failed, 1 unreachable in 1.50 s

            """)
    }

    @Test func colourOnlyWhenEnabled() {
        let plain = ResultRenderer(colors: TerminalColors(enabled: false)).summaryLine(RunSummary(mixed), elapsed: .seconds(1))
        let coloured = ResultRenderer(colors: TerminalColors(enabled: true)).summaryLine(RunSummary(mixed), elapsed: .seconds(1))
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[31m1 failed"))
    }

    @Test func summaryCountsAndExitDecision() {
        let summary = RunSummary(mixed)
        #expect(summary == {
            var expected = RunSummary([])
            expected.ok = 3
            expected.failed = 1
            expected.unreachable = 1
            return expected
        }())
        #expect(!summary.allSucceeded)
        #expect(RunSummary(Array(mixed.prefix(3))).allSucceeded)
    }

    @Test func jsonReportIsOneDocumentWithEveryHost() throws {
        let json = try JSONReport(command: "exec", results: mixed, elapsed: .milliseconds(1500)).encoded()
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(document["schema"] as? String == "muster.adhoc/1")
        #expect(document["elapsed_s"] as? Double == 1.5)
        let hosts = try #require(document["hosts"] as? [[String: Any]])
        #expect(hosts.map { $0["host"] as? String } == ["web01", "web02", "web04", "web03", "db1"])
        #expect(hosts[3]["exit_status"] as? Int == 2)
        #expect(hosts[3]["stderr"] as? String == "no such file\n")
        #expect(hosts[4]["status"] as? String == "unreachable")
        #expect(document["summary"] as? [String: Int] == ["ok": 3, "changed": 0, "failed": 1, "unreachable": 1])
    }
}
