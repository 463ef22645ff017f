import Foundation

/// The Gantt chart: one row per host, one bar per task placed by its start and
/// duration, batches as shaded bands behind. Inline SVG drawn here, so it needs no script.
struct HTMLTimeline {
    let report: RunReport

    private let label = 190.0, width = 1000.0, rowHeight = 20.0, top = 34.0

    func rendered() -> String {
        let hosts = report.result.hosts.filter { !$0.tasks.isEmpty }
            .sorted { ($0.tasks.map(\.started).min() ?? .distantPast) < ($1.tasks.map(\.started).min() ?? .distantPast) }
        guard !hosts.isEmpty else { return "<section><h2>Timeline</h2><p>No task ran.</p></section>" }
        let ends = hosts.flatMap(\.tasks).map { report.offset($0.started) + $0.duration.seconds }
        let span = max(ends.max() ?? 0, report.result.duration.seconds, 0.001)
        let scale = width / span
        let height = top + Double(hosts.count) * rowHeight + 8
        var svg =
            "<svg class=\"gantt\" viewBox=\"0 0 \(Int(label + width + 10)) \(Int(height))\" role=\"img\" aria-label=\"Timeline of every host's tasks\">"
        svg += bands(hosts, scale: scale, height: height)
        svg += axis(span: span, scale: scale, height: height)
        for (row, host) in hosts.enumerated() {
            let y = top + Double(row) * rowHeight
            svg += "<text class=\"lbl\" x=\"\(label - 6)\" y=\"\(n(y + 14))\" text-anchor=\"end\">\(Markup.escape(host.host))</text>"
            for task in host.tasks {
                let x = label + report.offset(task.started) * scale
                let barWidth = max(2, task.duration.seconds * scale)
                var tip =
                    "\(host.host) · \(task.stage) #\(task.batch) · \(task.task) · \(task.status.rawValue) · \(Markup.seconds(task.duration)) s"
                if !task.message.isEmpty { tip += "\n\(task.message)" }
                svg +=
                    "<rect class=\"t-\(task.status.rawValue)\" x=\"\(n(x))\" y=\"\(n(y + 3))\" width=\"\(n(barWidth))\" height=\"\(n(rowHeight - 6))\" rx=\"2\">"
                svg += "<title>\(Markup.escape(tip))</title></rect>"
            }
        }
        svg += "</svg>"
        let legend = ["ok", "changed", "failed", "unreachable", "skipped"].map { "<span class=\"key t-\($0)\"></span>\($0)" }.joined(
            separator: " ")
        return "<section><h2>Timeline</h2><p class=\"legend\">\(legend)</p><div class=\"scroll\">\(svg)</div></section>"
    }

    /// Each batch's band spans its first task's start to its last task's end.
    private func bands(_ hosts: [HostRun], scale: Double, height: Double) -> String {
        var order: [String] = []
        var spans: [String: (start: Double, end: Double)] = [:]
        for task in hosts.flatMap(\.tasks) {
            let key = "\(task.stage) #\(task.batch)"
            let start = report.offset(task.started)
            let end = start + task.duration.seconds
            if let known = spans[key] {
                spans[key] = (min(known.start, start), max(known.end, end))
            } else {
                order.append(key)
                spans[key] = (start, end)
            }
        }
        var svg = ""
        for (index, key) in order.sorted(by: { spans[$0]!.start < spans[$1]!.start }).enumerated() {
            let span = spans[key]!
            let x = label + span.start * scale
            svg +=
                "<rect class=\"band b\(index % 2)\" x=\"\(n(x))\" y=\"16\" width=\"\(n(max(2, (span.end - span.start) * scale)))\" height=\"\(n(height - 16))\">"
            svg += "<title>\(Markup.escape(key))</title></rect>"
            svg += "<text class=\"blbl\" x=\"\(n(x + 3))\" y=\"28\">\(Markup.escape(key))</text>"
        }
        return svg
    }

    private func axis(span: Double, scale: Double, height: Double) -> String {
        var svg = ""
        for step in 0...5 {
            let seconds = span * Double(step) / 5
            let x = label + seconds * scale
            svg += "<line class=\"tick\" x1=\"\(n(x))\" y1=\"14\" x2=\"\(n(x))\" y2=\"\(n(height))\"/>"
            svg += "<text class=\"tlbl\" x=\"\(n(x))\" y=\"11\" text-anchor=\"middle\">\(String(format: "%.1f", seconds)) s</text>"
        }
        return svg
    }

    private func n(_ value: Double) -> String { String(format: "%.1f", value) }
}
