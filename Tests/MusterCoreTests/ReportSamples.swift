import Foundation
import MusterCore

/// A run with every kind of outcome, built by hand: the reports' test input.
enum ReportSamples {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    /// Output that would break naive XML, HTML or CSV writers.
    static let hostileOutput = "line one\n\u{1B}[31mred\u{1B}[0m ]]> <&> \"quoted\", 'single'\u{0}\u{7}\n"
    static let failure = "exit status 2: cannot open </opt/x> & ]]>, \"really\"\nsecond line"

    static func task(
        _ name: String, _ stage: String, batch: Int, _ status: TaskStatus, at offset: Double, for seconds: Double,
        message: String = "", exit: Int32? = nil, stdout: String = "", stderr: String = ""
    ) -> TaskResult {
        TaskResult(
            task: name, stage: stage, batch: batch, status: status, message: message, started: start.addingTimeInterval(offset),
            duration: .milliseconds(Int(seconds * 1000)), exitStatus: exit, stdoutTail: stdout, stderrTail: stderr)
    }

    static func check(_ name: String, _ kind: CheckKind, _ status: CheckResult.Status, ignored: Bool = false, _ message: String)
        -> CheckResult
    {
        CheckResult(name: name, kind: kind, severity: .error, status: status, message: message, ignored: ignored)
    }

    static var run: RunResult {
        var web1 = HostRun(host: "web1")
        web1.checks = [
            check("ssh_reachable", .sshReachable, .passed, "ok"),
            check("clock_skew", .clockSkew, .failed, ignored: true, "clock 12 s ahead, limit 5 s"),
        ]
        web1.tasks = [
            task("install bundle", "install", batch: 1, .ok, at: 1, for: 2, exit: 0, stdout: "installed\n"),
            task("configure", "install", batch: 1, .changed, at: 3, for: 1.5, message: "config written"),
        ]
        web1.tasks[1].transcript = "Password: ********\nwelcome\n"
        var web2 = HostRun(host: "web2")
        web2.checks = [check("ssh_reachable", .sshReachable, .passed, "ok")]
        web2.tasks = [
            task(
                "install bundle", "install", batch: 2, .failed, at: 5, for: 3, message: failure, exit: 2, stdout: hostileOutput,
                stderr: "boom\r\n")
        ]
        web2.state = .failed
        web2.failure = failure
        var db1 = HostRun(host: "db1")
        db1.tasks = [task("install bundle", "install", batch: 2, .unreachable, at: 5, for: 0.2, message: "db1: connection refused")]
        db1.state = .unreachable
        db1.failure = "db1: connection refused"
        var db2 = HostRun(host: "db2")
        db2.checks = [check("resources", .resources, .failed, "1 GB free on /opt, need 4 GB")]
        db2.state = .blocked
        db2.failure = "resources: 1 GB free on /opt, need 4 GB"
        var app1 = HostRun(host: "app1")
        app1.state = .notRun
        app1.failure = "install batch 3 never started"
        var reference = HostRun(host: "ref1")
        reference.checks = [check("ssh_reachable", .sshReachable, .passed, "ok")]
        return RunResult(
            playbook: "playbooks/ums-ha-join.yml", hosts: [web1, web2, db1, db2, app1], references: [reference],
            batches: [
                BatchRecord(stage: "install", number: 1, hosts: ["web1"], failed: [], duration: .milliseconds(3500)),
                BatchRecord(stage: "install", number: 2, hosts: ["web2", "db1"], failed: ["web2", "db1"], duration: .seconds(3)),
            ],
            ignoredChecks: ["clock_skew"], stop: .batchFailed(stage: "install", batch: 2, reason: "2 of 2 hosts failed"),
            duration: .seconds(9))
    }

    static var report: RunReport { RunReport(result: run, command: "run", started: start) }
}
