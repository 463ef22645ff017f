import Foundation

/// `muster report --drift`: what changed on each host between two gatherings.
public enum FactsDrift {
    public struct Change: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var what: String

        public var description: String { "\(host): \(what)" }
    }

    /// Limits for changes that matter even when nothing was "changed".
    public struct Limits: Sendable {
        public var clockSeconds: Double = 60
        public var diskFreeMB: Int = 1024

        public init() {}
    }

    /// Compares each host's facts with its previous gathering: versions, services, OS and
    /// kernel changes, clock drift over the limit, free disk falling under the limit, and
    /// hosts that answered before but are gone or unreachable now.
    public static func changes(from previous: [FleetFacts], to current: [FleetFacts], limits: Limits = Limits()) -> [Change] {
        let before = Dictionary(previous.map { ($0.host, $0) }, uniquingKeysWith: { $1 })
        let now = Dictionary(current.map { ($0.host, $0) }, uniquingKeysWith: { $1 })
        var changes: [Change] = []
        for old in previous.sorted(by: { $0.host < $1.host }) where now[old.host] == nil {
            changes.append(Change(host: old.host, what: "gone: no longer in the inventory's facts"))
        }
        for new in current.sorted(by: { $0.host < $1.host }) {
            guard let old = before[new.host] else {
                changes.append(Change(host: new.host, what: "new host"))
                continue
            }
            if let reason = new.unreachable {
                if old.unreachable == nil { changes.append(Change(host: new.host, what: "disappeared: \(reason)")) }
                continue
            }
            if old.unreachable != nil { changes.append(Change(host: new.host, what: "reachable again")) }
            func compare(_ name: String, _ from: String?, _ to: String?) {
                if from != to { changes.append(Change(host: new.host, what: "\(name) \(from ?? "none") -> \(to ?? "none")")) }
            }
            compare("UMS version", old.umsVersion, new.umsVersion)
            compare("OS", old.os, new.os)
            compare("kernel", old.kernel, new.kernel)
            for service in Set(old.services.keys).union(new.services.keys).sorted() {
                compare(service, old.services[service], new.services[service])
            }
            if let offset = new.clockOffset, abs(offset) > limits.clockSeconds {
                changes.append(
                    Change(
                        host: new.host, what: String(format: "clock %+.1f s off the controller (limit %g s)", offset, limits.clockSeconds)))
            }
            for (path, free) in new.diskFreeMB.sorted(by: { $0.key < $1.key }) where free < limits.diskFreeMB {
                if (old.diskFreeMB[path] ?? Int.max) >= limits.diskFreeMB {
                    changes.append(Change(host: new.host, what: "free disk at \(path) fell to \(free) MB (limit \(limits.diskFreeMB) MB)"))
                }
            }
        }
        return changes
    }
}

extension FactsDrift {
    /// One stored gathering of one host.
    public struct Gathering: Sendable, Hashable {
        /// The stored record's id: the same id twice is the same gathering.
        public var id: Int64
        /// The `muster facts` run it came from, if that run is still recorded.
        public var run: Int64?
        public var facts: FleetFacts

        public init(id: Int64, run: Int64?, facts: FleetFacts) {
            self.id = id
            self.run = run
            self.facts = facts
        }
    }

    /// A host's latest gathering and the one it is compared with.
    public struct Comparison: Sendable {
        public var host: String
        public var latest: Gathering?
        public var baseline: Gathering?

        public init(host: String, latest: Gathering?, baseline: Gathering?) {
            self.host = host
            self.latest = latest
            self.baseline = baseline
        }
    }

    /// `muster report --drift`: per host, the changes between two gatherings.
    public struct Report: Sendable {
        public struct Host: Sendable {
            public var host: String
            public var from: Gathering?
            public var to: Gathering
            public var changes: [String]
        }

        /// What the latest facts are compared with, in words (`the previous gathering`, `run 3`, a date).
        public var since: String
        public var limits: Limits
        /// Hosts with a latest gathering, compared, in the order given.
        public var hosts: [Host]
        /// Hosts whose latest gathering is the baseline itself: nothing newer to compare.
        public var notGatheredSince: [String]
        /// Hosts never gathered.
        public var noFacts: [String]
        /// Hosts gathered once and nothing earlier to compare with: set only when no host
        /// has an earlier gathering (otherwise such a host is a "new host" change).
        public var firstGathering: [String] = []

        public init(_ comparisons: [Comparison], since: String, limits: Limits) {
            self.since = since
            self.limits = limits
            hosts = []
            notGatheredSince = []
            noFacts = []
            for comparison in comparisons {
                guard let latest = comparison.latest else {
                    noFacts.append(comparison.host)
                    continue
                }
                if let baseline = comparison.baseline, baseline.id == latest.id {
                    notGatheredSince.append(comparison.host)
                    continue
                }
                let changes = FactsDrift.changes(
                    from: comparison.baseline.map { [$0.facts] } ?? [], to: [latest.facts], limits: limits)
                hosts.append(Host(host: comparison.host, from: comparison.baseline, to: latest, changes: changes.map(\.what)))
            }
            if !hosts.isEmpty, hosts.allSatisfy({ $0.from == nil }) {
                // A single gathering so far: nothing is new, there is just nothing before it.
                firstGathering = hosts.map(\.host)
                hosts = []
            }
        }

        public var changeCount: Int { hosts.reduce(0) { $0 + $1.changes.count } }

        /// One line per change, under a line naming the host and the two gatherings; or `no drift`.
        public func table() -> String {
            var lines = ["drift since \(since) (clock limit \(Self.number(limits.clockSeconds)) s, disk limit \(limits.diskFreeMB) MB)"]
            for host in hosts where !host.changes.isEmpty {
                lines.append("\(host.host): \(Self.describe(host.from)) -> \(Self.describe(host.to))")
                for change in host.changes { lines.append("  \(change)") }
            }
            if changeCount == 0 {
                lines.append("no drift" + (hosts.isEmpty ? "" : " on \(hosts.count) host\(hosts.count == 1 ? "" : "s")"))
            }
            if !firstGathering.isEmpty {
                lines.append("no earlier gathering to compare with: \(NodeSet.fold(firstGathering))")
            }
            if !notGatheredSince.isEmpty { lines.append("not gathered since \(since): \(NodeSet.fold(notGatheredSince))") }
            if !noFacts.isEmpty { lines.append("no facts yet: \(NodeSet.fold(noFacts))") }
            return lines.joined(separator: "\n") + "\n"
        }

        /// One row per change: host, from, to, change.
        public func csv() -> String {
            var rows = [["host", "from_run", "from", "to_run", "to", "change"]]
            for host in hosts {
                for change in host.changes {
                    rows.append([
                        host.host, host.from?.run.map(String.init) ?? "", host.from.map { Self.iso($0.facts.gatheredAt) } ?? "",
                        host.to.run.map(String.init) ?? "", Self.iso(host.to.facts.gatheredAt), change,
                    ])
                }
            }
            return rows.map { $0.map(FactsReport.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        }

        public func json() throws -> String {
            struct GatheringDocument: Encodable {
                let run: Int64?
                let gathered: String
            }
            struct HostDocument: Encodable {
                let host: String
                let from: GatheringDocument?
                let to: GatheringDocument
                let changes: [String]
            }
            struct Document: Encodable {
                let schema = "muster.facts-drift/1"
                let since: String
                let clock_limit_s: Double
                let disk_limit_mb: Int
                let drift: Bool
                let hosts: [HostDocument]
                let not_gathered_since: [String]
                let no_earlier_gathering: [String]
                let no_facts: [String]
            }
            func gathering(_ gathering: Gathering) -> GatheringDocument {
                GatheringDocument(run: gathering.run, gathered: Self.iso(gathering.facts.gatheredAt))
            }
            let document = Document(
                since: since, clock_limit_s: limits.clockSeconds, disk_limit_mb: limits.diskFreeMB, drift: changeCount > 0,
                hosts: hosts.map { HostDocument(host: $0.host, from: $0.from.map(gathering), to: gathering($0.to), changes: $0.changes) },
                not_gathered_since: notGatheredSince, no_earlier_gathering: firstGathering, no_facts: noFacts)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
        }

        static func describe(_ gathering: Gathering?) -> String {
            guard let gathering else { return "(none)" }
            let time = iso(gathering.facts.gatheredAt)
            return gathering.run.map { "run \($0) (\(time))" } ?? time
        }

        static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

        static func number(_ value: Double) -> String { String(format: "%g", value) }
    }
}
