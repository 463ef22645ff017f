import Foundation
import MusterCore
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `--report` files: every format from one hand-built run with every kind of outcome.
@Suite struct ReportTests {
    let report = ReportSamples.report

    func json() throws -> [String: Any] {
        let text = try report.rendered(as: .json)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func formatComesFromTheExtensionOrTheFlag() {
        #expect(ReportFormat(fileExtension: "JSON") == .json)
        #expect(ReportFormat(fileExtension: "xml") == .junit)
        #expect(ReportFormat(fileExtension: "htm") == .html)
        #expect(ReportFormat(fileExtension: "txt") == nil)
        #expect(ReportFormat.resolve(path: "out/report.csv", explicit: nil) == .csv)
        #expect(ReportFormat.resolve(path: "report.txt", explicit: "junit") == .junit)
        #expect(ReportFormat.resolve(path: "report.json", explicit: "yaml") == nil)
    }

    @Test func jsonHasTheSchemaRunMetadataAndEveryHost() throws {
        let document = try json()
        // The exact top-level keys: a new field is a schema change (and must be documented).
        #expect(
            Set(document.keys) == [
                "schema", "command", "playbook", "started", "duration_s", "exit_status", "check_mode", "stop",
                "ignored_checks", "summary", "hosts", "references", "batches",
            ])
        #expect(document["schema"] as? String == "muster.run/1")
        #expect(document["started"] as? String == "2027-01-15T08:00:00.000Z")
        #expect(document["exit_status"] as? Int == 1)
        #expect(document["ignored_checks"] as? [String] == ["clock_skew"])
        let stop = try #require(document["stop"] as? [String: Any])
        #expect(stop["reason"] as? String == "batch-failed")
        #expect(stop["batch"] as? Int == 2)
        let hosts = try #require(document["hosts"] as? [[String: Any]])
        #expect(hosts.map { $0["host"] as? String } == ["web1", "web2", "db1", "db2", "app1"])
        #expect(hosts.map { $0["state"] as? String } == ["ok", "failed", "unreachable", "blocked", "not-run"])
        let checks = try #require(hosts[0]["checks"] as? [[String: Any]])
        #expect(checks[1]["ignored"] as? Bool == true)
        #expect(checks[1]["kind"] as? String == "clock_skew")
        let tasks = try #require(hosts[0]["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["status"] as? String } == ["ok", "changed"])
        #expect(tasks[1]["transcript"] as? String == "Password: ********\nwelcome\n")
        #expect(tasks[1]["duration_s"] as? Double == 1.5)
        let failed = try #require((hosts[1]["tasks"] as? [[String: Any]])?.first)
        #expect(failed["stdout_tail"] as? String == ReportSamples.hostileOutput)
        #expect(failed["exit_status"] as? Int == 2)
        #expect((document["batches"] as? [[String: Any]])?.map { $0["number"] as? Int } == [1, 2])
        #expect((document["references"] as? [[String: Any]])?.first?["host"] as? String == "ref1")
        #expect(document["summary"] as? [String: Int] == ["hosts": 5, "ok": 1, "failed": 1, "unreachable": 1, "blocked": 1, "not_run": 1])
    }

    @Test func junitIsWellFormedWithSuitesPerStageAndTheRightCounts() throws {
        let xml = try report.rendered(as: .junit)
        #expect(!xml.contains("\u{1B}") && !xml.contains("\u{0}"))
        #expect(!xml.contains("]]>"))
        #if canImport(FoundationXML)
            let document = try XMLDocument(xmlString: xml, options: [])
            let root = try #require(document.rootElement())
            #expect(root.name == "testsuites")
            #expect(["tests", "failures", "errors", "skipped"].map { root.attribute(forName: $0)?.stringValue } == ["10", "2", "1", "2"])
            let suites = root.elements(forName: "testsuite")
            #expect(suites.map { $0.attribute(forName: "name")?.stringValue } == ["preflight", "install", "not run"])
            #expect(suites.map { $0.elements(forName: "testcase").count } == [4, 4, 2])
            let install = suites[1].elements(forName: "testcase")
            #expect(install.map { $0.attribute(forName: "classname")?.stringValue } == ["web1", "web1", "web2", "db1"])
            let failure = try #require(install[2].elements(forName: "failure").first)
            // Newlines in attributes survive; the text keeps every character but the forbidden controls.
            #expect(failure.attribute(forName: "message")?.stringValue == ReportSamples.failure + " (exit status 2)")
            let out = try #require(install[2].elements(forName: "system-out").first?.stringValue)
            #expect(out == "line one\n\u{241B}[31mred\u{241B}[0m ]]> <&> \"quoted\", 'single'\u{2400}\u{2407}\n")
            #expect(install[3].elements(forName: "error").count == 1)
            #expect(install[1].elements(forName: "system-out").first?.stringValue?.contains("transcript:\nPassword: ********") == true)
            let preflight = suites[0].elements(forName: "testcase")
            #expect(preflight.map { $0.elements(forName: "failure").count } == [0, 0, 0, 1])
        #else
            #expect(try pythonParses(xml))
        #endif
    }

    @Test func csvIsOneRowPerHostAndRoundTrips() throws {
        let text = try report.rendered(as: .csv)
        #expect(text.hasSuffix("\r\n"))
        let rows = try CSVParser.parse(text)
        #expect(rows.first == ["host", "state", "ok", "changed", "failed", "unreachable", "skipped", "duration_s", "first_failure"])
        #expect(rows.dropFirst().map(\.first) == ["web1", "web2", "db1", "db2", "app1"])
        #expect(rows[1] == ["web1", "ok", "1", "1", "0", "0", "0", "3.500", ""])
        #expect(rows[2][8] == ReportSamples.failure)
        #expect(rows[3][5] == "1")
        #expect(rows.allSatisfy { $0.count == 9 })
    }

    @Test func htmlListsEveryHostAndFetchesNothing() throws {
        let html = try report.rendered(as: .html)
        for host in ["web1", "web2", "db1", "db2", "app1", "ref1"] { #expect(html.contains(">\(host)<")) }
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(!html.lowercased().contains("<script src") && !html.lowercased().contains("<link"))
        #expect(!html.contains("url(") && !html.contains("@import") && !html.contains(" src="))
        #expect(html.components(separatedBy: "<script").count == 2, "one inline script")
        #expect(html.contains("&lt;&amp;&gt;"))
        #expect(html.contains("<svg class=\"gantt\""))
        #expect(html.contains("install #2"))
    }

    @Test func htmlEscapesHostileUserData() throws {
        var run = ReportSamples.run
        run.hosts[1].failure = "<script>alert(1)</script> see https://evil.example/x.js"
        run.hosts[1].tasks[0].stdoutTail = "</pre><img src=https://evil.example/t.png>"
        let html = try RunReport(result: run, command: "run").rendered(as: .html)
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<img"))
        #expect(html.components(separatedBy: "<script").count == 2)
        // URLs appear only as escaped text, never in a tag that would fetch them.
        #expect(html.contains("&lt;/pre&gt;&lt;img src=https://evil.example/t.png&gt;"))
        #expect(
            html.components(separatedBy: "https://").count == 4,
            "the failure's URL (table and details) and the output's (details), nowhere else")
    }

    @Test func writerReplacesTheFileWholeWithMode0644() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/report.json"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        let mask = umask(0o077)
        defer { umask(mask) }
        try ReportWriter.write(ReportSamples.run, command: "run", to: path, format: .json)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o644)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("muster.run/1"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["report.json"], "no temporary file left")
        #expect(throws: ReportError.self) {
            try ReportWriter.write(ReportSamples.run, command: "run", to: directory.path + "/missing/r.json", format: .json)
        }
    }

    @Test func execResultsBecomeAOneTaskRun() {
        let results = [
            HostResult(host: "a", outcome: .init(status: .ok, changed: true, exitStatus: 0, stdout: "hi\n"), duration: .seconds(1)),
            HostResult(
                host: "b", outcome: .init(status: .failed, exitStatus: 3, exitSignal: "KILL", message: "exit status 3"),
                duration: .seconds(2)),
            HostResult(host: "c", outcome: .unreachable(message: "c: refused"), duration: .zero),
        ]
        let run = RunResult(adHoc: "exec", task: "uptime", results: results, started: ReportSamples.start, duration: .seconds(2))
        #expect(run.hosts.map(\.state) == [.ok, .failed, .unreachable])
        #expect(run.hosts.map { $0.tasks.first?.status } == [.changed, .failed, .unreachable])
        #expect(
            run.hosts.allSatisfy {
                $0.tasks.count == 1 && $0.tasks[0].stage == "exec" && $0.tasks[0].batch == 1 && $0.tasks[0].task == "uptime"
            })
        #expect(run.hosts[1].failure == "exit status 3; killed by signal KILL")
        #expect(run.batches.map(\.failed) == [["b", "c"]])
        #expect(run.exitStatus == 1)
    }

    private func pythonParses(_ xml: String) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", "import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())"]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data(xml.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

/// RFC 4180 read back, strictly: a quote inside an unquoted field is an error.
enum CSVParser {
    struct Malformed: Error {}

    static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var afterQuote = false
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if scalars.first == "\"" {
                        field.unicodeScalars.append(scalars.removeFirst())
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.isEmpty, !afterQuote else { throw Malformed() }
                quoted = true
            case ",":
                row.append(field)
                field = ""
                afterQuote = false
            case "\r":
                guard scalars.popFirst() == "\n" else { throw Malformed() }
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                afterQuote = false
            case "\n":
                throw Malformed()
            default:
                guard !afterQuote else { throw Malformed() }
                field.unicodeScalars.append(scalar)
            }
        }
        guard !quoted, row.isEmpty, field.isEmpty else { throw Malformed() }
        return rows
    }
}
