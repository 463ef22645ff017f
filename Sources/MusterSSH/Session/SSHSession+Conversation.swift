import CLibSSH2
import Foundation

/// The size of the pseudo-terminal a conversation runs on.
public struct TerminalSize: Sendable, Equatable {
    public var columns: Int
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }
}

/// Drives one interactive command over a pseudo-terminal, like `expect` (see `SSHSession.converse`).
///
/// Every method is called on the session's loop thread, one call at a time: keep them cheap.
/// The protocol is `Sendable` (implementations guard their state with a lock) because the
/// caller keeps its reference, to read a transcript or progress afterwards, while the session
/// actor drives it; handing it over with `sending` would take it away from the caller.
public protocol ConversationDriver: AnyObject, Sendable {
    /// The command is running; called once, before any output. Start per-prompt clocks here.
    func started()
    /// Output arrived (on a PTY stdout and stderr arrive merged on stdout). Returns bytes
    /// to type, possibly none. Throwing aborts the command.
    func received(_ bytes: ArraySlice<UInt8>) throws -> [UInt8]
    /// When the driver must be woken even if nothing arrives (a per-prompt timeout); nil: no deadline.
    var nextDeadline: ContinuousClock.Instant? { get }
    /// `nextDeadline` passed without output: throw to abort the command, or return bytes to
    /// type. The driver must then move or clear its deadline, or it is called again at once.
    func deadlinePassed() throws -> [UInt8]
    /// The command's output ended (EOF); called once, before the result is returned.
    func finished()
}

extension ConversationDriver {
    public func started() {}
    public func finished() {}
}

extension SSHSession {
    /// Runs `command` on a pseudo-terminal and lets `driver` answer what it prints.
    ///
    /// The result's `stdout` is the raw terminal output, which includes the terminal's echo
    /// of everything typed: when the driver types secrets, report the driver's own masked
    /// transcript instead. Past `timeout`, or when the driver throws, the channel is closed
    /// (which hangs up the terminal and ends the command) and the error propagates; the
    /// session stays usable.
    public func converse(
        _ command: String, terminal: TerminalSize = .init(columns: 200, rows: 50), timeout: Duration?,
        driver: some ConversationDriver
    ) async throws -> CommandResult {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        let channel = try await retrying(deadline: deadline) { muster_channel_open_session(raw) }
        defer { libssh2_channel_free(channel) }
        let pty = await retrying(deadline: deadline) {
            muster_channel_request_pty(channel, "xterm", Int32(clamping: terminal.columns), Int32(clamping: terminal.rows))
        }
        if pty != 0 { throw commandFailure("cannot get a pseudo-terminal", code: pty, timeout: timeout) }
        let started = await retrying(deadline: deadline) {
            muster_channel_exec(channel, command, UInt32(command.utf8.count))
        }
        if started != 0 { throw commandFailure("cannot start the command", code: started, timeout: timeout) }

        var result = CommandResult(exitStatus: nil, exitSignal: nil, stdout: [], stderr: [])
        do {
            try await talk(over: channel, with: driver, deadline: deadline, timeout: timeout, into: &result)
        } catch {
            _ = await retrying(deadline: .now + .seconds(2)) { libssh2_channel_close(channel) }
            throw error
        }
        driver.finished()
        _ = await retrying(deadline: deadline) { libssh2_channel_close(channel) }
        _ = await retrying(deadline: deadline) { libssh2_channel_wait_closed(channel) }
        (result.exitStatus, result.exitSignal) = exitDetails(of: channel)
        return result
    }

    /// Feeds output to the driver and types its replies until the output ends. Sleeps until
    /// the socket is ready, the overall deadline or the driver's deadline, whichever is first.
    private func talk(
        over channel: OpaquePointer, with driver: some ConversationDriver,
        deadline: ContinuousClock.Instant?, timeout: Duration?, into result: inout CommandResult
    ) async throws {
        var pump = ConversationPump()
        driver.started()
        while true {
            let step: ChannelPump.Step
            do {
                step = try pump.step(channel: channel, buffer: loop.readBuffer) { stream, bytes in
                    let chunk = ArraySlice(bytes)
                    if stream == .stdout { result.stdout.append(contentsOf: chunk) } else { result.stderr.append(contentsOf: chunk) }
                    return try driver.received(chunk)
                }
            } catch let error as SSHError {
                throw located(error)
            }
            if step.finished { return }
            let now = ContinuousClock.now
            if let deadline, now >= deadline {
                throw commandFailure("command", code: LIBSSH2_ERROR_TIMEOUT, timeout: timeout)
            }
            if let due = driver.nextDeadline, now >= due {
                pump.type(try driver.deadlinePassed())
                continue
            }
            if step.progressed {
                await loop.yieldToOthers()
                continue
            }
            let wakeAt = [deadline, driver.nextDeadline].compactMap { $0 }.min()
            do {
                try await waitForSocket(until: wakeAt)
            } catch {
                // A passed deadline is handled at the top of the loop; anything else is cancellation.
                guard let wakeAt, ContinuousClock.now >= wakeAt else { throw error }
            }
        }
    }
}

/// The read/write state of one conversation channel, advanced without ever blocking.
///
/// Unlike `ChannelPump` it never sends EOF: input is typed as the driver decides, and
/// the command's end is what ends the conversation.
struct ConversationPump {
    private var typing: [UInt8] = []
    private var typed = 0
    private var remoteStoppedReading = false

    mutating func type(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, !remoteStoppedReading else { return }
        typing.append(contentsOf: bytes)
    }

    /// Reads what has arrived on both streams, handing each piece to `deliver` and queueing
    /// the bytes it returns, then types what the window allows.
    mutating func step(
        channel: OpaquePointer, buffer: UnsafeMutableBufferPointer<UInt8>,
        deliver: (OutputStream, UnsafeBufferPointer<UInt8>) throws -> [UInt8]
    ) throws -> ChannelPump.Step {
        var step = ChannelPump.Step()
        // A driver's error (a timed-out prompt, say) ends the conversation after this read.
        var driverError: Error?
        let atEnd = try ChannelPump.drain(channel: channel, buffer: buffer, step: &step) { stream, bytes in
            guard driverError == nil else { return }
            do { type(try deliver(stream, bytes)) } catch { driverError = error }
        }
        if let driverError { throw driverError }
        try write(channel: channel, step: &step)
        step.finished = atEnd
        return step
    }

    private mutating func write(channel: OpaquePointer, step: inout ChannelPump.Step) throws(SSHError) {
        while typed < typing.count && !remoteStoppedReading {
            let written = typing.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { muster_channel_write(channel, $0.baseAddress! + typed, $0.count - typed) }
            }
            if written == LIBSSH2_ERROR_EAGAIN { return }
            if written < 0 {
                // The command has gone (it exited, or closed the terminal): what is left has no reader.
                if libssh2_channel_eof(channel) != 0 || written == LIBSSH2_ERROR_CHANNEL_CLOSED || written == LIBSSH2_ERROR_CHANNEL_EOF_SENT
                {
                    remoteStoppedReading = true
                    break
                }
                throw SSHError(.disconnected, "connection lost while typing (libssh2 error \(written))", code: Int32(written))
            }
            typed += written
            step.sentInput += written
            step.progressed = true
        }
        if typed == typing.count || remoteStoppedReading {
            typing.removeAll(keepingCapacity: true)
            typed = 0
        }
    }
}
