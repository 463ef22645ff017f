import MusterSSH

extension TaskExecutor {
    /// `expect`: runs an interactive program on a pseudo-terminal and answers its prompts
    /// in order. The terminal echoes what is typed, so only the driver's masked transcript
    /// is ever kept or shown, never the raw output.
    func expect(_ action: ExpectAction, task: TaskSpec) async throws -> Outcome {
        let renderer = context.renderer
        var prompts: [ExpectPrompt] = []
        for prompt in action.prompts {
            prompts.append(
                ExpectPrompt(pattern: prompt.pattern, answer: try renderer.text(prompt.answer), secret: prompt.secret, timeout: prompt.timeout))
        }
        let driver: ExpectDriver
        do { driver = try ExpectDriver(prompts: prompts) } catch { throw TaskFailure(message: "\(error)") }
        let command = context.privileged(try renderer.shell(action.command, raw: false), become: task.become)
        let result: CommandResult
        do {
            result = try await context.session.converse(command, timeout: task.timeout, driver: driver)
        } catch let error as ExpectError {
            throw TaskFailure(message: "\(error)", stdout: driver.transcript, transcript: driver.transcript)
        } catch let error as SSHError where error.kind == .timeout {
            throw TaskFailure(message: error.message, stdout: driver.transcript, transcript: driver.transcript)
        }
        let transcript = driver.transcript
        if let unanswered = driver.unansweredPromptError() {
            throw TaskFailure(message: "\(unanswered)", exitStatus: result.exitStatus, stdout: transcript, transcript: transcript)
        }
        guard result.succeeded else {
            let how = result.ending
            let why = OutputTail.lastLine(transcript).map { ": \($0)" } ?? ""
            throw TaskFailure(message: "\(how) after \(driver.answeredCount) of \(prompts.count) answers\(why)", exitStatus: result.exitStatus, stdout: transcript, transcript: transcript)
        }
        var outcome = Outcome(
            status: .changed, message: "\(prompts.count) prompts answered", exitStatus: result.exitStatus, stdout: transcript,
            registered: ["rc": .int(Int(result.exitStatus ?? 0)), "stdout": .string(transcript)])
        outcome.transcript = transcript
        return outcome
    }
}
