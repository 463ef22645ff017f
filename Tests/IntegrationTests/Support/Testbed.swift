import Foundation
import MusterCore
import MusterSSH

/// The real OpenSSH hosts that integration tests run against (scripts/testbed).
///
/// The first test that needs it brings up 26 hosts on 127.0.1.x unless they are up
/// already; `scripts/test` takes them down afterwards. Hosts 1–8 stay healthy; each
/// fault test owns one of hosts 9–16, the preflight tests own 17–22 (or 1–6 of a
/// smaller testbed of their own) and the jump host tests 23–26, so tests can run in
/// parallel.
struct Testbed: Sendable {
    static let hostCount = 26
    static let shared: Testbed = {
        let directory = ProcessInfo.processInfo.environment["MUSTER_TESTBED_DIR"] ?? "/tmp/muster-test-testbed"
        bringUp(directory)
        return Testbed(directory: directory, net: net(of: directory))
    }()

    let directory: String
    /// The third octet of host001's address: 1 unless MUSTER_TESTBED_DIR names a testbed
    /// brought up with another `--net`, so that testbeds of parallel worktrees can coexist.
    let net: Int

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    var inventory: String { "\(directory)/inventory.ini" }
    var knownHosts: String { "\(directory)/known_hosts" }
    func key(_ name: String) -> String { "\(directory)/\(name)" }
    static func name(_ index: Int) -> String { String(format: "host%03d", index) }

    /// A host's own /root as seen from the controller (a bind-mount source).
    func rootDirectory(of host: String) -> String { "\(directory)/hosts/\(host)/root" }

    /// A host's own /opt as seen from the controller (a bind-mount source).
    func optDirectory(of host: String) -> String { "\(directory)/hosts/\(host)/opt" }

    /// The hosts of DIR/inventory.ini, in order.
    func hostNames() -> [String] {
        guard let text = try? String(contentsOfFile: inventory, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            line.contains("ansible_host=") ? line.split(separator: " ").first.map(String.init) : nil
        }
    }

    /// The host's `ansible_host` in DIR/inventory.ini (network mode: 198.18.x.y), else
    /// scripts/testbed's loopback plan: host i on 127.0.(net + (i-1)/200).(10 + (i-1)%200).
    func address(of host: String) -> String {
        let text = (try? String(contentsOfFile: inventory, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix("\(host) ") {
            if let field = line.split(separator: " ").first(where: { $0.hasPrefix("ansible_host=") }) {
                return String(field.dropFirst("ansible_host=".count))
            }
        }
        let index = Int(host.dropFirst(4))! - 1
        return "127.0.\(net + index / 200).\(10 + index % 200)"
    }

    /// The `base=` that `scripts/testbed up` recorded in DIR/testbed.conf; 1 if there is none.
    private static func net(of directory: String) -> Int {
        let conf = (try? String(contentsOfFile: "\(directory)/testbed.conf", encoding: .utf8)) ?? ""
        let base = conf.split(separator: "\n").first { $0.hasPrefix("base=") }?.dropFirst("base=".count)
        return base.flatMap { Int($0) } ?? 1
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Applies a fault switch (`skew`, `stop`, `rekey`, `password-only`, `blackhole`, `crash`, …).
    func fault(_ kind: String, _ host: String, _ extra: String...) async throws {
        let result = await Self.run(Self.packageRoot.path + "/scripts/testbed", ["fault", kind, host] + extra + ["--dir", directory])
        guard result.status == 0 else {
            throw Failure(description: "testbed fault \(kind) \(host) failed: \(result.output)\(result.stderr)")
        }
    }

    /// Runs `body` with `kind` applied to `host`, and heals the host afterwards whether
    /// `body` succeeded or threw. Heals first too, in case an earlier run died mid-test.
    func withFault<T>(_ kind: String, on host: String, _ argument: String? = nil, _ body: () async throws -> T) async throws -> T {
        try await heal(host)
        if let argument { try await fault(kind, host, argument) } else { try await fault(kind, host) }
        do {
            let result = try await body()
            try await heal(host)
            return result
        } catch {
            try? await heal(host)
            throw error
        }
    }

    func heal(_ host: String) async throws {
        let result = await Self.run(Self.packageRoot.path + "/scripts/testbed", ["heal", host, "--dir", directory])
        guard result.status == 0 else { throw Failure(description: "testbed heal \(host) failed: \(result.output)\(result.stderr)") }
    }

    /// A testbed of its own for the playbook tests (UMS installs change hosts for good):
    /// 20 hosts on 127.0.3.x, taken down by scripts/test.
    static let playbooks: Testbed = {
        let directory = ProcessInfo.processInfo.environment["MUSTER_PLAYBOOK_TESTBED_DIR"] ?? "/tmp/muster-test-playbooks"
        bringUp(directory, hosts: 20, net: 3)
        return Testbed(directory: directory, net: net(of: directory))
    }()

    /// A small testbed of a test's own (in `directory`, on 127.0.`net`.x); the test takes
    /// it down with `takeDown()` and scripts/test stops it at exit should the test die.
    static func bringUp(directory: String, hosts: Int, net: Int) -> Testbed {
        bringUp(directory, hosts: hosts, net: net)
        return Testbed(directory: directory, net: Self.net(of: directory))
    }

    /// `scripts/testbed down`: stops this testbed's own processes, by their pid files.
    func takeDown() async {
        await Self.run(Self.packageRoot.path + "/scripts/testbed", ["down", "--dir", directory])
    }

    private static func bringUp(_ directory: String, hosts: Int = hostCount, net: Int = 1) {
        let script = packageRoot.path + "/scripts/testbed"
        if shell(script, ["status", "--dir", directory]).status == 0,
            FileManager.default.fileExists(atPath: "\(directory)/inventory.ini")
        {
            return
        }
        let result = shell(script, ["up", String(hosts), "--dir", directory, "--net", String(net)])
        precondition(result.status == 0, "scripts/testbed up failed:\n\(result.output)")
    }

    // MARK: Connecting from tests

    func endpoint(_ host: String, user: String = "root") -> SSHEndpoint {
        SSHEndpoint(name: host, address: address(of: host), user: user)
    }

    func credentials(key name: String = "id_ed25519", passphrase: String? = nil) throws -> SSHCredentials {
        SSHCredentials(identities: [.init(key: try PrivateKeyFile(path: key(name)), passphrase: passphrase)], useAgent: false)
    }

    func options(policy: HostKeyPolicy = .strict, knownHostsFile: String? = nil, connectTimeout: Duration = .seconds(30)) throws
        -> SSHClientOptions
    {
        let file = knownHostsFile ?? knownHosts
        return SSHClientOptions(
            connectTimeout: connectTimeout, hostKeyPolicy: policy,
            knownHosts: try KnownHosts(files: [file], writableFile: file))
    }

    static let loops = IOLoopGroup(threads: 2)

    func connect(_ host: String, key: String = "id_ed25519") async throws -> SSHSession {
        try await SSHSession.connect(to: endpoint(host), credentials: credentials(key: key), options: options(), on: Self.loops.nextLoop())
    }

    // MARK: Processes

    struct ProcessResult {
        let status: Int32
        let output: String
        let stderr: String
    }

    @discardableResult
    static func shell(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return ProcessResult(status: -1, output: "\(error)", stderr: "\(error)") }
        // Read both pipes concurrently so neither fills up and stalls the child.
        let errData = Locked<Data?>(nil)
        let reader = Thread { errData.update { $0 = err.fileHandleForReading.readDataToEndOfFile() } }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while errData.value == nil { usleep(1000) }
        return ProcessResult(
            status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.value ?? Data(), as: UTF8.self))
    }

    /// `shell` on a thread of its own: waiting for a child process must never occupy
    /// one of the few threads of Swift's cooperative pool that the SSH tests need.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) async -> ProcessResult {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: shell(executable, arguments, environment: environment)) }.start()
        }
    }

    /// Runs the built `muster` executable.
    /// Runs the built `muster`, with a run history of the tests' own (never the user's).
    static func muster(_ arguments: [String], environment: [String: String]? = nil) async -> ProcessResult {
        let history = ["XDG_STATE_HOME": NSTemporaryDirectory() + "muster-test-state"]
        return await run(musterPath, arguments, environment: history.merging(environment ?? [:]) { $1 })
    }

    /// The built `muster`: `$MUSTER_BIN` when set (a build in another scratch path), else `.build/debug/muster`.
    static var musterPath: String {
        ProcessInfo.processInfo.environment["MUSTER_BIN"] ?? packageRoot.path + "/.build/debug/muster"
    }
}

/// A value shared between a test and callbacks that run on other threads.
final class Locked<Value>: @unchecked Sendable {
    // @unchecked Sendable: `stored` is only touched under `lock`.
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    func update<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&stored) } }
}
