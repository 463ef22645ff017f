import Foundation
import Testing

@testable import MusterCore

/// Grouping facts for `muster report` and spotting drift between two gatherings.
@Suite struct FactsReportTests {
    static let then = Date(timeIntervalSince1970: 1_800_000_000)

    static func facts(_ host: String, ums: String? = "12.07.100", clock: Double = 0.1, disk: Int = 5000) -> FleetFacts {
        var record = FleetFacts(host: host, gatheredAt: then)
        record.os = "Ubuntu 22.04.4 LTS"
        record.kernel = "5.15.0"
        record.umsVersion = ums
        record.clockOffset = clock
        record.diskFreeMB = ["/opt": disk]
        record.services = ["igelRMserver": ums == nil ? "absent" : "running"]
        return record
    }

    @Test func groupsByInventoryVariablesAndFactFieldsWithCounts() throws {
        let datacenter = ["a1": "fra", "a2": "fra", "b1": "ams"]
        let report = FactsReport(
            [Self.facts("a1"), Self.facts("a2", ums: "12.08.100"), Self.facts("b1")], groupBy: ["datacenter", "ums_version"],
            variable: { host, name in name == "datacenter" ? datacenter[host] : nil })
        #expect(report.groups.map(\.key) == [["ams", "12.07.100"], ["fra", "12.07.100"], ["fra", "12.08.100"]])
        #expect(report.groups.map { $0.hosts.map(\.host) } == [["b1"], ["a1"], ["a2"]])
        #expect(report.table().contains("datacenter=fra  ums_version=12.08.100: 1 host"))
        let csv = report.csv().split(separator: "\r\n")
        #expect(csv.count == 4)
        #expect(csv[0].hasPrefix("datacenter,ums_version,host,"))
        let json = try JSONSerialization.jsonObject(with: Data(try report.json().utf8)) as? [String: Any]
        #expect(json?["schema"] as? String == "muster.facts-report/1")
        #expect(report.html().contains("<td>a2</td>"))
        #expect(!report.html().contains("http"))
    }

    @Test func driftNamesVersionsClocksDiskAndVanishedHosts() {
        var unreachable = Self.facts("c")
        unreachable.unreachable = "connection refused"
        let changes = FactsDrift.changes(
            from: [Self.facts("a"), Self.facts("b"), Self.facts("c"), Self.facts("d")],
            to: [Self.facts("a", ums: "12.08.100"), Self.facts("b", clock: 75, disk: 500), unreachable, Self.facts("e")]
        ).map(\.description)
        #expect(changes.contains("a: UMS version 12.07.100 -> 12.08.100"))
        #expect(changes.contains("b: clock +75.0 s off the controller (limit 60 s)"))
        #expect(changes.contains("b: free disk at /opt fell to 500 MB (limit 1024 MB)"))
        #expect(changes.contains("c: disappeared: connection refused"))
        #expect(changes.contains("d: gone: no longer in the inventory's facts"))
        #expect(changes.contains("e: new host"))
        #expect(!changes.contains { $0.hasPrefix("a: clock") })
    }

    @Test func csvQuotesFieldsThatNeedIt() {
        #expect(FactsReport.csvField("plain") == "plain")
        #expect(FactsReport.csvField("a,b") == "\"a,b\"")
        #expect(FactsReport.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }
}
