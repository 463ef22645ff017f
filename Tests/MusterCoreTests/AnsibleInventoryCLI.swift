import Foundation

/// The real `ansible-inventory`, named by `MUSTER_ANSIBLE_INVENTORY` (scripts/test installs
/// ansible-core in a venv and sets it). Each call is a child process whose exit resumes the
/// waiting task, so no thread of the cooperative pool sits blocked for the second each call takes.
struct AnsibleInventoryCLI: Sendable {
    static let environmentVariable = "MUSTER_ANSIBLE_INVENTORY"
    /// Calls running at once; more would only compete for this machine's two cores.
    private static let slots = ProcessSlots(count: 3)

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let executable: String

    static func fromEnvironment() -> AnsibleInventoryCLI? {
        ProcessInfo.processInfo.environment[environmentVariable].map(AnsibleInventoryCLI.init)
    }

    /// Standard output of `ansible-inventory ARGUMENTS`; throws with standard error on failure.
    func run(_ arguments: [String]) async throws -> String {
        await Self.slots.acquire()
        do {
            let output = try await launch(arguments)
            await Self.slots.release()
            return output
        } catch {
            await Self.slots.release()
            throw error
        }
    }

    /// Output goes to files rather than pipes, so nothing has to read while the process runs.
    private func launch(_ arguments: [String]) async throws -> String {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ansible-\(UUID().uuidString)").path
        let (outPath, errPath) = (base + ".out", base + ".err")
        defer { for path in [outPath, errPath] { try? FileManager.default.removeItem(atPath: path) } }
        for path in [outPath, errPath] { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(
            [
                "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8", "ANSIBLE_NOCOLOR": "1",
                // A fixture Ansible cannot parse must fail here, not pass as an empty inventory.
                "ANSIBLE_INVENTORY_UNPARSED_FAILED": "True", "ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED": "True",
            ],
            uniquingKeysWith: { _, ours in ours })
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        guard status == 0 else {
            let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw Failure(description: "ansible-inventory \(arguments.joined(separator: " ")) exited \(status): \(stderr)")
        }
        return try String(contentsOfFile: outPath, encoding: .utf8)
    }
}

/// A counting semaphore for tasks.
actor ProcessSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) {
        free = count
    }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
