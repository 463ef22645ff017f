import Foundation
import GRDB
import MusterCore
import Testing

@testable import MusterState

/// The run history: what the recorder writes comes back as the engine returned it.
@Suite struct StateStoreTests {
    let directory: TemporaryDirectory
    var path: String { directory.path + "/state/muster/muster.db" }

    init() throws { directory = try TemporaryDirectory() }

    func start(_ targets: [String], pid: Int32 = ProcessInfo.processInfo.processIdentifier) -> RunStart {
        RunStart(
            command: "run", playbook: "/srv/playbooks/join.yml", playbookSHA256: "aa", inventorySHA256: "bb",
            options: ["inventory": ["inv.ini"], "extra_var_keys": ["token"]], targets: targets, references: ["ref1"], pid: pid)
    }

    /// A run as the engine would report it: web1 ok (a check, two tasks), web2 failed, web3 unreachable.
    func syntheticResult() -> RunResult {
        let started = Date(timeIntervalSince1970: 1_700_000_000.25)
        var web1 = HostRun(host: "web1")
        web1.checks = [CheckResult(name: "resources", kind: .resources, severity: .error, status: .passed, message: "4 CPUs")]
        var install = TaskResult(
            task: "install", stage: "rollout", batch: 1, status: .changed, message: "installed", started: started,
            duration: .milliseconds(1500), exitStatus: 0, stdoutTail: "done\n", stderrTail: "")
        install.stageIndex = 0
        install.taskIndex = 0
        var health = TaskResult(task: "health: port", stage: "rollout", batch: 1, status: .ok, started: started, duration: .seconds(2))
        health.stageIndex = 0
        health.taskIndex = 1000
        web1.tasks = [install, health]
        var web2 = HostRun(host: "web2")
        var broken = TaskResult(
            task: "install", stage: "rollout", batch: 1, status: .failed, message: "exit status 3", started: started,
            duration: .seconds(1), exitStatus: 3, stdoutTail: "partial\n", stderrTail: "disk full\n")
        broken.stageIndex = 0
        broken.taskIndex = 0
        web2.tasks = [broken]
        web2.state = .failed
        web2.failure = "install: exit status 3"
        var web3 = HostRun(host: "web3")
        web3.tasks = [TaskResult(task: "connect", stage: "rollout", batch: 2, status: .unreachable, message: "refused", started: started)]
        web3.state = .unreachable
        web3.failure = "connect: refused"
        var reference = HostRun(host: "ref1")
        reference.checks = [CheckResult(name: "same_version", kind: .sameVersion, severity: .warning, status: .failed, message: "12.07")]
        return RunResult(
            playbook: "/srv/playbooks/join.yml", hosts: [web1, web2, web3], references: [reference],
            batches: [
                BatchRecord(stage: "rollout", number: 1, hosts: ["web1", "web2"], failed: ["web2"], duration: .seconds(3)),
                BatchRecord(stage: "rollout", number: 2, hosts: ["web3"], failed: ["web3"], duration: .seconds(1)),
            ],
            ignoredChecks: ["clock_skew"], stop: .batchFailed(stage: "rollout", batch: 2, reason: "every host of the batch failed"),
            duration: .seconds(7))
    }

    /// Feeds the result's events to a recorder the way the engine does, then the result.
    func record(_ result: RunResult, into store: StateStore) throws -> Int64 {
        let recorder = try RunRecorder(store: store, start: start(result.hosts.map(\.host)))
        for host in result.hosts {
            recorder.record(.checksFinished(host: host.host, results: host.checks, reference: false))
            for task in host.tasks { recorder.record(.taskFinished(host: host.host, result: task)) }
        }
        for batch in result.batches { recorder.record(.batchFinished(batch)) }
        recorder.finish(result)
        return recorder.runID
    }

    func describe(_ result: RunResult) -> String {
        var lines = [
            result.playbook, "\(result.stop.map { "\($0)" } ?? "-") \(result.checkMode) \(result.duration) \(result.ignoredChecks)",
        ]
        for host in result.references + result.hosts {
            lines.append("\(host.host) \(host.state) \(host.failure ?? "-") \(host.checks)")
            for task in host.tasks {
                lines.append(
                    "  \(task.task) \(task.stage)/\(task.stageIndex ?? -1)/\(task.taskIndex ?? -1) #\(task.batch) \(task.status) "
                        + "\(task.message) \(task.started.timeIntervalSince1970) \(task.duration) \(task.exitStatus ?? -1) "
                        + "\(task.stdoutTail.debugDescription) \(task.stderrTail.debugDescription) \(task.ignored)")
            }
        }
        for batch in result.batches {
            lines.append("\(batch.stage) \(batch.number) \(batch.hosts) \(batch.failed) \(batch.unhealthy) \(batch.duration)")
        }
        return lines.joined(separator: "\n")
    }

    @Test func recordedRunReadsBackAsTheEngineReturnedIt() throws {
        let store = try StateStore(path: path)
        let result = syntheticResult()
        let id = try record(result, into: store)
        let stored = try store.run(String(id))
        #expect(describe(stored.result) == describe(result))
        #expect(stored.summary.status == .failed)
        #expect(stored.summary.exitStatus == 1)
        #expect(stored.summary.options == ["inventory": ["inv.ini"], "extra_var_keys": ["token"]])
        #expect(stored.summary.ended != nil)
        // The recap of `muster show` is the recap of the live run.
        let recap = Recap(colors: TerminalColors(enabled: false))
        #expect(recap.render(stored.result) == recap.render(result))
        #expect(try store.run("last").summary.id == id)
        #expect(throws: StateError.self) { try store.run("999") }
        #expect(throws: StateError.self) { try store.run("yesterday") }
    }

    @Test func eventsAloneKeepWhatFinished() throws {
        // No finish: as after a SIGKILL, what the writer committed is all there is.
        let store = try StateStore(path: path)
        let recorder = try RunRecorder(store: store, start: start(["web1", "web2"]), interval: 0.01)
        let task = TaskResult(task: "install", stage: "rollout", batch: 1, status: .failed, message: "exit status 3")
        recorder.record(.taskFinished(host: "web2", result: task))
        recorder.record(.batchFinished(BatchRecord(stage: "rollout", number: 1, hosts: ["web2"], failed: ["web2"], duration: .zero)))
        let deadline = Date(timeIntervalSinceNow: 5)
        var stored = try store.run("last")
        while stored.result.batches.isEmpty, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            stored = try store.run("last")
        }
        #expect(stored.summary.status == .running)  // this process is alive
        #expect(stored.result.hosts.map(\.state) == [.notRun, .failed])
        #expect(stored.result.hosts[1].failure == "install: exit status 3")
        #expect(stored.result.hosts[1].tasks.map(\.task) == ["install"])
        #expect(stored.result.batches.map(\.number) == [1])
        recorder.finish(RunResult(playbook: "/srv/playbooks/join.yml", hosts: [], duration: .zero))
    }

    @Test func runsListNewestFirstWithHostCounts() throws {
        let store = try StateStore(path: path)
        let first = try record(syntheticResult(), into: store)
        var passing = syntheticResult()
        passing.hosts = [passing.hosts[0]]
        passing.stop = nil
        let second = try record(passing, into: store)
        let runs = try store.runs()
        #expect(runs.map(\.id) == [second, first])
        #expect(runs.map(\.status) == [.ok, .failed])
        let counts: [Int] = [runs[1].hosts(.ok), runs[1].hosts(.failed), runs[1].hosts(.unreachable), runs[1].hosts]
        #expect(counts == [1, 1, 1, 3])
        #expect(try store.runs(limit: 1).map(\.id) == [second])
    }

    @Test func aRunWhoseProcessIsGoneIsInterrupted() throws {
        let store = try StateStore(path: path)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = try RunRecorder(store: store, start: start(["web1"], pid: child.processIdentifier))
        // A live pid that now belongs to another process (pid reuse): its start time differs.
        let reused = try RunRecorder(store: store, start: start(["web1"]))
        try store.queue.write { db in try db.execute(sql: "UPDATE runs SET pid_started = 1 WHERE id = ?", arguments: [reused.runID]) }
        let alive = try RunRecorder(store: store, start: start(["web1"]))
        let statuses = Dictionary(uniqueKeysWithValues: try store.runs().map { ($0.id, $0.status) })
        #expect(statuses == [dead.runID: .interrupted, reused.runID: .interrupted, alive.runID: .running])
        let shown = try store.run(String(dead.runID))
        #expect(shown.result.stop == .interrupted)
        #expect(shown.result.exitStatus == 130)
        #expect(shown.result.hosts.map(\.state) == [.notRun])
        // The next run's start marks them for good.
        _ = try RunRecorder(store: store, start: start(["web1"]))
        let recorded = try store.queue.read { db in
            try String.fetchOne(db, sql: "SELECT status FROM runs WHERE id = ?", arguments: [dead.runID])
        }
        #expect(recorded == "interrupted")
        for recorder in [dead, reused, alive] { recorder.finish(RunResult(playbook: "p", hosts: [], duration: .zero)) }
    }

    @Test func filesAreForTheOwnerOnly() throws {
        let store = try StateStore(path: path)
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1) & 0o777
        }
        #expect(try mode(path) == 0o600)
        #expect(try mode(directory.path + "/state/muster") == 0o700)
        #expect(try mode(directory.path + "/state") == 0o700)
        // The -wal file exists while the store is open (SQLite removes it on the last close).
        let walMode = try mode(path + "-wal")
        withExtendedLifetime(store) { #expect(walMode == 0o600) }
    }

    @Test func openingTwiceMigratesOnce() throws {
        let first = try StateStore(path: path)
        let id = try record(syntheticResult(), into: first)
        let second = try StateStore(path: path)
        #expect(try second.run(String(id)).result.hosts.count == 3)
        let migrations = try second.queue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(migrations == ["v1", "v2-copy-path"])
        let mode = try second.queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        #expect(try second.integrityCheck() == "ok")
    }

    /// A run starting while `muster runs` opens the same new file: both get a usable store.
    @Test func concurrentFirstOpensAgree() throws {
        let failures = NSLock()
        nonisolated(unsafe) var messages: [String] = []
        let path = path
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do { _ = try StateStore(path: path) } catch { failures.withLock { messages.append("\(error)") } }
        }
        #expect(messages == [])
        #expect(try StateStore(path: path).integrityCheck() == "ok")
    }

    @Test func defaultPathFollowsXDG() {
        #expect(StateStore.defaultPath(environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/home/a"]) == "/x/state/muster/muster.db")
        #expect(StateStore.defaultPath(environment: ["HOME": "/home/a"]) == "/home/a/.local/state/muster/muster.db")
        // A relative XDG_STATE_HOME is invalid by the spec and ignored.
        #expect(
            StateStore.defaultPath(environment: ["XDG_STATE_HOME": "state", "HOME": "/home/a"]) == "/home/a/.local/state/muster/muster.db")
    }

    @Test func inventoryDigestCoversVarsBesideTheFile() throws {
        let inventory = try directory.write("inv/hosts.ini", "[web]\nweb1\n")
        let before = InputDigest.inventory([inventory])
        try directory.write("inv/group_vars/web.yml", "port: 8080\n")
        let after = InputDigest.inventory([inventory])
        #expect(before != after)
        #expect(InputDigest.inventory([directory.path + "/inv"]) != after)
        #expect(InputDigest.inventory(["web1,web2,"]) != InputDigest.inventory(["web1,"]))
        #expect(InputDigest.file(inventory).count == 64)
    }

    /// The engine's event rate: 10,000 task results through the recorder from 8 threads,
    /// then the final result with the same 10,000 (as a real run ends).
    @Test func tenThousandTaskResults() throws {
        let store = try StateStore(path: path)
        let hosts = (1...100).map { "host\($0)" }
        let output = String(repeating: "some output line\n", count: 20)
        var runs = hosts.map(HostRun.init(host:))
        for index in 0..<10_000 {
            var result = TaskResult(
                task: "task \(index / 100)", stage: "rollout", batch: 1, status: .ok, duration: .milliseconds(5), exitStatus: 0,
                stdoutTail: output)
            result.stageIndex = 0
            result.taskIndex = index / 100
            runs[index % 100].tasks.append(result)
        }
        let recorder = try RunRecorder(store: store, start: start(hosts))
        let hostRuns = runs
        let clock = ContinuousClock()
        let began = clock.now
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for index in stride(from: worker, to: 10_000, by: 8) {
                recorder.record(.taskFinished(host: hosts[index % 100], result: hostRuns[index % 100].tasks[index / 100]))
            }
        }
        let queued = began.duration(to: clock.now)
        recorder.finish(RunResult(playbook: "/srv/playbooks/join.yml", hosts: runs, duration: .seconds(60)))
        let written = began.duration(to: clock.now)
        let count = try store.queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task_results") }
        print("state store: 10000 task results queued in \(queued) (callback cost), all on disk with the final result after \(written)")
        #expect(count == 10_000)
        #expect(queued < .seconds(2))
    }
}
