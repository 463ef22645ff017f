import Foundation
import GRDB
import MusterCore

/// The run history: one SQLite file (WAL mode), by default
/// `$XDG_STATE_HOME/muster/muster.db`. Every `muster run` and `muster check` is
/// recorded in it as it goes (`RunRecorder`), so `muster runs` and `muster show` can
/// tell what happened later, even to a run that was killed.
public final class StateStore: Sendable {
    public let path: String
    let queue: DatabaseQueue

    /// `$XDG_STATE_HOME/muster/muster.db`, or `~/.local/state/muster/muster.db` without it
    /// (the XDG base directory default).
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base =
            environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return base + "/muster/muster.db"
    }

    /// Opens (creating if need be) the database at `path` and brings its schema up to date.
    /// New directories are made 0700 and a new file 0600: outputs and options of past runs
    /// are nobody else's business. SQLite gives the -wal and -shm files the database's mode.
    public init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StateError("cannot create the state directory \(directory): \(error.localizedDescription)")
            }
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StateError("cannot open the state database \(path): \(String(cString: strerror(errno)))") }
        close(fd)
        var configuration = Configuration()
        // `muster runs` while a run records: wait for the writer rather than fail.
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // WAL: readers never block the recorder, and a killed writer leaves the last
            // committed transaction intact. NORMAL sync is durable enough for a history.
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrate(queue)
        } catch {
            throw StateError("cannot use the state database \(path): \(error)")
        }
    }

    /// Two processes opening a new file at once (a run starting while `muster runs` reads)
    /// race in GRDB's migrator: both see no migration applied, and the loser's CREATE TABLE
    /// fails on the winner's committed table. The migration and its record commit together,
    /// so trying again finds it applied.
    private static func migrate(_ queue: DatabaseQueue) throws {
        var attempt = 0
        while true {
            do {
                try migrator.migrate(queue)
                return
            } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR && attempt < 3 {
                attempt += 1
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// "ok" when SQLite finds the file consistent.
    public func integrityCheck() throws -> String {
        try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n") }
    }

    /// The schema, one migration per change; GRDB records which ran, so opening twice
    /// (or an old file with a newer muster) is safe.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "runs") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("command", .text).notNull()  // run, check
                t.column("playbook", .text).notNull()  // absolute path
                t.column("playbook_sha256", .text).notNull()
                t.column("inventory_sha256", .text).notNull()
                t.column("options", .text).notNull()  // JSON object; -e gives only its keys
                t.column("started", .datetime).notNull()
                t.column("ended", .datetime)  // NULL while running (or killed)
                t.column("pid", .integer).notNull()
                t.column("pid_started", .integer)  // the process's start time (Linux), against pid reuse
                t.column("exit_status", .integer)
                t.column("stop_reason", .text)  // as the recap says it
                t.column("stop", .text)  // JSON, to rebuild RunStop
                t.column("status", .text).notNull()  // running, ok, failed, blocked, interrupted
                t.column("check_mode", .boolean).notNull().defaults(to: false)
                t.column("duration", .double)
                t.column("ignored_checks", .text).notNull().defaults(to: "[]")
            }
            try db.create(table: "run_hosts") { t in
                t.column("run_id", .integer).notNull().references("runs", onDelete: .cascade)
                t.column("host", .text).notNull()
                t.column("position", .integer).notNull()
                t.column("role", .text).notNull()  // target, reference
                t.column("state", .text).notNull()  // pending, then a HostState
                t.column("failure", .text)
                t.column("checks", .text).notNull().defaults(to: "[]")  // JSON
                t.primaryKey(["run_id", "role", "host"])
            }
            try db.create(table: "task_results") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("run_id", .integer).notNull().references("runs", onDelete: .cascade)
                t.column("host", .text).notNull()
                t.column("stage", .text).notNull()
                t.column("stage_index", .integer)
                t.column("task_index", .integer)
                t.column("batch", .integer).notNull()
                t.column("task", .text).notNull()
                t.column("status", .text).notNull()
                t.column("ignored", .boolean).notNull().defaults(to: false)
                t.column("message", .text).notNull()
                t.column("started", .datetime).notNull()
                t.column("duration", .double).notNull()
                t.column("exit_status", .integer)
                t.column("stdout_tail", .text).notNull()
                t.column("stderr_tail", .text).notNull()
                t.column("transcript", .text)
            }
            try db.create(index: "task_results_by_run_host", on: "task_results", columns: ["run_id", "host"])
            try db.create(table: "batches") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("run_id", .integer).notNull().references("runs", onDelete: .cascade)
                t.column("stage", .text).notNull()
                t.column("number", .integer).notNull()
                t.column("hosts", .text).notNull()  // JSON arrays
                t.column("failed", .text).notNull()
                t.column("unhealthy", .text).notNull()
                t.column("duration", .double).notNull()
            }
            try db.create(index: "batches_by_run", on: "batches", columns: ["run_id"])
            // Facts gathered from hosts (`muster facts`, later); a run may or may not own them.
            try db.create(table: "facts") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("run_id", .integer).references("runs", onDelete: .setNull)
                t.column("host", .text).notNull()
                t.column("json", .text).notNull()
                t.column("time", .datetime).notNull()
            }
            try db.create(index: "facts_by_host", on: "facts", columns: ["host", "time"])
        }
        // A copy's way to the host (direct, through a relay, unchanged): `distribute`.
        migrator.registerMigration("v2-copy-path") { db in
            try db.alter(table: "task_results") { t in t.add(column: "copy_path", .text) }
        }
        return migrator
    }
}

/// The state database cannot be used, or names no such run.
public struct StateError: BadInput, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
