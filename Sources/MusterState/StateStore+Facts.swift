import Foundation
import GRDB
import MusterCore

/// One host's facts as stored, with the gathering (a `facts` run) they came from.
public struct StoredFacts: Sendable, Hashable {
    /// The `facts` row: later gatherings have larger ids.
    public var id: Int64
    /// The `muster facts` run; nil if that run was deleted since.
    public var runID: Int64?
    public var facts: FleetFacts
}

/// What `muster report --drift` compares each host's latest facts with.
public enum FactsBaseline: Sendable, Hashable, CustomStringConvertible {
    /// The host's gathering before its latest one.
    case previous
    /// The host's last gathering in this `facts` run or an earlier one.
    case run(Int64)
    /// The host's last gathering at or before this moment.
    case date(Date)

    /// `--since`: a run id (digits), an ISO 8601 date (`2025-03-01`, the start of that day
    /// here) or date-time (`2025-03-01T14:30:00Z`, `…+01:00`, or without a zone: local time).
    public static func parse(_ text: String, timeZone: TimeZone = .current) throws -> FactsBaseline {
        let text = text.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let id = Int64(text) { return .run(id) }
        let zoned = ISO8601DateFormatter()
        zoned.formatOptions = [.withInternetDateTime]
        if let date = zoned.date(from: text) { return .date(date) }
        zoned.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = zoned.date(from: text) { return .date(date) }
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.timeZone = timeZone
        for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"] {
            local.dateFormat = format
            if let date = local.date(from: text) { return .date(date) }
        }
        throw StateError(
            "--since '\(text)' is neither a facts run id (see muster runs) nor an ISO 8601 date or date-time "
                + "(2025-03-01, 2025-03-01T14:30:00Z, 2025-03-01T14:30+01:00)")
    }

    public var description: String {
        switch self {
        case .previous: "the previous gathering"
        case .run(let id): "run \(id)"
        case .date(let date): ISO8601DateFormatter().string(from: date)
        }
    }
}

/// A host's latest facts and what they are compared with.
public struct FactsComparison: Sendable {
    public var host: String
    /// Nil when the host was never gathered.
    public var latest: StoredFacts?
    /// Nil when there is no gathering of the host to compare with.
    public var baseline: StoredFacts?
}

extension StateStore {
    /// Records one `muster facts` gathering, after it is over (nothing here is on the SSH
    /// path): a `runs` row with command `facts` (status ok when every host answered, failed
    /// otherwise), the hosts, and one `facts` row per host. Returns the run's id.
    @discardableResult
    public func recordFacts(_ facts: [FleetFacts], start: RunStart, ended: Date = Date()) throws -> Int64 {
        let encoder = Self.factsEncoder
        let reachable = facts.allSatisfy { $0.unreachable == nil }
        return try queue.write { db in
            let options = String(decoding: try JSONEncoder.sorted.encode(start.options), as: UTF8.self)
            try db.execute(
                sql: """
                    INSERT INTO runs (command, playbook, playbook_sha256, inventory_sha256, options, started, ended, pid, pid_started,
                                      exit_status, status, duration)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    start.command, start.playbook, start.playbookSHA256, start.inventorySHA256, options, start.started, ended,
                    Int64(start.pid), ProcessLiveness.startTime(of: start.pid), reachable ? 0 : 1,
                    (reachable ? RunStatus.ok : RunStatus.failed).rawValue, max(0, ended.timeIntervalSince(start.started)),
                ])
            let id = db.lastInsertedRowID
            for (position, record) in facts.enumerated() {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO run_hosts (run_id, host, position, role, state, failure) VALUES (?, ?, ?, 'target', ?, ?)",
                    arguments: [
                        id, record.host, position, (record.unreachable == nil ? HostState.ok : HostState.unreachable).rawValue,
                        record.unreachable,
                    ])
                try db.execute(
                    sql: "INSERT INTO facts (run_id, host, json, time) VALUES (?, ?, ?, ?)",
                    arguments: [id, record.host, String(decoding: try encoder.encode(record), as: UTF8.self), record.gatheredAt])
            }
            return id
        }
    }

    /// Each host's latest stored facts; hosts never gathered are left out.
    public func latestFacts(for hosts: [String]) throws -> [String: StoredFacts] {
        try queue.read { db in
            var latest: [String: StoredFacts] = [:]
            for host in Set(hosts) {
                if let row = try Row.fetchOne(db, sql: "SELECT * FROM facts WHERE host = ? ORDER BY id DESC LIMIT 1", arguments: [host]) {
                    latest[host] = try Self.storedFacts(row)
                }
            }
            return latest
        }
    }

    /// For each host, in the order given: its latest facts and its gathering before them
    /// (`.previous`), or its last gathering in run `RUN` or before, or at or before a date.
    /// A run that is not a `facts` run, or a date before every gathering, is bad input.
    public func factsComparisons(for hosts: [String], since baseline: FactsBaseline) throws -> [FactsComparison] {
        try queue.read { db in
            switch baseline {
            case .previous: break
            case .run(let id):
                guard let command = try String.fetchOne(db, sql: "SELECT command FROM runs WHERE id = ?", arguments: [id]) else {
                    throw StateError("\(path) holds no run \(id) (see muster runs)")
                }
                guard command == "facts" else {
                    throw StateError("run \(id) is a '\(command)' run, not a facts gathering (see muster runs)")
                }
            case .date(let date):
                if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM facts WHERE time <= ?", arguments: [date]) == 0 {
                    let first = try Date.fetchOne(db, sql: "SELECT MIN(time) FROM facts")
                    throw StateError(
                        "no facts were gathered at or before \(baseline)"
                            + (first.map { " (the first gathering is from \(ISO8601DateFormatter().string(from: $0)))" } ?? ""))
                }
            }
            return try hosts.map { host in
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM facts WHERE host = ? ORDER BY id DESC LIMIT 1", arguments: [host])
                else { return FactsComparison(host: host) }
                let latest = try Self.storedFacts(row)
                let before: Row?
                switch baseline {
                case .previous:
                    before = try Row.fetchOne(
                        db, sql: "SELECT * FROM facts WHERE host = ? AND id < ? ORDER BY id DESC LIMIT 1", arguments: [host, latest.id])
                case .run(let id):
                    before = try Row.fetchOne(
                        db, sql: "SELECT * FROM facts WHERE host = ? AND run_id <= ? ORDER BY id DESC LIMIT 1", arguments: [host, id])
                case .date(let date):
                    before = try Row.fetchOne(
                        db, sql: "SELECT * FROM facts WHERE host = ? AND time <= ? ORDER BY time DESC, id DESC LIMIT 1",
                        arguments: [host, date])
                }
                return FactsComparison(host: host, latest: latest, baseline: try before.map(Self.storedFacts))
            }
        }
    }

    private static func storedFacts(_ row: Row) throws -> StoredFacts {
        let json: String = row["json"]
        return StoredFacts(id: row["id"], runID: row["run_id"], facts: try factsDecoder.decode(FleetFacts.self, from: Data(json.utf8)))
    }

    /// Dates to the millisecond, as ISO 8601 text: the JSON stays readable with sqlite3.
    static var factsEncoder: JSONEncoder {
        let encoder = JSONEncoder.sorted
        encoder.dateEncodingStrategy = .custom { date, encoder in
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            var container = encoder.singleValueContainer()
            try container.encode(formatter.string(from: date))
        }
        return encoder
    }

    static var factsDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let date = formatter.date(from: text) { return date }
            formatter.formatOptions = [.withInternetDateTime]
            if let date = formatter.date(from: text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 date: \(text)")
        }
        return decoder
    }
}

extension StateStore {
    /// `muster report`: the latest facts of each selected host, grouped by fact fields or
    /// the hosts' inventory variables (as text); hosts never gathered are named apart.
    public func factsReport(for hosts: [InventoryHost], groupBy keys: [String]) throws -> FactsReport {
        let latest = try latestFacts(for: hosts.map(\.name))
        let vars = Dictionary(hosts.map { ($0.name, $0.vars) }, uniquingKeysWith: { first, _ in first })
        return FactsReport(
            hosts.compactMap { latest[$0.name]?.facts }, groupBy: keys, noFacts: hosts.map(\.name).filter { latest[$0] == nil },
            variable: { host, name in vars[host]?[name]?.description })
    }

    /// `muster report --drift`: per selected host, what changed since `baseline`.
    public func driftReport(for hosts: [String], since baseline: FactsBaseline, limits: FactsDrift.Limits = .init()) throws
        -> FactsDrift.Report
    {
        let comparisons = try factsComparisons(for: hosts, since: baseline).map { comparison in
            FactsDrift.Comparison(
                host: comparison.host, latest: comparison.latest.map(FactsDrift.Gathering.init),
                baseline: comparison.baseline.map(FactsDrift.Gathering.init))
        }
        return FactsDrift.Report(comparisons, since: baseline.description, limits: limits)
    }
}

extension FactsDrift.Gathering {
    init(_ stored: StoredFacts) { self.init(id: stored.id, run: stored.runID, facts: stored.facts) }
}
