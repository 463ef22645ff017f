import Foundation

/// A self-contained HTML page: summary, per-host table, timeline, failure details.
/// Everything is inline and a Content-Security-Policy forbids every fetch, so the page
/// can be opened from a CI artifact or an air-gapped laptop. All content is rendered
/// here, in HTML; the script only adds sorting and filtering, so it reads without JS.
struct HTMLReport {
    let report: RunReport
    var result: RunResult { report.result }

    init(_ report: RunReport) { self.report = report }

    func rendered() -> String {
        let title = result.playbook.isEmpty ? "muster \(report.command)" : "muster \(report.command) \(result.playbook)"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title))</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            \(summary(title: title))
            \(hostTable())
            \(HTMLTimeline(report: report).rendered())
            \(failures())
            <script>\(Self.script)</script>
            </body>
            </html>

            """
    }

    private func e(_ text: String) -> String { Markup.escape(text) }

    private func badge(_ state: String) -> String { "<span class=\"badge s-\(e(state))\">\(e(state))</span>" }

    private func summary(title: String) -> String {
        var stop = ""
        switch result.stop {
        case .preflightBlocked?: stop = "preflight blocked the rollout"
        case .batchFailed(let stage, let batch, let reason)?: stop = "stopped after \(stage) batch \(batch): \(reason)"
        case .interrupted?: stop = "interrupted"
        case .declined(let stage, let batch)?: stop = "\(stage) batch \(batch) not confirmed"
        case nil: break
        }
        let verdict = result.exitStatus == 0 ? "ok" : "failed"
        var counts: [String] = []
        for state in [HostState.ok, .failed, .unreachable, .blocked, .notRun] {
            let count = result.hosts.filter { $0.state == state }.count
            if count > 0 { counts.append("\(badge(state.rawValue)) \(count)") }
        }
        var rows = [
            ("Command", e("muster \(report.command)")),
            ("Started", e(JSONRunReport.timestamp(report.started))),
            ("Duration", e(Markup.seconds(result.duration) + " s")),
            ("Exit status", "\(result.exitStatus)" + (stop.isEmpty ? "" : " · " + e(stop))),
            ("Hosts", "\(result.hosts.count): " + counts.joined(separator: " ")),
        ]
        if !result.playbook.isEmpty { rows.insert(("Playbook", "<code>\(e(result.playbook))</code>"), at: 1) }
        if result.checkMode { rows.append(("Check mode", "yes: nothing was changed")) }
        if !result.ignoredChecks.isEmpty { rows.append(("Ignored checks", e(result.ignoredChecks.joined(separator: ", ")))) }
        if !result.references.isEmpty { rows.append(("Reference hosts", e(result.references.map(\.host).joined(separator: ", ")))) }
        return """
            <header class="v-\(verdict)"><h1>\(e(title))</h1>
            <dl class="summary">\(rows.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined())</dl></header>
            """
    }

    /// Rows carry `data-sort` keys where the text does not sort well (states by severity).
    private func hostTable() -> String {
        let severity: [HostState: Int] = [.failed: 0, .unreachable: 1, .blocked: 2, .notRun: 3, .ok: 4]
        let rows = result.hosts.map { host -> String in
            let failedChecks = host.checks.filter { $0.status == .failed }
            let preflight = host.checks.isEmpty ? "" : failedChecks.isEmpty ? "passed" : "\(failedChecks.count) failed"
            let seconds = host.tasks.map(\.duration.seconds).reduce(0, +)
            let numbers = [host.count(.ok), host.count(.changed), host.count(.failed), host.count(.unreachable), host.count(.skipped)]
            return
                "<tr><td class=\"host\">\(e(host.host))</td><td data-sort=\"\(severity[host.state]!)\">\(badge(host.state.rawValue))</td>"
                + numbers.map { "<td class=\"n\">\($0)</td>" }.joined()
                + "<td class=\"n\">\(Markup.seconds(seconds))</td><td>\(e(preflight))</td><td class=\"why\">\(e(host.failure ?? ""))</td></tr>"
        }
        let headers =
            ["Host", "State"].map { "<th>\($0)</th>" }
            + ["ok", "changed", "failed", "unreachable", "skipped", "seconds"].map { "<th data-type=\"number\">\($0)</th>" }
            + ["Preflight", "First failure"].map { "<th>\($0)</th>" }
        return """
            <section><h2>Hosts</h2>
            <p class="controls"><input id="filter" type="search" placeholder="Filter hosts, states, failures…" aria-label="Filter hosts" hidden> <span id="count"></span></p>
            <table id="hosts"><thead><tr>\(headers.joined())</tr></thead>
            <tbody>
            \(rows.joined(separator: "\n"))
            </tbody></table></section>
            """
    }

    /// Every host with a failed check or task, open by default: this is what people came for.
    private func failures() -> String {
        let hosts = (result.hosts + result.references).filter { host in
            host.state != .ok || host.checks.contains { $0.status == .failed }
                || host.tasks.contains { $0.status == .failed || $0.status == .unreachable }
        }
        guard !hosts.isEmpty else { return "<section><h2>Failures</h2><p>None.</p></section>" }
        let blocks = hosts.map { host -> String in
            var html = "<details open><summary><b>\(e(host.host))</b> \(badge(host.state.rawValue)) \(e(host.failure ?? ""))</summary>"
            let checks = host.checks.filter { $0.status == .failed }
            if !checks.isEmpty {
                html += "<ul class=\"checks\">"
                for check in checks {
                    let label = check.ignored ? "error, ignored" : check.severity.rawValue
                    html += "<li><b>\(e(check.name))</b> (\(e(check.kind.rawValue)), \(label)): \(e(check.message))</li>"
                }
                html += "</ul>"
            }
            for task in host.tasks where task.status == .failed || task.status == .unreachable {
                var heading = "\(task.stage) #\(task.batch) · \(task.task) · \(task.status.rawValue)"
                if task.ignored { heading += " (ignored)" }
                if let exit = task.exitStatus { heading += " · exit \(exit)" }
                heading += " · \(Markup.seconds(task.duration)) s"
                html += "<div class=\"task\"><h3>\(e(heading))</h3>"
                if !task.message.isEmpty { html += "<p>\(e(task.message))</p>" }
                for (label, text) in [("stdout", task.stdoutTail), ("stderr", task.stderrTail), ("transcript", task.transcript ?? "")]
                where !text.isEmpty {
                    html += "<h4>\(label)</h4><pre>\(e(text))</pre>"
                }
                html += "</div>"
            }
            return html + "</details>"
        }
        return "<section><h2>Failures</h2>\n\(blocks.joined(separator: "\n"))\n</section>"
    }
}
