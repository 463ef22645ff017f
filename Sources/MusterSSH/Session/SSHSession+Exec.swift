import CLibSSH2
import Foundation

/// The outcome of one remote command.
public struct CommandResult: Sendable {
    /// The exit status; nil when the command died from a signal or none was reported.
    public var exitStatus: Int32?
    /// The signal name (TERM, KILL, …) when the command was killed by one.
    public var exitSignal: String?
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public var succeeded: Bool { exitStatus == 0 && exitSignal == nil }
    /// How the command ended, for messages: `exit status 3`, `killed by SIGKILL`.
    public var ending: String {
        exitSignal.map { "killed by SIG\($0)" } ?? "exit status \(exitStatus.map(String.init) ?? "unknown")"
    }
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

public enum OutputStream: Sendable { case stdout, stderr }

extension SSHSession {
    /// Runs `command` through the user's shell on the host.
    ///
    /// `stdin` is streamed to the command while stdout and stderr are drained together,
    /// so megabytes on either side never stall the other. `onOutput` sees output as it
    /// arrives (on the session's loop thread: keep it cheap); `onInputProgress` sees the
    /// count of stdin bytes sent so far. Past `timeout` the channel is closed and
    /// `.timeout` is thrown.
    public func exec(
        _ command: String, stdin: Data = Data(), timeout: Duration? = nil,
        onOutput: (@Sendable (OutputStream, ArraySlice<UInt8>) -> Void)? = nil,
        onInputProgress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> CommandResult {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        let channel = try await retrying(deadline: deadline) { muster_channel_open_session(raw) }
        defer { libssh2_channel_free(channel) }
        let started = await retrying(deadline: deadline) {
            muster_channel_exec(channel, command, UInt32(command.utf8.count))
        }
        if started != 0 { throw commandFailure("cannot start the command", code: started, timeout: timeout) }

        var result = CommandResult(exitStatus: nil, exitSignal: nil, stdout: [], stderr: [])
        var pump = ChannelPump(input: stdin)
        while true {
            let step: ChannelPump.Step
            do {
                step = try pump.step(channel: channel, buffer: loop.readBuffer) { stream, bytes in
                    if stream == .stdout { result.stdout.append(contentsOf: bytes) } else { result.stderr.append(contentsOf: bytes) }
                    onOutput?(stream, ArraySlice(bytes))
                }
            } catch {
                throw located(error)
            }
            if step.sentInput > 0 { onInputProgress?(pump.inputOffset) }
            if step.finished { break }
            if let deadline, ContinuousClock.now >= deadline {
                throw commandFailure("command", code: LIBSSH2_ERROR_TIMEOUT, timeout: timeout)
            }
            if step.progressed {
                // A slice is done: let the other sessions on this loop have the thread.
                await loop.yieldToOthers()
                continue
            }
            do {
                try await waitForSocket(until: deadline)
            } catch {
                throw commandFailure("command", code: LIBSSH2_ERROR_TIMEOUT, timeout: timeout)
            }
        }
        _ = await retrying(deadline: deadline) { libssh2_channel_close(channel) }
        _ = await retrying(deadline: deadline) { libssh2_channel_wait_closed(channel) }
        (result.exitStatus, result.exitSignal) = exitDetails(of: channel)
        return result
    }

    func commandFailure(_ what: String, code: Int32, timeout: Duration?) -> SSHError {
        if code == LIBSSH2_ERROR_TIMEOUT, let timeout {
            return SSHError(.timeout, "\(endpoint): command timed out after \(timeout.formatted())")
        }
        return failure(.channel, what, code: code)
    }

    func exitDetails(of channel: OpaquePointer) -> (Int32?, String?) {
        var name: UnsafeMutablePointer<CChar>?
        var nameLength = 0
        libssh2_channel_get_exit_signal(channel, &name, &nameLength, nil, nil, nil, nil)
        if let name {
            defer { libssh2_free(raw, name) }
            return (nil, String(cString: name))
        }
        return (libssh2_channel_get_exit_status(channel), nil)
    }
}

/// The read/write state of one exec channel, advanced without ever blocking.
///
/// Each step moves at most `sliceLimit` bytes in each direction, so one busy transfer
/// hands the loop thread back to the other sessions every few hundred kilobytes.
struct ChannelPump {
    static let sliceLimit = 512 * 1024

    struct Step {
        var progressed = false
        var finished = false
        var sentInput = 0
    }

    let input: Data
    private(set) var inputOffset = 0
    private var eofSent = false
    private var remoteStoppedReading = false

    init(input: Data) { self.input = input }

    /// Writes what the window allows, reads whatever has arrived on both streams, and
    /// reports whether anything moved and whether the remote side has finished.
    mutating func step(
        channel: OpaquePointer, buffer: UnsafeMutableBufferPointer<UInt8>,
        deliver: (OutputStream, UnsafeBufferPointer<UInt8>) -> Void
    ) throws(SSHError) -> Step {
        var step = Step()
        try writeInput(channel: channel, step: &step)
        step.finished = try Self.drain(channel: channel, buffer: buffer, step: &step, deliver: deliver)
        return step
    }

    /// Reads what has arrived on stdout and stderr (at most `sliceLimit` bytes of each),
    /// handing each piece to `deliver`; true once both streams and the channel are at EOF.
    /// Shared with `ConversationPump`, which differs only in how it writes.
    static func drain(
        channel: OpaquePointer, buffer: UnsafeMutableBufferPointer<UInt8>, step: inout Step,
        deliver: (OutputStream, UnsafeBufferPointer<UInt8>) -> Void
    ) throws(SSHError) -> Bool {
        var streamsAtEnd = 0
        for stream in [OutputStream.stdout, .stderr] {
            let id: Int32 = stream == .stdout ? 0 : SSH_EXTENDED_DATA_STDERR
            var received = 0
            while received < sliceLimit {
                let count = buffer.withMemoryRebound(to: CChar.self) { muster_channel_read(channel, id, $0.baseAddress, $0.count) }
                if count > 0 {
                    deliver(stream, UnsafeBufferPointer(rebasing: buffer[0..<count]))
                    received += count
                    step.progressed = true
                    continue
                }
                if count == 0 {
                    streamsAtEnd += 1
                } else if count != LIBSSH2_ERROR_EAGAIN {
                    throw SSHError(
                        .disconnected, "connection lost while reading command output (libssh2 error \(count))", code: Int32(count))
                }
                break
            }
        }
        return streamsAtEnd == 2 && libssh2_channel_eof(channel) != 0
    }

    private mutating func writeInput(channel: OpaquePointer, step: inout Step) throws(SSHError) {
        let sliceEnd = min(input.count, inputOffset + Self.sliceLimit)
        while inputOffset < sliceEnd && !remoteStoppedReading {
            let chunk = sliceEnd - inputOffset
            let written = input.withUnsafeBytes { bytes in
                muster_channel_write(channel, bytes.baseAddress!.advanced(by: inputOffset).assumingMemoryBound(to: CChar.self), chunk)
            }
            if written == LIBSSH2_ERROR_EAGAIN { return }
            if written < 0 {
                // The command exited or closed stdin before reading it all (e.g. `true`): not our error.
                if libssh2_channel_eof(channel) != 0 || written == LIBSSH2_ERROR_CHANNEL_CLOSED || written == LIBSSH2_ERROR_CHANNEL_EOF_SENT
                {
                    remoteStoppedReading = true
                    return
                }
                throw SSHError(.disconnected, "connection lost while sending data (libssh2 error \(written))", code: Int32(written))
            }
            inputOffset += written
            step.sentInput += written
            step.progressed = true
        }
        if !eofSent && (inputOffset == input.count || remoteStoppedReading) {
            let rc = libssh2_channel_send_eof(channel)
            if rc == LIBSSH2_ERROR_EAGAIN { return }
            eofSent = true
            step.progressed = true
        }
    }
}
