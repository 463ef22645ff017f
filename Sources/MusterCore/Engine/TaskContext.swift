import Foundation
import MusterSSH

/// What a task needs to run on one host: its session, its variables and the run's settings.
struct TaskContext: Sendable {
    var host: String
    var loginUser: String
    var session: SSHSession
    var scope: HostScope
    var stage: String
    var batch: Int
    /// The run's plan, for controller paths (relative ones start at the playbook's directory).
    var plan: RunPlan
    var files: LocalFiles
    /// Reports bytes of a copy as they are sent.
    var onBytesSent: @Sendable (Int) -> Void = { _ in }
    /// Where a `distribute` copy meets the batch's other hosts.
    var distribution: DistributionRound?

    var renderer: Renderer { Renderer(scope: scope) }

    func controllerPath(_ path: String) -> String { plan.controllerPath(path) }

    /// Wraps a command in `sudo -n` when the task asks to become root and the login user is not root.
    func privileged(_ command: String, become: Bool) -> String {
        guard become, loginUser != "root" else { return command }
        return "sudo -n -- sh -c " + ShellQuote.quote(command)
    }
}

/// A task that could not do its work; the message names what went wrong and never a secret.
struct TaskFailure: Error {
    var message: String
    var status: TaskStatus = .failed
    var exitStatus: Int32?
    var stdout = ""
    var stderr = ""
    var transcript: String?
}

/// Controller files read once for all hosts: a 200 MB bundle is mapped and hashed once,
/// on a thread of its own, never on Swift's cooperative pool, however many hosts ask.
final class LocalFiles: Sendable {
    private let files = Mutex<[String: Task<LocalFile, Error>]>([:])

    func file(_ path: String) async throws -> LocalFile {
        let task = files.withLock { files in
            if let existing = files[path] { return existing }
            let task = Task { try await BlockingWork.run { try LocalFile(path: path) } }
            files[path] = task
            return task
        }
        return try await task.value
    }
}

import Synchronization

/// The last lines of command output, for results and reports.
enum OutputTail {
    static func of(_ text: String, lines: Int = 20, characters: Int = 4000) -> String {
        let kept = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
        return kept.count > characters ? "…" + String(kept.suffix(characters)) : kept
    }

    /// The last non-empty line, for one-line failure messages.
    static func lastLine(_ text: String) -> String? {
        text.split(separator: "\n").last.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
