import Foundation
import Testing

/// Batches, failure policies and Ctrl-C, with small playbooks on the shared testbed's
/// healthy hosts (read-only commands only).
@Suite struct PlaybookBatchTests {
    let testbed = Testbed.shared

    private func playbook(_ name: String, _ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "muster-\(name)-\(UUID().uuidString).yml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// host002 alone, then host003 and host004 (both fail), then host005-host007.
    private func rollout(onBatchFailure: String) throws -> String {
        try playbook(
            "batches-\(onBatchFailure)",
            """
            hosts: host002:host003:host004:host005:host006:host007
            stages:
              - name: roll
                serial: [1, 2, 3]
                on_batch_failure: \(onBatchFailure)
                tasks:
                  - name: fail on 3 and 4
                    run: test {{ inventory_hostname }} != host003 && test {{ inventory_hostname }} != host004
            """)
    }

    @Test func aFailedBatchStopsLaterBatchesWithStop() async throws {
        let path = try rollout(onBatchFailure: "stop")
        defer { unlink(path) }
        let run = await Testbed.muster(["run", path, "-i", testbed.inventory, "--known-hosts", testbed.knownHosts])
        #expect(run.status == 1, "\(run.output)\(run.stderr)")
        #expect(run.output.contains("BATCH 2/3 of roll"))
        #expect(!run.output.contains("BATCH 3/3 of roll"))
        #expect(run.output.contains("every host of the batch failed"))
        for host in ["host005", "host006", "host007"] { #expect(run.output.contains("\(host)  : not-run"), "\(run.output)") }
    }

    @Test func aFailedBatchLetsLaterBatchesRunWithContinue() async throws {
        let path = try rollout(onBatchFailure: "continue")
        defer { unlink(path) }
        let run = await Testbed.muster(["run", path, "-i", testbed.inventory, "--known-hosts", testbed.knownHosts])
        #expect(run.status == 1)
        #expect(run.output.contains("BATCH 3/3 of roll"))
        for host in ["host005", "host006", "host007"] { #expect(run.output.contains("\(host)  : ok"), "\(run.output)") }
        #expect(run.output.contains("host003  : failed"))
    }

    /// On a terminal a status block is redrawn under the log lines; elsewhere, and with
    /// NO_COLOR, no escape sequences at all.
    @Test func aTerminalGetsALiveStatusBlockAndAPipeGetsPlainLines() async throws {
        let path = try playbook(
            "display",
            """
            hosts: host002:host003:host004
            stages:
              - name: work
                serial: 1
                tasks:
                  - run: sleep 1
            """)
        defer { unlink(path) }
        let arguments = ["run", path, "-i", testbed.inventory, "--known-hosts", testbed.knownHosts]
        // A pseudo-terminal from Python's pty module (script(1) hangs up when its stdin ends).
        let onTerminal = ["-c", "import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)", Testbed.musterPath] + arguments
        // (swift test may set NO_COLOR for its children: unset it for this run.)
        let terminal = await Testbed.run("/usr/bin/env", ["-u", "NO_COLOR", "python3"] + onTerminal)
        #expect(terminal.status == 0, "\(terminal.output)")
        #expect(terminal.output.contains("work           ████████████████████ 3/3"), "\(terminal.output)")
        #expect(terminal.output.contains("\u{1B}[2F\u{1B}[J") || terminal.output.contains("\u{1B}[1F\u{1B}[J"))
        #expect(terminal.output.contains("\u{1B}[32m"), "colour on a terminal")
        let noColor = await Testbed.run("/usr/bin/env", ["python3"] + onTerminal, environment: ["NO_COLOR": "1"])
        #expect(!noColor.output.contains("\u{1B}[32m"))
        let piped = await Testbed.muster(arguments)
        #expect(piped.status == 0)
        #expect(!piped.output.contains("\u{1B}["), "no escape sequences in a pipe")
        #expect(piped.output.contains("BATCH 3/3 of work"))
    }

    /// A run fails on one host; `--rerun failed` runs that host alone, and `--resume`
    /// skips what completed ok before and runs the rest.
    @Test func rerunTargetsFailedHostsAndResumeSkipsCompletedTasks() async throws {
        let path = try playbook(
            "rerun",
            """
            hosts: host002:host003:host004
            stages:
              - name: roll
                serial: 1
                on_batch_failure: continue
                tasks:
                  - name: first
                    run: "true"
                  - name: second
                    run: test {{ inventory_hostname }} != {{ fail_on }}
            """)
        let state = NSTemporaryDirectory() + "muster-rerun-\(UUID().uuidString).db"
        defer {
            unlink(path)
            for suffix in ["", "-wal", "-shm"] { unlink(state + suffix) }
        }
        let common = ["run", path, "-i", testbed.inventory, "--known-hosts", testbed.knownHosts, "--state", state]
        let failing = await Testbed.muster(common + ["-e", "fail_on=host003"])
        #expect(failing.status == 1, "\(failing.output)")

        let rerun = await Testbed.muster(common + ["-e", "fail_on=none", "--rerun", "failed"])
        #expect(rerun.status == 0, "\(rerun.output)\(rerun.stderr)")
        #expect(rerun.output.contains("re-running run 1: host003"))
        #expect(rerun.output.contains("RESULT 1 ok"))

        let resume = await Testbed.muster(common + ["-e", "fail_on=none", "--resume", "1"])
        #expect(resume.status == 0, "\(resume.output)\(resume.stderr)")
        #expect(resume.output.contains("host002 skipped second (0.0s): completed in run 1"), "\(resume.output)")
        #expect(resume.output.contains("host003 skipped first (0.0s): completed in run 1"))
        #expect(resume.output.contains("host003 changed second"))

        let nothing = await Testbed.muster(common + ["-e", "fail_on=none", "--rerun", "unreachable", "--from", "1"])
        #expect(nothing.status == 2)
        #expect(nothing.stderr.contains("run 1 has no unreachable host"))
        let runs = await Testbed.muster(["runs", "--state", state])
        #expect(runs.output.split(separator: "\n").count == 4, "\(runs.output)")  // header and three runs
        // Any past run can be reported again.
        let report = NSTemporaryDirectory() + "muster-show-\(UUID().uuidString).json"
        defer { unlink(report) }
        let show = await Testbed.muster(["show", "1", "--state", state, "--host", "host003", "--report", report])
        #expect(show.output.contains("HOST host003: failed"))
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        #expect(document?["schema"] as? String == "muster.run/1")
        #expect((document?["hosts"] as? [[String: Any]])?.compactMap { $0["host"] as? String } == ["host002", "host003", "host004"])
    }

    @Test func ctrlCLetsRunningTasksFinishAndStartsNothingNew() async throws {
        let path = try playbook(
            "interrupt",
            """
            hosts: host002:host003:host004
            stages:
              - name: slow
                serial: 1
                tasks:
                  - name: work
                    run: sleep 3; echo done
                  - name: after
                    run: "true"
            """)
        defer { unlink(path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Testbed.musterPath)
        process.arguments = ["run", path, "-i", testbed.inventory, "--known-hosts", testbed.knownHosts]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let text = Locked("")
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            text.update { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        // Interrupt once the first batch's task is running.
        for _ in 0..<200 where !text.value.contains("BATCH 1/3") { try await Task.sleep(for: .milliseconds(50)) }
        try await Task.sleep(for: .milliseconds(500))
        kill(process.processIdentifier, SIGINT)
        await withCheckedContinuation { continuation in
            Thread {
                process.waitUntilExit()
                continuation.resume()
            }.start()
        }
        try await Task.sleep(for: .milliseconds(200))
        output.fileHandleForReading.readabilityHandler = nil
        let log = text.value
        #expect(process.terminationStatus == 130, "\(log)")
        // On a loaded machine the signal may land in a later batch than the first: what
        // matters is what happens after it, whichever batch was running.
        let afterInterrupt = try #require(log.range(of: "muster: Ctrl-C").map { String(log[$0.upperBound...]) }, "\(log)")
        #expect(afterInterrupt.contains("changed work"), "the running task finishes: \(log)")
        #expect(!afterInterrupt.contains(" of slow: host"), "no batch starts after Ctrl-C: \(log)")
        #expect(log.contains("interrupted before: after"), "\(log)")
        #expect(log.contains("host004  : not-run"))
    }
}
