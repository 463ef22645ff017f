import Foundation
import MusterCore
import Testing

/// The HTML report in a real browser: it renders something, and its DOM, after the
/// script ran, lists every host. Needs no testbed, only Debian's chromium.
@Suite struct HTMLReportTests {
    static let hosts = (1...12).map { String(format: "node%02d.dc1", $0) }

    /// Twelve hosts over two batches: ok, changed, one failed, one unreachable, one blocked.
    static var run: RunResult {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var runs: [HostRun] = []
        for (index, name) in hosts.enumerated() {
            var host = HostRun(host: name)
            let batch = index < 6 ? 1 : 2
            let offset = Double(batch == 1 ? 0 : 8) + Double(index % 6) * 0.3
            host.checks = [CheckResult(name: "ssh_reachable", kind: .sshReachable, severity: .error, status: .passed, message: "ok")]
            switch index {
            case 10:
                host.checks.append(
                    CheckResult(name: "resources", kind: .resources, severity: .error, status: .failed, message: "1 GB free, need 4 GB"))
                host.state = .blocked
                host.failure = "resources: 1 GB free, need 4 GB"
                runs.append(host)
                continue
            case 9:
                host.tasks = [
                    TaskResult(
                        task: "install", stage: "install", batch: batch, status: .unreachable, message: "connection refused",
                        started: start.addingTimeInterval(offset), duration: .milliseconds(200))
                ]
                host.state = .unreachable
                host.failure = "connection refused"
                runs.append(host)
                continue
            default: break
            }
            let failed = index == 7
            host.tasks = [
                TaskResult(
                    task: "upload bundle", stage: "install", batch: batch, status: .changed, started: start.addingTimeInterval(offset),
                    duration: .seconds(2)),
                TaskResult(
                    task: "install", stage: "install", batch: batch, status: failed ? .failed : .ok,
                    message: failed ? "exit status 3: <disk full> & \"more\"" : "",
                    started: start.addingTimeInterval(offset + 2), duration: .milliseconds(2500 + index * 100), exitStatus: failed ? 3 : 0,
                    stdoutTail: failed ? "copying…\n\u{1B}[31mENOSPC\u{1B}[0m ]]>\n" : "done\n"),
            ]
            if failed {
                host.state = .failed
                host.failure = "install: exit status 3"
            }
            runs.append(host)
        }
        return RunResult(
            playbook: "playbooks/ums-ha-join.yml", hosts: runs,
            batches: [
                BatchRecord(stage: "install", number: 1, hosts: Array(hosts[0..<6]), failed: [], duration: .seconds(6)),
                BatchRecord(stage: "install", number: 2, hosts: Array(hosts[6...]), failed: [hosts[7], hosts[9]], duration: .seconds(7)),
            ],
            stop: .batchFailed(stage: "install", batch: 2, reason: "2 hosts failed"), duration: .seconds(15))
    }

    @Test func chromiumRendersTheReportAndListsEveryHost() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Chromium.binary), "chromium is missing: run scripts/setup")
        let directory = NSTemporaryDirectory() + "muster-html-report-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let page = directory + "/report.html"
        try ReportWriter.write(Self.run, command: "run", to: page, format: .html)

        let screenshot = directory + "/shot.png"
        let shot = try await Chromium.run(["--screenshot=\(screenshot)", "--window-size=1280,2000", "file://\(page)"])
        #expect(FileManager.default.fileExists(atPath: screenshot), "no screenshot: \(shot.stderr)")
        let stats = try await PNGStats.of(screenshot)
        #expect(stats.width == 1280 && stats.height == 2000)
        #expect(stats.colors > 20, "a blank page has a colour or two: \(stats)")
        #expect(stats.ink > 0.01, "text, badges and the timeline leave ink: \(stats)")

        let dump = try await Chromium.run(["--dump-dom", "file://\(page)"])
        #expect(dump.status == 0, "\(dump.stderr)")
        let dom = dump.output
        #expect(dom.contains("data-js=\"ready\""), "the script ran")
        #expect(dom.contains("12 of 12 hosts shown"), "the script counted the table's rows")
        for host in Self.hosts { #expect(dom.contains("<td class=\"host\">\(host)</td>"), "\(host) in the table") }
        #expect(dom.contains("&lt;disk full&gt; &amp; \"more\""))
    }

    /// Clicks the "seconds" header and types into the filter box from a script appended to
    /// a copy of the page, then reads the rows' order and visibility back from the DOM.
    @Test func headersSortAndTheBoxFilters() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Chromium.binary), "chromium is missing: run scripts/setup")
        let directory = NSTemporaryDirectory() + "muster-html-sort-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let driver = """
            <script>
            var headers = document.querySelectorAll("#hosts th");
            headers[7].click();
            var filter = document.getElementById("filter");
            filter.value = "exit STATUS";
            filter.dispatchEvent(new Event("input"));
            document.body.setAttribute("data-rows", Array.prototype.map.call(document.querySelectorAll("#hosts tbody tr"),
              function (row) { return row.cells[0].textContent + (row.hidden ? "-" : "+"); }).join(","));
            document.body.setAttribute("data-sorted", headers[7].getAttribute("aria-sort"));
            </script>
            """
        let html = try RunReport(result: Self.run, command: "run").rendered(as: .html).replacingOccurrences(
            of: "</body>", with: driver + "</body>")
        let page = directory + "/report.html"
        try html.write(toFile: page, atomically: true, encoding: .utf8)
        let dump = try await Chromium.run(["--dump-dom", "file://\(page)"])
        let order = ["node11.dc1", "node10.dc1"] + (1...9).map { String(format: "node%02d.dc1", $0) } + ["node12.dc1"]
        let rows = order.map { $0 + ($0 == "node08.dc1" ? "+" : "-") }.joined(separator: ",")
        #expect(dump.output.contains("data-rows=\"\(rows)\""), "seconds ascending, only the host whose failure says exit status")
        #expect(dump.output.contains("data-sorted=\"ascending\""))
        #expect(dump.output.contains("1 of 12 hosts shown"))
    }

    /// `muster exec --report` end to end, against a port where nothing listens: no testbed.
    @Test func execWritesAReportForAnUnreachableHost() async throws {
        let directory = NSTemporaryDirectory() + "muster-exec-report-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/out.json"
        let result = await Testbed.muster(["exec", "-i", "127.0.0.1:1,", "--no-progress", "--report", path, "--", "uptime"])
        #expect(result.status == 1, "\(result.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(document["schema"] as? String == "muster.run/1")
        #expect(document["command"] as? String == "exec")
        let host = try #require((document["hosts"] as? [[String: Any]])?.first)
        #expect(host["state"] as? String == "unreachable")
        #expect((host["tasks"] as? [[String: Any]])?.first?["task"] as? String == "uptime")
    }
}
