import Foundation
import MusterSSH

/// Runs one task on one host and says how it went. `when`, `retries`/`until` and
/// `register` are handled here, the same for every action; each action lives in its
/// own extension.
struct TaskExecutor {
    var context: TaskContext

    /// What an action did: its status and message, and the value `register` keeps.
    struct Outcome {
        var status: TaskStatus
        var message: String = ""
        var exitStatus: Int32?
        var stdout = ""
        var stderr = ""
        var registered: [String: InventoryValue] = [:]
        var transcript: String?
        var copyPath: String?
    }

    /// Runs `task`; returns the result and the value to register (if the task registers one).
    func run(_ task: TaskSpec) async -> (TaskResult, InventoryValue?) {
        let started = Date()
        let clock = ContinuousClock()
        let start = clock.now
        func result(_ outcome: Outcome, ignored: Bool = false) -> (TaskResult, InventoryValue?) {
            var registered = outcome.registered
            registered["changed"] = .bool(outcome.status == .changed)
            registered["failed"] = .bool(outcome.status == .failed || outcome.status == .unreachable)
            registered["skipped"] = .bool(outcome.status == .skipped)
            if registered["msg"] == nil { registered["msg"] = .string(outcome.message) }
            var taskResult = TaskResult(
                task: task.name, stage: context.stage, batch: context.batch, status: outcome.status, message: outcome.message,
                started: started, duration: start.duration(to: clock.now), exitStatus: outcome.exitStatus,
                stdoutTail: OutputTail.of(outcome.stdout), stderrTail: OutputTail.of(outcome.stderr), ignored: ignored)
            taskResult.transcript = outcome.transcript
            taskResult.copyPath = outcome.copyPath
            return (taskResult, task.register.map { _ in .dict(InventoryDictionary(registered)) })
        }
        do {
            if let when = task.when, try !context.renderer.condition(when) {
                return result(Outcome(status: .skipped, message: "condition is false: \(when.text)"))
            }
            var outcome = try await attempt(task)
            var tries = 0
            while let until = task.until, tries < task.retries, try !holds(until, after: outcome, task: task) {
                tries += 1
                try await Task.sleep(for: task.delay)
                outcome = try await attempt(task)
            }
            if let until = task.until, try !holds(until, after: outcome, task: task) {
                outcome.status = .failed
                outcome.message = "'\(until.text)' still false after \(tries + 1) tries" + (outcome.message.isEmpty ? "" : ": " + outcome.message)
            }
            if let changedWhen = task.changedWhen, outcome.status == .ok || outcome.status == .changed {
                outcome.status = try holds(changedWhen, after: outcome, task: task) ? .changed : .ok
            }
            return result(outcome, ignored: outcome.status == .failed && task.ignoreErrors)
        } catch let failure as TaskFailure {
            var outcome = Outcome(
                status: failure.status, message: failure.message, exitStatus: failure.exitStatus, stdout: failure.stdout, stderr: failure.stderr)
            outcome.transcript = failure.transcript
            return result(outcome, ignored: failure.status == .failed && task.ignoreErrors)
        } catch let error as SSHError where error.isUnreachable || error.kind == .disconnected {
            return result(Outcome(status: .unreachable, message: error.message))
        } catch is CancellationError {
            return result(Outcome(status: .failed, message: "cancelled by a second Ctrl-C"))
        } catch {
            return result(Outcome(status: .failed, message: "\(error)"), ignored: task.ignoreErrors)
        }
    }

    /// One try of the action; `until` is checked with its result registered.
    private func attempt(_ task: TaskSpec) async throws -> Outcome {
        switch task.action {
        case .run(let action): try await run(action, task: task)
        case .copy(let action): try await copy(action, task: task)
        case .fetch(let action): try await fetch(action, task: task)
        case .waitFor(let action): try await waitFor(action, task: task)
        case .expect(let action): try await expect(action, task: task)
        case .service(let action): try await service(action, task: task)
        case .assert(let action): try assert(action)
        }
    }

    /// `until` sees the try's result under the registered name and as `result`.
    private func holds(_ condition: TemplateText, after outcome: Outcome, task: TaskSpec) throws -> Bool {
        var scope = context.scope
        var registered = outcome.registered
        registered["failed"] = .bool(outcome.status == .failed)
        let value = InventoryValue.dict(InventoryDictionary(registered))
        scope.set("result", value)
        if let name = task.register { scope.set(name, value) }
        return try Renderer(scope: scope).condition(condition)
    }

    /// Runs a command; a non-zero exit fails the task with the last line of stderr.
    func command(_ command: String, timeout: Duration?, become: Bool) async throws -> (CommandResult, Outcome) {
        let result = try await context.session.exec(context.privileged(command, become: become), timeout: timeout)
        var outcome = Outcome(
            status: result.succeeded ? .changed : .failed, exitStatus: result.exitStatus, stdout: result.stdoutText, stderr: result.stderrText)
        outcome.registered = [
            "rc": result.exitStatus.map { .int(Int($0)) } ?? .null,
            "stdout": .string(result.stdoutText.trimmingTrailingNewlines),
            "stderr": .string(result.stderrText.trimmingTrailingNewlines),
            "stdout_lines": .list(result.stdoutText.split(separator: "\n").map { .string(String($0)) }),
        ]
        if !result.succeeded {
            let how = result.ending
            let why = OutputTail.lastLine(result.stderrText) ?? OutputTail.lastLine(result.stdoutText)
            outcome.message = why.map { "\(how): \($0)" } ?? how
        }
        return (result, outcome)
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
