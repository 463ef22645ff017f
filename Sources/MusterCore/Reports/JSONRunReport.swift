import Foundation

/// The JSON report, schema `muster.run/1` (docs/report-schema.md). Field names are
/// snake_case like `--format json`. Built only from `RunResult`, which holds no
/// variables and only masked output, so no secret can reach the file.
struct JSONRunReport: Encodable {
    static let schemaID = "muster.run/1"

    struct Stop: Encodable {
        let reason: String
        let stage: String?
        let batch: Int?
        let message: String?
    }

    struct Summary: Encodable {
        let hosts: Int, ok: Int, failed: Int, unreachable: Int, blocked: Int, not_run: Int
    }

    struct Counts: Encodable {
        let ok: Int, changed: Int, failed: Int, unreachable: Int, skipped: Int, ignored: Int
    }

    struct Check: Encodable {
        let name: String, kind: String, severity: String, status: String, message: String, ignored: Bool
    }

    struct Task: Encodable {
        let task: String, stage: String, batch: Int, status: String, message: String, ignored: Bool
        let started: String, duration_s: Double, exit_status: Int32?
        let stdout_tail: String, stderr_tail: String, transcript: String?
        let copy_path: String?
    }

    struct Host: Encodable {
        let host: String, state: String, failure: String?, counts: Counts, checks: [Check], tasks: [Task]
    }

    struct Batch: Encodable {
        let stage: String, number: Int, hosts: [String], failed: [String], unhealthy: [String], duration_s: Double
    }

    let schema = schemaID
    let command: String
    let playbook: String?
    let started: String
    let duration_s: Double
    let exit_status: Int32
    let check_mode: Bool
    let stop: Stop?
    let ignored_checks: [String]
    let summary: Summary
    let hosts: [Host]
    let references: [Host]
    let batches: [Batch]

    init(_ report: RunReport) {
        let result = report.result
        command = report.command
        playbook = result.playbook.isEmpty ? nil : result.playbook
        started = Self.timestamp(report.started)
        duration_s = Self.seconds(result.duration)
        exit_status = result.exitStatus
        check_mode = result.checkMode
        stop = result.stop.map(Self.stop)
        ignored_checks = result.ignoredChecks
        let states = result.hosts.map(\.state)
        summary = Summary(
            hosts: states.count, ok: states.filter { $0 == .ok }.count, failed: states.filter { $0 == .failed }.count,
            unreachable: states.filter { $0 == .unreachable }.count, blocked: states.filter { $0 == .blocked }.count,
            not_run: states.filter { $0 == .notRun }.count)
        hosts = result.hosts.map(Self.host)
        references = result.references.map(Self.host)
        batches = result.batches.map {
            Batch(
                stage: $0.stage, number: $0.number, hosts: $0.hosts, failed: $0.failed, unhealthy: $0.unhealthy,
                duration_s: Self.seconds($0.duration))
        }
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    private static func host(_ run: HostRun) -> Host {
        Host(
            host: run.host, state: run.state.rawValue, failure: run.failure,
            counts: Counts(
                ok: run.count(.ok), changed: run.count(.changed), failed: run.count(.failed),
                unreachable: run.count(.unreachable), skipped: run.count(.skipped), ignored: run.tasks.filter(\.ignored).count),
            checks: run.checks.map {
                Check(
                    name: $0.name, kind: $0.kind.rawValue, severity: $0.severity.rawValue, status: $0.status.rawValue, message: $0.message,
                    ignored: $0.ignored)
            },
            tasks: run.tasks.map {
                Task(
                    task: $0.task, stage: $0.stage, batch: $0.batch, status: $0.status.rawValue, message: $0.message, ignored: $0.ignored,
                    started: timestamp($0.started), duration_s: seconds($0.duration), exit_status: $0.exitStatus,
                    stdout_tail: $0.stdoutTail, stderr_tail: $0.stderrTail, transcript: $0.transcript, copy_path: $0.copyPath)
            })
    }

    private static func stop(_ stop: RunStop) -> Stop {
        switch stop {
        case .preflightBlocked: Stop(reason: "preflight-blocked", stage: nil, batch: nil, message: nil)
        case .batchFailed(let stage, let batch, let reason): Stop(reason: "batch-failed", stage: stage, batch: batch, message: reason)
        case .interrupted: Stop(reason: "interrupted", stage: nil, batch: nil, message: nil)
        case .declined(let stage, let batch): Stop(reason: "declined", stage: stage, batch: batch, message: nil)
        }
    }

    static func seconds(_ duration: Duration) -> Double { (duration.seconds * 1000).rounded() / 1000 }

    /// RFC 3339 in UTC with milliseconds: sorts as text, parses everywhere.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
