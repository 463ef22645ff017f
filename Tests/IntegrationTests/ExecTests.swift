import Foundation
import MusterSSH
import Testing

/// Remote commands against real OpenSSH servers on the testbed.
@Suite struct ExecTests {
    let testbed = Testbed.shared

    @Test func separatesStdoutStderrAndExitStatus() async throws {
        let session = try await testbed.connect(Testbed.name(1))
        let result = try await session.exec("hostname; echo oops >&2; exit 7")
        #expect(result.stdoutText == "host001\n")
        #expect(result.stderrText == "oops\n")
        #expect(result.exitStatus == 7)
        #expect(result.exitSignal == nil)
        await session.close()
    }

    @Test func reportsTheSignalThatKilledTheCommand() async throws {
        let session = try await testbed.connect(Testbed.name(2))
        let result = try await session.exec("kill -TERM $$")
        #expect(result.exitSignal == "TERM")
        #expect(result.exitStatus == nil)
        await session.close()
    }

    @Test func feedsStdinAndReusesTheSessionForEveryStep() async throws {
        let session = try await testbed.connect(Testbed.name(3))
        let echoed = try await session.exec("cat; echo", stdin: Data("fed through stdin".utf8))
        #expect(echoed.stdoutText == "fed through stdin\n")
        // Same session, same sshd connection: $PPID differs per command, but SSH_CONNECTION does not.
        let first = try await session.exec("echo $SSH_CONNECTION").stdoutText
        let second = try await session.exec("echo $SSH_CONNECTION").stdoutText
        #expect(first == second && !first.isEmpty)
        await session.close()
    }

    /// Megabytes on stdout and stderr at the same time must not stall either stream.
    @Test func drainsMegabytesOnBothStreamsAtOnce() async throws {
        let session = try await testbed.connect(Testbed.name(4))
        let size = 2 * 1024 * 1024
        let result = try await session.exec("yes out | head -c \(size) & yes err | head -c \(size) >&2; wait", timeout: .seconds(60))
        #expect(result.stdout.count == size)
        #expect(result.stderr.count == size)
        #expect(result.stdout.prefix(4) == Array("out\n".utf8)[...])
        #expect(result.stderr.prefix(4) == Array("err\n".utf8)[...])
        await session.close()
    }

    /// Output reaches the caller as it is produced, not only when the command ends.
    @Test func outputIsStreamedAsItComes() async throws {
        let session = try await testbed.connect(Testbed.name(6))
        let first = Locked<(chunk: String, after: Double)?>(nil)
        let start = Date()
        let result = try await session.exec("echo first; sleep 1; echo second") { _, bytes in
            first.update { if $0 == nil { $0 = (String(decoding: bytes, as: UTF8.self), Date().timeIntervalSince(start)) } }
        }
        let total = Date().timeIntervalSince(start)
        let firstAfter = first.value?.after ?? total
        #expect(first.value?.chunk == "first\n")
        #expect(result.stdoutText == "first\nsecond\n")
        #expect(total >= 1 && firstAfter < total - 0.5, "first chunk after \(firstAfter) s of \(total) s")
        await session.close()
    }

    @Test func aCommandThatOutlivesItsTimeoutIsStopped() async throws {
        let session = try await testbed.connect(Testbed.name(5))
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: SSHError.self) {
            _ = try await session.exec("sleep 30", timeout: .seconds(1))
        }
        #expect(start.duration(to: clock.now) < .seconds(10))
        do {
            _ = try await session.exec("sleep 30", timeout: .milliseconds(300))
        } catch let error as SSHError {
            #expect(error.kind == .timeout)
            #expect(error.message.contains("timed out"))
        }
        await session.close()
    }
}
