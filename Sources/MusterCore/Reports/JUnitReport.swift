import Foundation

/// JUnit XML for CI systems (Jenkins, GitLab, GitHub actions that read test reports):
/// a `preflight` suite with a case per host and check, one suite per stage with a case
/// per host and task, and a `not run` suite for hosts the rollout never reached.
/// `classname` is always the host, so CI groups results by host.
struct JUnitReport {
    private struct Case {
        var host: String
        var name: String
        var time: Double = 0
        enum Outcome {
            case passed
            case failure(type: String, message: String)
            case error(message: String)
            case skipped(message: String)
        }
        var outcome: Outcome = .passed
        var stdout = ""
        var stderr = ""
    }

    let report: RunReport

    init(_ report: RunReport) { self.report = report }

    func rendered() -> String {
        let suites = [("preflight", preflightCases())] + stageCases() + [("not run", notRunCases())]
        let present = suites.filter { !$0.1.isEmpty }
        let all = present.flatMap(\.1)
        let title = report.result.playbook.isEmpty ? "muster \(report.command)" : "muster \(report.command) \(report.result.playbook)"
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml +=
            "<testsuites name=\"\(Markup.escape(title, attribute: true))\"\(counts(all)) time=\"\(Markup.seconds(report.result.duration))\">\n"
        for (name, cases) in present {
            xml += "  <testsuite name=\"\(Markup.escape(name, attribute: true))\"\(counts(cases))"
            xml += " time=\"\(Markup.seconds(cases.map(\.time).reduce(0, +)))\" timestamp=\"\(JSONRunReport.timestamp(report.started))\">\n"
            for testCase in cases { xml += render(testCase) }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    private func counts(_ cases: [Case]) -> String {
        var failures = 0
        var errors = 0
        var skipped = 0
        for testCase in cases {
            switch testCase.outcome {
            case .passed: break
            case .failure: failures += 1
            case .error: errors += 1
            case .skipped: skipped += 1
            }
        }
        return " tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\""
    }

    private func render(_ testCase: Case) -> String {
        var xml = "    <testcase classname=\"\(Markup.escape(testCase.host, attribute: true))\""
        xml += " name=\"\(Markup.escape(testCase.name, attribute: true))\" time=\"\(Markup.seconds(testCase.time))\">\n"
        switch testCase.outcome {
        case .passed: break
        case .failure(let type, let message):
            xml +=
                "      <failure type=\"\(type)\" message=\"\(Markup.escape(message, attribute: true))\">\(Markup.escape(message))</failure>\n"
        case .error(let message):
            xml +=
                "      <error type=\"unreachable\" message=\"\(Markup.escape(message, attribute: true))\">\(Markup.escape(message))</error>\n"
        case .skipped(let message):
            xml += "      <skipped message=\"\(Markup.escape(message, attribute: true))\"/>\n"
        }
        if !testCase.stdout.isEmpty { xml += "      <system-out>\(Markup.escape(testCase.stdout))</system-out>\n" }
        if !testCase.stderr.isEmpty { xml += "      <system-err>\(Markup.escape(testCase.stderr))</system-err>\n" }
        return xml + "    </testcase>\n"
    }

    /// A failed error check fails its case; warnings and ignored errors pass with a note,
    /// because they did not stop the host.
    private func preflightCases() -> [Case] {
        report.result.hosts.flatMap { host in
            host.checks.map { check in
                var testCase = Case(host: host.host, name: check.name)
                if check.blocks {
                    testCase.outcome = .failure(type: "preflight", message: check.message)
                } else if check.status == .failed {
                    let why = check.ignored ? "ignored by --ignore-preflight" : "warning"
                    testCase.stdout = "\(why): \(check.message)"
                } else {
                    testCase.stdout = check.message
                }
                return testCase
            }
        }
    }

    /// Stages in the order they first appear in the run.
    private func stageCases() -> [(String, [Case])] {
        var order: [String] = []
        var cases: [String: [Case]] = [:]
        for host in report.result.hosts {
            for task in host.tasks {
                if cases[task.stage] == nil { order.append(task.stage) }
                cases[task.stage, default: []].append(taskCase(host: host.host, task))
            }
        }
        return order.map { ($0, cases[$0]!) }
    }

    private func taskCase(host: String, _ task: TaskResult) -> Case {
        var testCase = Case(host: host, name: task.task, time: task.duration.seconds)
        let exit = task.exitStatus.map { " (exit status \($0))" } ?? ""
        switch task.status {
        case .failed where !task.ignored: testCase.outcome = .failure(type: "failed", message: task.message + exit)
        case .unreachable: testCase.outcome = .error(message: task.message)
        case .skipped: testCase.outcome = .skipped(message: task.message)
        default: break
        }
        var stdout = task.ignored ? "failed, ignored (ignore_errors): \(task.message)\(exit)\n" : ""
        stdout += task.stdoutTail
        if let transcript = task.transcript { stdout += (stdout.isEmpty ? "" : "\n") + "transcript:\n" + transcript }
        testCase.stdout = stdout
        testCase.stderr = task.stderrTail
        return testCase
    }

    /// Blocked and not-run hosts have no task cases; one skipped case each keeps them visible.
    private func notRunCases() -> [Case] {
        report.result.hosts.filter { $0.state == .blocked || $0.state == .notRun }.map { host in
            let reason = host.failure ?? (host.state == .blocked ? "blocked by preflight" : "its batch never started")
            return Case(host: host.host, name: "rollout", outcome: .skipped(message: "\(host.state.rawValue): \(reason)"))
        }
    }
}
