import Foundation
import MusterState
import Testing

/// `kill -9` of a recording `muster run` leaves a consistent history that calls the run
/// interrupted. No testbed: the hosts are 127.0.0.1 ports of this test's own. Hundreds of
/// hosts on a closed port fail to connect one batch after another (`serial: 1`,
/// `on_batch_failure: continue`), so task results stream into the database; a last host
/// on a port that listens but never speaks keeps the run going, so the kill always lands
/// mid-run, while results are still being written.
@Suite struct StateStoreKillTests {
    /// A port with nothing behind it: bound, then closed again.
    static func closedPort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        let port = try bind(fd)
        return port
    }

    /// Binds `fd` to 127.0.0.1 on a free port and returns the port.
    static func bind(_ fd: Int32) throws -> UInt16 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        try #require(bound)
        return UInt16(bigEndian: address.sin_port)
    }

    @Test func sigkillMidRunLeavesAConsistentInterruptedRun() async throws {
        let directory = NSTemporaryDirectory() + "muster-kill-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Listens, never accepts: the kernel completes the TCP handshake, the SSH banner never comes.
        let silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(silent) }
        let silentPort = try Self.bind(silent)
        try #require(listen(silent, 16) == 0)
        let refused = try Self.closedPort()

        var inventory = "[all]\n"
        for index in 1...400 { inventory += String(format: "down%04d ansible_host=127.0.0.1 ansible_port=\(refused)\n", index) }
        inventory += "zz-silent ansible_host=127.0.0.1 ansible_port=\(silentPort)\n"
        try inventory.write(toFile: directory + "/inventory.ini", atomically: true, encoding: .utf8)
        try """
        hosts: all
        stages:
          - name: rollout
            serial: 1
            on_batch_failure: continue
            tasks:
              - name: hello
                run: 'true'
        """.write(toFile: directory + "/playbook.yml", atomically: true, encoding: .utf8)

        let database = directory + "/state/muster.db"
        let muster = Testbed.packageRoot.path + "/.build/debug/muster"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: muster)
        process.arguments = [
            "run", directory + "/playbook.yml", "-i", directory + "/inventory.ini", "--state", database,
            "--connect-timeout", "120", "--quiet", "-e", "secret_token=hunter2",
        ]
        // Its own HOME: no ~/.ssh/config or known_hosts of the machine's.
        process.environment = ["HOME": directory, "PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        FileManager.default.createFile(atPath: directory + "/stderr", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: directory + "/stderr")
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // Read while it writes (WAL: readers do not block the writer), until results stream in.
        var recorded = 0
        let deadline = Date(timeIntervalSinceNow: 60)
        while recorded < 100, Date() < deadline, process.isRunning {
            try await Task.sleep(for: .milliseconds(20))
            guard FileManager.default.fileExists(atPath: database), let store = try? StateStore(path: database),
                let run = try? store.run("last")
            else { continue }
            recorded = run.result.hosts.map(\.tasks.count).reduce(0, +)
        }
        let stderr = (try? String(contentsOfFile: directory + "/stderr", encoding: .utf8)) ?? ""
        try #require(process.isRunning, "muster ended before it could be killed mid-run (status \(process.terminationStatus)): \(stderr)")
        #expect(recorded >= 100)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let store = try StateStore(path: database)
        #expect(try store.integrityCheck() == "ok")
        let run = try store.run("last")
        #expect(run.summary.status == .interrupted)
        #expect(run.summary.ended == nil)
        #expect(run.summary.options["extra_var_keys"] == ["secret_token"])
        let unreachable = run.result.hosts.filter { $0.state == .unreachable }
        #expect(unreachable.count >= 100, "what finished before the kill is kept")
        #expect(unreachable.allSatisfy { $0.tasks.map(\.task) == ["connect"] })
        #expect(run.result.hosts.last?.state == .notRun)
        let everything = [database, database + "-wal"].map { (try? String(contentsOfFile: $0, encoding: .isoLatin1)) ?? "" }.joined()
        #expect(!everything.contains("hunter2"), "-e values are never stored")

        let runs = await Testbed.muster(["runs", "--state", database])
        #expect(runs.status == 0)
        let row = runs.output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(row.hasSuffix("interrupted"), "\(runs.output)")
        let shown = await Testbed.muster(["show", "last", "--state", database, "--host", "down0001"])
        #expect(shown.status == 0)
        #expect(shown.output.contains("interrupted"))
        #expect(shown.output.contains("UNREACHABLE"))
    }
}
