import Foundation
import MusterCore
import MusterSSH
import Testing

/// Interactive commands on a pseudo-terminal, answered by ExpectDriver, on real hosts.
@Suite struct ConversationTests {
    let testbed = Testbed.shared

    @Test func answersPromptsAndMasksSecretsInTheTranscript() async throws {
        let session = try await testbed.connect(Testbed.name(1))
        // `read -s` hides the password; the token is echoed by the terminal, then printed.
        let script = #"read -p "Name: " n; read -s -p "Password: " p; echo; read -p "Token: " t; echo "hello $n ${#p} $t"; exit 3"#
        let driver = try ExpectDriver(prompts: [
            .init(pattern: "Name: $", answer: "ada", timeout: .seconds(10)),
            .init(pattern: "Password: $", answer: "pa55word", secret: true, timeout: .seconds(10)),
            .init(pattern: "Token: $", answer: "tok-8f3e2a", secret: true, timeout: .seconds(10)),
        ])
        let result = try await session.converse("bash -c \(ShellQuote.quote(script))", timeout: .seconds(30), driver: driver)
        #expect(result.exitStatus == 3)
        #expect(driver.unansweredPromptError() == nil)
        #expect(result.stdoutText.contains("hello ada 8 tok-8f3e2a"))
        #expect(driver.transcript == "Name: ada\nPassword: \nToken: ********\nhello ada 8 ********\n")
        // The session is still good for ordinary commands.
        #expect(try await session.exec("echo after").stdoutText == "after\n")
        await session.close()
    }

    @Test func aPromptThatNeverComesTimesOutAndTheSessionStaysUsable() async throws {
        let session = try await testbed.connect(Testbed.name(2))
        let marker = "muster-expect-\(getpid())"
        let driver = try ExpectDriver(prompts: [
            .init(pattern: "ready", answer: "", timeout: .seconds(10)),
            .init(pattern: "Continue\\? ", answer: "y", timeout: .seconds(1)),
        ])
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: ExpectError.self) {
            _ = try await session.converse("echo ready; exec -a \(marker) sleep 60", timeout: .seconds(30), driver: driver)
        }
        #expect(start.duration(to: clock.now) < .seconds(5))
        #expect(error?.description.hasPrefix(#"expect prompt 2 "Continue\\? " did not appear within 1 s"#) == true)
        #expect(try await session.exec("echo still here").stdoutText == "still here\n")
        // Closing the channel hung up the terminal, which ended the command.
        var survivors = ""
        for _ in 0..<20 {
            survivors = try await session.exec("pgrep -f '^\(marker) ' || true").stdoutText
            if survivors.isEmpty { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(survivors.isEmpty)
        await session.close()
    }

    @Test func theOverallTimeoutStopsAQuietCommand() async throws {
        let session = try await testbed.connect(Testbed.name(3))
        let driver = try ExpectDriver(prompts: [])
        do {
            _ = try await session.converse("sleep 60", timeout: .milliseconds(500), driver: driver)
            Issue.record("converse returned")
        } catch let error as SSHError {
            #expect(error.kind == .timeout)
        }
        #expect(try await session.exec("echo ok").stdoutText == "ok\n")
        await session.close()
    }
}
