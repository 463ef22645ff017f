import Foundation
import GRDB
import MusterCore

/// What is known of a run before its first host is contacted.
public struct RunStart: Sendable {
    /// `run` or `check`.
    public var command: String
    public var playbook: String
    public var playbookSHA256: String
    public var inventorySHA256: String
    /// The options as the operator gave them, never a secret: `-e` contributes its keys only.
    public var options: [String: [String]]
    public var targets: [String]
    public var references: [String]
    public var checkMode: Bool
    public var started: Date
    public var pid: Int32

    public init(
        command: String, playbook: String, playbookSHA256: String, inventorySHA256: String, options: [String: [String]] = [:],
        targets: [String], references: [String] = [], checkMode: Bool = false, started: Date = Date(),
        pid: Int32 = ProcessInfo.processInfo.processIdentifier
    ) {
        self.command = command
        self.playbook = playbook
        self.playbookSHA256 = playbookSHA256
        self.inventorySHA256 = inventorySHA256
        self.options = options
        self.targets = targets
        self.references = references
        self.checkMode = checkMode
        self.started = started
        self.pid = pid
    }
}

/// How a run ended, as `muster runs` lists it.
public enum RunStatus: String, Sendable, Codable {
    case running, ok, failed, blocked, interrupted

    public init(_ result: RunResult) {
        switch result.stop {
        case .interrupted?: self = .interrupted
        case .preflightBlocked?: self = .blocked
        default: self = result.exitStatus == 0 ? .ok : .failed
        }
    }
}

extension StateStore {
    /// Records the run's row and its hosts (all pending); returns the run's id. Runs other
    /// processes left unfinished and that are gone are marked interrupted on the way.
    func insertRun(_ start: RunStart) throws -> Int64 {
        try queue.write { db in
            try markAbandonedRuns(db)
            let options = String(decoding: try JSONEncoder.sorted.encode(start.options), as: UTF8.self)
            try db.execute(
                sql: """
                    INSERT INTO runs (command, playbook, playbook_sha256, inventory_sha256, options, started, pid, pid_started,
                                      status, check_mode)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?)
                    """,
                arguments: [
                    start.command, start.playbook, start.playbookSHA256, start.inventorySHA256, options, start.started,
                    Int64(start.pid), ProcessLiveness.startTime(of: start.pid), start.checkMode,
                ])
            let id = db.lastInsertedRowID
            for (role, hosts) in [("target", start.targets), ("reference", start.references)] {
                for (position, host) in hosts.enumerated() {
                    try db.execute(
                        sql: "INSERT INTO run_hosts (run_id, host, position, role, state) VALUES (?, ?, ?, ?, 'pending')",
                        arguments: [id, host, position, role])
                }
            }
            return id
        }
    }

    /// Runs still "running" whose process is gone: say so once and for all.
    private func markAbandonedRuns(_ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT id, pid, pid_started FROM runs WHERE ended IS NULL AND status = 'running'")
        for row in rows where !ProcessLiveness.isAlive(pid: Int32(row["pid"] as Int64), started: row["pid_started"]) {
            try db.execute(
                sql: "UPDATE runs SET status = 'interrupted', stop_reason = ? WHERE id = ?",
                arguments: [ProcessLiveness.killedReason, row["id"] as Int64])
        }
    }

    /// Events the recorder queued, in one transaction: each finished task as it came, so a
    /// run killed later keeps it.
    func write(_ events: [RunEvent], run id: Int64) throws {
        try queue.write { db in
            for event in events {
                switch event {
                case .taskFinished(let host, let result):
                    try insert(result, host: host, run: id, db)
                    if (result.status == .failed && !result.ignored) || result.status == .unreachable {
                        try db.cachedStatement(
                            sql:
                                "UPDATE run_hosts SET state = ?, failure = ? WHERE run_id = ? AND role = 'target' AND host = ? AND state = 'pending'"
                        ).execute(arguments: [
                            result.status == .unreachable ? HostState.unreachable.rawValue : HostState.failed.rawValue,
                            "\(result.task): \(result.message)", id, host,
                        ])
                    }
                case .checksFinished(let host, let results, let reference):
                    try db.execute(
                        sql: "UPDATE run_hosts SET checks = ? WHERE run_id = ? AND role = ? AND host = ?",
                        arguments: [try StoredCheck.json(results), id, reference ? "reference" : "target", host])
                case .preflightFinished(let blocked, _):
                    for host in blocked {
                        try db.execute(
                            sql: "UPDATE run_hosts SET state = 'blocked' WHERE run_id = ? AND role = 'target' AND host = ?",
                            arguments: [id, host])
                    }
                case .batchFinished(let record):
                    try insert(record, run: id, db)
                default:
                    break
                }
            }
        }
    }

    /// The whole result at the end replaces what the events wrote: it is the engine's final
    /// word (hosts that never ran, the stop reason, every batch).
    func write(_ result: RunResult, run id: Int64, ended: Date = Date()) throws {
        try queue.write { db in
            let stop = try result.stop.map { String(decoding: try JSONEncoder.sorted.encode(StoredStop($0)), as: UTF8.self) }
            try db.execute(
                sql: """
                    UPDATE runs SET ended = ?, exit_status = ?, stop_reason = ?, stop = ?, status = ?, duration = ?, ignored_checks = ?
                    WHERE id = ?
                    """,
                arguments: [
                    ended, Int64(result.exitStatus), result.stop.map(StoredStop.reason), stop, RunStatus(result).rawValue,
                    result.duration.seconds, try JSONEncoder.strings(result.ignoredChecks), id,
                ])
            try db.execute(sql: "DELETE FROM run_hosts WHERE run_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM task_results WHERE run_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM batches WHERE run_id = ?", arguments: [id])
            for (role, hosts) in [("target", result.hosts), ("reference", result.references)] {
                for (position, host) in hosts.enumerated() {
                    try db.execute(
                        sql: "INSERT INTO run_hosts (run_id, host, position, role, state, failure, checks) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        arguments: [id, host.host, position, role, host.state.rawValue, host.failure, try StoredCheck.json(host.checks)])
                    for task in host.tasks { try insert(task, host: host.host, run: id, db) }
                }
            }
            for batch in result.batches { try insert(batch, run: id, db) }
        }
    }

    private func insert(_ result: TaskResult, host: String, run id: Int64, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO task_results (run_id, host, stage, stage_index, task_index, batch, task, status, ignored, message, started,
                                          duration, exit_status, stdout_tail, stderr_tail, transcript, copy_path)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            id, host, result.stage, result.stageIndex, result.taskIndex, result.batch, result.task, result.status.rawValue,
            result.ignored, result.message, result.started, result.duration.seconds, result.exitStatus,
            result.stdoutTail, result.stderrTail, result.transcript, result.copyPath,
        ])
    }

    private func insert(_ record: BatchRecord, run id: Int64, _ db: Database) throws {
        try db.cachedStatement(
            sql: "INSERT INTO batches (run_id, stage, number, hosts, failed, unhealthy, duration) VALUES (?, ?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [
            id, record.stage, record.number, try JSONEncoder.strings(record.hosts), try JSONEncoder.strings(record.failed),
            try JSONEncoder.strings(record.unhealthy), record.duration.seconds,
        ])
    }
}

/// A check result as stored (CheckResult itself is not Codable: MusterCore has no use for it).
struct StoredCheck: Codable {
    var name: String
    var kind: String
    var severity: String
    var status: String
    var message: String
    var ignored: Bool

    init(_ check: CheckResult) {
        name = check.name
        kind = check.kind.rawValue
        severity = check.severity.rawValue
        status = check.status.rawValue
        message = check.message
        ignored = check.ignored
    }

    var check: CheckResult? {
        guard let kind = CheckKind(rawValue: kind), let severity = CheckSeverity(rawValue: severity),
            let status = CheckResult.Status(rawValue: status)
        else { return nil }
        return CheckResult(name: name, kind: kind, severity: severity, status: status, message: message, ignored: ignored)
    }

    static func json(_ checks: [CheckResult]) throws -> String {
        String(decoding: try JSONEncoder.sorted.encode(checks.map(StoredCheck.init)), as: UTF8.self)
    }
}

/// RunStop as stored.
struct StoredStop: Codable {
    var kind: String
    var stage: String?
    var batch: Int?
    var reason: String?

    init(_ stop: RunStop) {
        switch stop {
        case .preflightBlocked: kind = "preflight-blocked"
        case .interrupted: kind = "interrupted"
        case .batchFailed(let stage, let batch, let reason):
            (kind, self.stage, self.batch, self.reason) = ("batch-failed", stage, batch, reason)
        case .declined(let stage, let batch): (kind, self.stage, self.batch) = ("declined", stage, batch)
        }
    }

    var stop: RunStop? {
        switch kind {
        case "preflight-blocked": return .preflightBlocked
        case "interrupted": return .interrupted
        case "batch-failed": return .batchFailed(stage: stage ?? "", batch: batch ?? 0, reason: reason ?? "")
        case "declined": return .declined(stage: stage ?? "", batch: batch ?? 0)
        default: return nil
        }
    }

    /// One line, as the recap words it.
    static func reason(_ stop: RunStop) -> String {
        switch stop {
        case .preflightBlocked: return "preflight blocked the rollout"
        case .batchFailed(let stage, let batch, let reason): return "stopped after \(stage) batch \(batch): \(reason)"
        case .interrupted: return "interrupted"
        case .declined(let stage, let batch): return "\(stage) batch \(batch) not confirmed"
        }
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func strings(_ values: [String]) throws -> String {
        String(decoding: try sorted.encode(values), as: UTF8.self)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
