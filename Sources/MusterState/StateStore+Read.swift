import Foundation
import GRDB
import MusterCore

/// One line of `muster runs`.
public struct RunSummary: Sendable {
    public var id: Int64
    public var command: String
    public var playbook: String
    public var playbookSHA256: String
    public var inventorySHA256: String
    public var options: [String: [String]]
    public var started: Date
    public var ended: Date?
    public var exitStatus: Int32?
    public var stopReason: String?
    /// As recorded, except that a run whose process is gone without finishing is `interrupted`.
    public var status: RunStatus
    /// Target hosts by state (`pending` for hosts a killed run never finished).
    public var hostStates: [String: Int]

    public var hosts: Int { hostStates.values.reduce(0, +) }
    public func hosts(_ state: HostState) -> Int { hostStates[state.rawValue] ?? 0 }
}

/// A past run, rebuilt as the engine returned it (or as far as it got).
public struct StoredRun: Sendable {
    public var summary: RunSummary
    public var result: RunResult
}

extension StateStore {
    /// The newest runs first.
    public func runs(limit: Int = 20) throws -> [RunSummary] {
        try queue.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY id DESC LIMIT ?", arguments: [limit])
            return try rows.map { try summary($0, db) }
        }
    }

    /// The newest `command` run of the playbook at `playbook` (an absolute path), if any.
    public func latestRun(playbook: String, command: String = "run") throws -> StoredRun? {
        let id: Int64? = try queue.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT id FROM runs WHERE playbook = ? AND command = ? ORDER BY id DESC LIMIT 1", arguments: [playbook, command])
        }
        return try id.map { try run(String($0)) }
    }

    /// `reference` is a run id or `last`.
    public func run(_ reference: String) throws -> StoredRun {
        try queue.read { db in
            let row: Row?
            if reference == "last" {
                row = try Row.fetchOne(db, sql: "SELECT * FROM runs ORDER BY id DESC LIMIT 1")
            } else if let id = Int64(reference) {
                row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id])
            } else {
                throw StateError("'\(reference)' is not a run: give a run id (see muster runs) or 'last'")
            }
            guard let row else {
                throw StateError(reference == "last" ? "\(path) holds no run yet" : "\(path) holds no run \(reference) (see muster runs)")
            }
            let summary = try summary(row, db)
            return StoredRun(summary: summary, result: try result(summary, row: row, db))
        }
    }

    private func summary(_ row: Row, _ db: Database) throws -> RunSummary {
        let id: Int64 = row["id"]
        var status = RunStatus(rawValue: row["status"]) ?? .failed
        var stopReason: String? = row["stop_reason"]
        let ended: Date? = row["ended"]
        if ended == nil, status == .running, !ProcessLiveness.isAlive(pid: Int32(row["pid"] as Int64), started: row["pid_started"]) {
            status = .interrupted
            stopReason = ProcessLiveness.killedReason
        }
        var states: [String: Int] = [:]
        for state in try Row.fetchAll(
            db, sql: "SELECT state, COUNT(*) AS n FROM run_hosts WHERE run_id = ? AND role = 'target' GROUP BY state", arguments: [id])
        {
            states[state["state"]] = state["n"]
        }
        let options = (row["options"] as String?).flatMap { try? JSONDecoder().decode([String: [String]].self, from: Data($0.utf8)) }
        return RunSummary(
            id: id, command: row["command"], playbook: row["playbook"], playbookSHA256: row["playbook_sha256"],
            inventorySHA256: row["inventory_sha256"], options: options ?? [:], started: row["started"], ended: ended,
            exitStatus: (row["exit_status"] as Int64?).map { Int32($0) }, stopReason: stopReason, status: status, hostStates: states)
    }

    private func result(_ summary: RunSummary, row: Row, _ db: Database) throws -> RunResult {
        let id = summary.id
        var tasks: [String: [TaskResult]] = [:]
        for task in try Row.fetchAll(db, sql: "SELECT * FROM task_results WHERE run_id = ? ORDER BY id", arguments: [id]) {
            var result = TaskResult(
                task: task["task"], stage: task["stage"], batch: task["batch"],
                status: TaskStatus(rawValue: task["status"]) ?? .failed, message: task["message"], started: task["started"],
                duration: .seconds(task["duration"] as Double), exitStatus: (task["exit_status"] as Int64?).map { Int32($0) },
                stdoutTail: task["stdout_tail"], stderrTail: task["stderr_tail"], ignored: task["ignored"])
            result.transcript = task["transcript"]
            result.stageIndex = task["stage_index"]
            result.taskIndex = task["task_index"]
            result.copyPath = task["copy_path"]
            tasks[task["host"], default: []].append(result)
        }
        let finished = summary.ended != nil
        var targets: [HostRun] = []
        var references: [HostRun] = []
        for hostRow in try Row.fetchAll(db, sql: "SELECT * FROM run_hosts WHERE run_id = ? ORDER BY role, position", arguments: [id]) {
            var host = HostRun(host: hostRow["host"])
            host.checks =
                ((hostRow["checks"] as String?).flatMap { try? JSONDecoder().decode([StoredCheck].self, from: Data($0.utf8)) } ?? [])
                .compactMap(\.check)
            host.failure = hostRow["failure"]
            if let state = HostState(rawValue: hostRow["state"]) {
                host.state = state
            } else {
                // Still pending: the run ended before this host's work was done.
                host.state = .notRun
                host.failure = finished ? "never finished" : "the run was cut off before this host's work was done"
            }
            if hostRow["role"] == "reference" {
                references.append(host)
            } else {
                host.tasks = tasks[host.host] ?? []
                targets.append(host)
            }
        }
        let batches = try Row.fetchAll(db, sql: "SELECT * FROM batches WHERE run_id = ? ORDER BY id", arguments: [id]).map { batch in
            BatchRecord(
                stage: batch["stage"], number: batch["number"], hosts: Self.strings(batch["hosts"]), failed: Self.strings(batch["failed"]),
                unhealthy: Self.strings(batch["unhealthy"]), duration: .seconds(batch["duration"] as Double))
        }
        var stop = (row["stop"] as String?).flatMap { try? JSONDecoder().decode(StoredStop.self, from: Data($0.utf8)) }?.stop
        let duration: Duration
        if let seconds = row["duration"] as Double? {
            duration = .seconds(seconds)
        } else {
            // Cut off: as long as it is known to have gone on (the last task that finished).
            let last = tasks.values.joined().map { $0.started.addingTimeInterval($0.duration.seconds) }.max() ?? summary.started
            duration = .seconds(max(0, last.timeIntervalSince(summary.started)))
            if summary.status == .interrupted { stop = .interrupted }
        }
        return RunResult(
            playbook: summary.playbook, hosts: targets, references: references, batches: batches,
            ignoredChecks: Self.strings(row["ignored_checks"]), stop: stop, checkMode: row["check_mode"], duration: duration)
    }

    private static func strings(_ json: String?) -> [String] {
        json.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
    }
}
