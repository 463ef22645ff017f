/// One row per host for spreadsheets, RFC 4180: CRLF line ends, a header row, and
/// fields with a comma, quote or line break quoted with inner quotes doubled.
struct CSVReport {
    static let header = ["host", "state", "ok", "changed", "failed", "unreachable", "skipped", "duration_s", "first_failure"]

    let report: RunReport

    init(_ report: RunReport) { self.report = report }

    func rendered() -> String {
        var rows = [Self.header]
        for host in report.result.hosts {
            // Time spent in this host's own tasks; waits for other hosts' batches are not counted.
            let duration = host.tasks.map(\.duration.seconds).reduce(0, +)
            rows.append([
                host.host, host.state.rawValue, String(host.count(.ok)), String(host.count(.changed)), String(host.count(.failed)),
                String(host.count(.unreachable)), String(host.count(.skipped)), Markup.seconds(duration), host.failure ?? "",
            ])
        }
        return rows.map { $0.map(Self.field).joined(separator: ",") + "\r\n" }.joined()
    }

    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
