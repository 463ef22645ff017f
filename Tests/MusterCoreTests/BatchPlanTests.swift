import Foundation
import Testing

@testable import MusterCore

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("30", Duration.seconds(30)), ("30s", .seconds(30)), ("500ms", .milliseconds(500)), ("10m", .seconds(600)),
        ("2h", .seconds(7200)), ("1d", .seconds(86_400)), ("1m30s", .seconds(90)), ("1h30m", .seconds(5400)),
        ("1.5s", .milliseconds(1500)), ("0.5h", .seconds(1800)), ("  45s ", .seconds(45)), ("10M", .seconds(600)),
        ("0", .zero), ("1m30", .seconds(90)),
    ])
    func parses(text: String, expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test(arguments: ["", "   ", "s", "ms", "10 m", "5x", "-5s", "1..5s", ".", "abc", "1m 30s", "5sec", "1e3s", "99999999999999999999d"])
    func rejects(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test func describes() {
        #expect(DurationText.describe(.seconds(30)) == "30 s")
        #expect(DurationText.describe(.seconds(600)) == "10 min")
        #expect(DurationText.describe(.seconds(90)) == "90 s")
        #expect(DurationText.describe(.milliseconds(1500)) == "1500 ms")
        #expect(DurationText.describe(.zero) == "0 s")
    }

    /// Durations in a playbook that no clock can wait for are bad input, not a crash.
    @Test(arguments: ["timeout: .inf", "timeout: 1e30", "timeout: 99999999999999999999h", "delay: .nan"])
    func hugeDurationsAreRejected(entry: String) {
        let error = playbookError(playbookWithTask("- run: x\n  \(entry)"))
        #expect(error?.message.contains("must be a duration") == true, "\(String(describing: error))")
    }
}

@Suite struct BatchPlanTests {
    static func hosts(_ count: Int) -> [String] { (1...count).map { String(format: "h%02d", $0) } }

    @Test func batchSizes() {
        #expect(BatchSize.count(3).hosts(of: 10) == 3)
        #expect(BatchSize.count(0).hosts(of: 10) == 1)
        #expect(BatchSize.percent(25).hosts(of: 20) == 5)
        #expect(BatchSize.percent(25).hosts(of: 10) == 2)  // 2.5 rounds down
        #expect(BatchSize.percent(10).hosts(of: 5) == 1)  // 0.5 rounds down, but at least one host
        #expect(BatchSize.percent(100).hosts(of: 7) == 7)
        #expect(BatchSize.percent(50).hosts(of: 1) == 1)
        #expect(BatchSize.percent(33).hosts(of: 100) == 33)
    }

    /// Ansible's documented example: `serial: [1, 5, "25%"]`; percentages are of all the play's hosts,
    /// the last entry repeats, and the last batch takes what is left.
    @Test func serialListOnTwentyHosts() {
        let batches = BatchPlan.batches(Self.hosts(20), serial: [.count(1), .count(5), .percent(25)])
        #expect(batches.map(\.count) == [1, 5, 5, 5, 4])
        #expect(batches.flatMap { $0 } == Self.hosts(20))
        #expect(batches[0] == ["h01"])
        #expect(batches[4] == ["h17", "h18", "h19", "h20"])
    }

    @Test func serialShapes() {
        #expect(BatchPlan.batches(Self.hosts(5), serial: [.percent(100)]).map(\.count) == [5])
        #expect(BatchPlan.batches(Self.hosts(5), serial: []).map(\.count) == [5])
        #expect(BatchPlan.batches(Self.hosts(5), serial: [.count(2)]).map(\.count) == [2, 2, 1])
        #expect(BatchPlan.batches(Self.hosts(3), serial: [.count(10)]).map(\.count) == [3])
        #expect(BatchPlan.batches(Self.hosts(7), serial: [.count(1), .percent(50)]).map(\.count) == [1, 3, 3])
        #expect(BatchPlan.batches(Self.hosts(3), serial: [.count(1), .count(1), .count(1), .count(5)]).map(\.count) == [1, 1, 1])
        #expect(BatchPlan.batches(Self.hosts(4), serial: [.percent(10)]).map(\.count) == [1, 1, 1, 1])
        #expect(BatchPlan.batches([], serial: [.count(1)]).isEmpty)
    }

    /// The shipped playbook's join stage on the testbed's seven new members.
    @Test func haJoinSerialOnSevenHosts() throws {
        let playbook = try PlaybookParser.load(path: PlaybookParserTests.haJoinPath)
        #expect(BatchPlan.batches(Self.hosts(7), serial: try #require(playbook.stages.first { $0.name == "join" }).serial).map(\.count) == [1, 3, 3])
    }

    // MARK: Order

    let sample = ["web2", "db1", "web1", "lb1", "db2"]

    func order(_ hosts: [String], _ order: HostOrder, values: [String: String] = [:]) -> [String] {
        BatchPlan.ordered(hosts, by: order, value: { host, _ in values[host] }, shuffle: { $0.reversed() })
    }

    @Test func orders() {
        #expect(order(sample, .inventory) == sample)
        #expect(order(sample, .reverseInventory) == ["db2", "lb1", "web1", "db1", "web2"])
        #expect(order(sample, .sorted) == ["db1", "db2", "lb1", "web1", "web2"])
        #expect(order(sample, .reverseSorted) == ["web2", "web1", "lb1", "db2", "db1"])
        #expect(order(sample, .shuffled) == ["db2", "lb1", "web1", "db1", "web2"])
    }

    @Test func shuffleKeepsEveryHost() {
        let shuffled = BatchPlan.ordered(sample, by: .shuffled, value: { _, _ in nil })
        #expect(shuffled.sorted() == sample.sorted())
    }

    @Test func groupedKeepsFirstAppearanceOrder() {
        let datacenter = ["web2": "fra", "db1": "ber", "web1": "fra", "lb1": "ham", "db2": "ber"]
        #expect(order(sample, .grouped(by: "datacenter"), values: datacenter) == ["web2", "web1", "db1", "db2", "lb1"])
        var asked: Set<String> = []
        _ = BatchPlan.ordered(
            sample, by: .grouped(by: "datacenter"),
            value: { _, variable in
                asked.insert(variable)
                return nil
            })
        #expect(asked == ["datacenter"])
    }

    @Test func groupedPutsHostsWithoutTheVariableTogether() {
        let values = ["web2": "fra", "web1": "fra", "db2": "ber"]
        // db1 and lb1 have no value: they form one group, placed where db1 first appears.
        #expect(order(sample, .grouped(by: "dc"), values: values) == ["web2", "web1", "db1", "lb1", "db2"])
    }

    // MARK: When failures stop the rollout

    @Test func noFailuresNeverStop() {
        #expect(BatchPlan.stopReason(failed: 0, of: 5, maxFailPercentage: 0, onBatchFailure: .stop) == nil)
        #expect(BatchPlan.stopReason(failed: 0, of: 0, maxFailPercentage: nil, onBatchFailure: .stop) == nil)
    }

    @Test func wholeBatchFailed() {
        #expect(
            BatchPlan.stopReason(failed: 3, of: 3, maxFailPercentage: nil, onBatchFailure: .stop)
                == "every host of the batch failed (3 of 3)")
        #expect(BatchPlan.stopReason(failed: 1, of: 1, maxFailPercentage: nil, onBatchFailure: .stop) != nil)
        #expect(BatchPlan.stopReason(failed: 3, of: 3, maxFailPercentage: nil, onBatchFailure: .continue) == nil)
        // A threshold below 100% still stops a batch that failed entirely, even with continue.
        #expect(BatchPlan.stopReason(failed: 3, of: 3, maxFailPercentage: 50, onBatchFailure: .continue) != nil)
        #expect(BatchPlan.stopReason(failed: 3, of: 3, maxFailPercentage: 100, onBatchFailure: .continue) == nil)
    }

    /// As in Ansible, the threshold must be exceeded, not just reached.
    @Test func maxFailPercentage() {
        let over = BatchPlan.stopReason(failed: 2, of: 5, maxFailPercentage: 25, onBatchFailure: .continue)
        #expect(over == "2 of 5 hosts failed (40%, more than max_fail_percentage 25%)")
        #expect(BatchPlan.stopReason(failed: 1, of: 4, maxFailPercentage: 25, onBatchFailure: .stop) == nil)
        #expect(BatchPlan.stopReason(failed: 1, of: 5, maxFailPercentage: 25, onBatchFailure: .stop) == nil)
        #expect(BatchPlan.stopReason(failed: 1, of: 100, maxFailPercentage: 0, onBatchFailure: .stop) != nil)
        #expect(
            BatchPlan.stopReason(failed: 1, of: 8, maxFailPercentage: 12.5, onBatchFailure: .stop) == nil)
        #expect(
            BatchPlan.stopReason(failed: 2, of: 8, maxFailPercentage: 12.5, onBatchFailure: .stop)
                == "2 of 8 hosts failed (25%, more than max_fail_percentage 12.5%)")
    }

    @Test func withoutAThresholdFailedHostsDropOut() {
        #expect(BatchPlan.stopReason(failed: 4, of: 5, maxFailPercentage: nil, onBatchFailure: .stop) == nil)
        #expect(BatchPlan.stopReason(failed: 4, of: 5, maxFailPercentage: nil, onBatchFailure: .continue) == nil)
    }
}
