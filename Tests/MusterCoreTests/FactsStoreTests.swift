import Foundation
import MusterCore
import Testing

@testable import MusterState

/// `muster facts` storing its gatherings, and `muster report` (grouping, `--drift`) reading
/// them back, through the state store the commands use; no host is contacted.
@Suite struct FactsStoreTests {
    let directory: TemporaryDirectory
    var path: String { directory.path + "/state/muster.db" }

    init() throws { directory = try TemporaryDirectory() }

    static let first = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z
    static let second = first.addingTimeInterval(86_400)

    static func facts(_ host: String, at date: Date, ums: String? = "12.07.100", clock: Double = 0.2, disk: Int = 5000) -> FleetFacts {
        var record = FleetFacts(host: host, gatheredAt: date)
        record.hostname = host
        record.os = "Debian GNU/Linux 12 (bookworm)"
        record.kernel = "6.1.0-18-amd64"
        record.umsVersion = ums
        record.clockOffset = clock
        record.diskFreeMB = ["/opt": disk]
        record.services = ["igelRMserver": ums == nil ? "absent" : "running"]
        record.addresses = ["192.0.2.10/24"]
        return record
    }

    static func start(_ facts: [FleetFacts], at date: Date) -> RunStart {
        RunStart(
            command: "facts", playbook: "", playbookSHA256: "", inventorySHA256: "cc", options: ["inventory": ["inv.ini"]],
            targets: facts.map(\.host), started: date)
    }

    /// Two gatherings: a day apart, web2 upgraded, web3's clock 120 s off and its /opt
    /// nearly full, db1 gone; web4 is in the inventory but was never gathered.
    func storeTwoGatherings(_ store: StateStore) throws -> (Int64, Int64) {
        let before = ["web1", "web2", "web3", "db1"].map { Self.facts($0, at: Self.first) }
        var down = FleetFacts(host: "db1", gatheredAt: Self.second)
        down.unreachable = "connection refused"
        let after = [
            Self.facts("web1", at: Self.second), Self.facts("web2", at: Self.second, ums: "12.08.100"),
            Self.facts("web3", at: Self.second, clock: 120.4, disk: 300), down,
        ]
        let one = try store.recordFacts(before, start: Self.start(before, at: Self.first), ended: Self.first.addingTimeInterval(2))
        let two = try store.recordFacts(after, start: Self.start(after, at: Self.second), ended: Self.second.addingTimeInterval(2))
        return (one, two)
    }

    static let hosts = [
        InventoryHost(name: "web1", vars: ["datacenter": .string("fra")], groups: ["web"]),
        InventoryHost(name: "web2", vars: ["datacenter": .string("fra")], groups: ["web"]),
        InventoryHost(name: "web3", vars: ["datacenter": .string("ams")], groups: ["web"]),
        InventoryHost(name: "db1", vars: ["datacenter": .string("ams")], groups: ["db"]),
        InventoryHost(name: "web4", vars: ["datacenter": .string("ams")], groups: ["web"]),
    ]

    @Test func gatheringsAreRunsWithOneFactsRowPerHost() throws {
        let store = try StateStore(path: path)
        let (one, two) = try storeTwoGatherings(store)
        let runs = try store.runs()
        #expect(runs.map(\.id) == [two, one])
        #expect(runs.map(\.command) == ["facts", "facts"])
        #expect(runs.map(\.status) == [.failed, .ok])
        #expect(runs[0].hosts(.unreachable) == 1 && runs[0].hosts(.ok) == 3)
        #expect(runs[0].exitStatus == 1 && runs[1].exitStatus == 0)
        #expect(try store.run(String(two)).result.hosts.first { $0.host == "db1" }?.failure == "connection refused")
        let latest = try store.latestFacts(for: ["web2", "db1", "web4"])
        #expect(latest["web2"]?.facts == Self.facts("web2", at: Self.second, ums: "12.08.100"))
        #expect(latest["web2"]?.runID == two)
        #expect(latest["db1"]?.facts.unreachable == "connection refused")
        #expect(latest["web4"] == nil)
        // Stored as readable JSON, dates to the millisecond.
        let json = try store.queue.read { db in try String.fetchOne(db, sql: "SELECT json FROM facts WHERE host = 'web1' LIMIT 1") }
        #expect(json?.contains("\"gatheredAt\":\"2027-01-15T08:00:00.000Z\"") == true)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func reportGroupsLatestFactsByInventoryVariablesAndFields() throws {
        let store = try StateStore(path: path)
        _ = try storeTwoGatherings(store)
        let report = try store.factsReport(for: Self.hosts, groupBy: ["datacenter", "ums_version"])
        #expect(report.groups.map(\.key) == [["ams", "-"], ["ams", "12.07.100"], ["fra", "12.07.100"], ["fra", "12.08.100"]])
        #expect(report.groups.map { $0.hosts.map(\.host) } == [["db1"], ["web3"], ["web1"], ["web2"]])
        #expect(report.noFacts == ["web4"])
        let table = report.table()
        #expect(table.contains("datacenter=fra  ums_version=12.08.100: 1 host"))
        #expect(table.contains("db1  unreachable: connection refused"))
        #expect(table.contains("  web4  no facts yet"))
        let byVersion = try store.factsReport(for: Self.hosts, groupBy: ["ums_version"])
        #expect(byVersion.groups.map { "\($0.key[0])=\($0.hosts.count)" } == ["-=1", "12.07.100=2", "12.08.100=1"])
        let json = try JSONSerialization.jsonObject(with: Data(try report.json().utf8)) as? [String: Any]
        #expect(json?["no_facts"] as? [String] == ["web4"])
        #expect(report.csv().contains("\r\n,,web4,,no facts yet,"))
        #expect(report.html().contains("<li>web4</li>"))
    }

    @Test func driftSinceThePreviousGathering() throws {
        let store = try StateStore(path: path)
        let (one, two) = try storeTwoGatherings(store)
        let report = try store.driftReport(for: Self.hosts.map(\.name), since: .previous)
        #expect(report.hosts.map(\.host) == ["web1", "web2", "web3", "db1"])
        #expect(report.hosts.allSatisfy { $0.from?.run == one && $0.to.run == two })
        let changes = Dictionary(uniqueKeysWithValues: report.hosts.map { ($0.host, $0.changes) })
        #expect(changes["web1"] == [])
        #expect(changes["web2"] == ["UMS version 12.07.100 -> 12.08.100"])
        #expect(changes["web3"] == ["clock +120.4 s off the controller (limit 60 s)", "free disk at /opt fell to 300 MB (limit 1024 MB)"])
        #expect(changes["db1"] == ["disappeared: connection refused"])
        #expect(report.noFacts == ["web4"])
        let table = report.table()
        #expect(table.contains("web3: run \(one) (2027-01-15T08:00:00Z) -> run \(two) (2027-01-16T08:00:00Z)\n  clock +120.4 s"))
        #expect(!table.contains("web1:"))
        #expect(table.contains("no facts yet: web4"))
        var limits = FactsDrift.Limits()
        limits.clockSeconds = 300
        limits.diskFreeMB = 100
        let relaxed = try store.driftReport(for: ["web3"], since: .previous, limits: limits)
        #expect(relaxed.changeCount == 0)
        #expect(relaxed.table().hasSuffix("no drift on 1 host\n"))
        let json = try JSONSerialization.jsonObject(with: Data(try report.json().utf8)) as? [String: Any]
        #expect(json?["schema"] as? String == "muster.facts-drift/1")
        #expect(json?["drift"] as? Bool == true)
        #expect(report.csv().split(separator: "\r\n").count == 1 + 4)
    }

    @Test func driftSinceARunIdOrADate() throws {
        let store = try StateStore(path: path)
        let (one, two) = try storeTwoGatherings(store)
        // A third gathering of web2 only: since the previous, web2 changed nothing; since
        // run one, web2's upgrade shows; web1 was not gathered after run two.
        let third = [Self.facts("web2", at: Self.second.addingTimeInterval(3600), ums: "12.08.100")]
        let three = try store.recordFacts(third, start: Self.start(third, at: Self.second.addingTimeInterval(3600)))
        let previous = try store.driftReport(for: ["web1", "web2"], since: .previous)
        #expect(previous.hosts.first { $0.host == "web2" }?.changes == [])
        #expect(previous.hosts.first { $0.host == "web2" }?.from?.run == two)
        #expect(previous.table().contains("no drift on 2 hosts"))

        let sinceOne = try store.driftReport(for: ["web1", "web2"], since: .run(one))
        #expect(sinceOne.hosts.map(\.host) == ["web1", "web2"])
        #expect(sinceOne.hosts[1].from?.run == one && sinceOne.hosts[1].to.run == three)
        #expect(sinceOne.hosts[1].changes == ["UMS version 12.07.100 -> 12.08.100"])

        let sinceTwo = try store.driftReport(for: ["web1", "web2"], since: .run(two))
        #expect(sinceTwo.notGatheredSince == ["web1"])
        #expect(sinceTwo.table().contains("not gathered since run \(two): web1"))

        // Midway between the first two gatherings: the baseline is the first one.
        let midway = try store.driftReport(for: Self.hosts.map(\.name), since: .date(Self.first.addingTimeInterval(43_200)))
        #expect(midway.hosts.first { $0.host == "web3" }?.from?.run == one)
        #expect(midway.hosts.first { $0.host == "db1" }?.changes == ["disappeared: connection refused"])
        #expect(midway.since == "2027-01-15T20:00:00Z")

        #expect(throws: StateError.self) { try store.driftReport(for: ["web1"], since: .date(Self.first.addingTimeInterval(-1))) }
        #expect(throws: StateError.self) { try store.driftReport(for: ["web1"], since: .run(99)) }
    }

    @Test func driftSinceRefusesRunsThatAreNotGatherings() throws {
        let store = try StateStore(path: path)
        let recorder = try RunRecorder(
            store: store,
            start: RunStart(command: "run", playbook: "/p.yml", playbookSHA256: "a", inventorySHA256: "b", targets: ["web1"]))
        recorder.finish(RunResult(playbook: "/p.yml", hosts: [HostRun(host: "web1")], duration: .seconds(1)))
        let error = #expect(throws: StateError.self) { try store.driftReport(for: ["web1"], since: .run(recorder.runID)) }
        #expect(error?.description.contains("not a facts gathering") == true)
    }

    @Test func sinceParsesRunIdsDatesAndDateTimes() throws {
        let utc = TimeZone(identifier: "UTC")!
        #expect(try FactsBaseline.parse("12") == .run(12))
        #expect(try FactsBaseline.parse("2027-01-15", timeZone: utc) == .date(Self.first.addingTimeInterval(-8 * 3600)))
        #expect(try FactsBaseline.parse("2027-01-15T08:00:00Z") == .date(Self.first))
        #expect(try FactsBaseline.parse("2027-01-15T09:00:00+01:00") == .date(Self.first))
        #expect(try FactsBaseline.parse("2027-01-15T08:00:00.500Z") == .date(Self.first.addingTimeInterval(0.5)))
        #expect(try FactsBaseline.parse("2027-01-15T08:00", timeZone: utc) == .date(Self.first))
        #expect(try FactsBaseline.parse("2027-01-15 08:00:00", timeZone: utc) == .date(Self.first))
        for bad in ["yesterday", "", "2027-13-45", "-3"] {
            #expect(throws: StateError.self) { try FactsBaseline.parse(bad) }
        }
    }

    @Test func driftAfterASingleGatheringHasNothingToCompare() throws {
        let store = try StateStore(path: path)
        let once = [Self.facts("web1", at: Self.first), Self.facts("web2", at: Self.first)]
        try store.recordFacts(once, start: Self.start(once, at: Self.first))
        let report = try store.driftReport(for: ["web1", "web2", "web4"], since: .previous)
        #expect(report.hosts.isEmpty && report.firstGathering == ["web1", "web2"])
        #expect(report.table().contains("no drift\nno earlier gathering to compare with: web[1-2]\nno facts yet: web4\n"))
        // Once something was gathered twice, a host seen only in the latest gathering is new.
        let again = [Self.facts("web1", at: Self.second), Self.facts("web3", at: Self.second)]
        try store.recordFacts(again, start: Self.start(again, at: Self.second))
        let later = try store.driftReport(for: ["web1", "web3"], since: .previous)
        #expect(later.hosts.map(\.changes) == [[], ["new host"]])
    }

    @Test func reportWithoutGatheringsListsEveryHostAsNoFactsYet() throws {
        let store = try StateStore(path: path)
        let report = try store.factsReport(for: Self.hosts, groupBy: [])
        #expect(report.groups.isEmpty)
        #expect(report.noFacts == Self.hosts.map(\.name))
        let drift = try store.driftReport(for: ["web1"], since: .previous)
        #expect(
            drift.table() == "drift since the previous gathering (clock limit 60 s, disk limit 1024 MB)\nno drift\nno facts yet: web1\n")
    }
}
