import Foundation
import MusterSSH

extension TaskExecutor {
    /// `run`: skipped when `creates` exists or `unless` succeeds; otherwise the command
    /// runs (values shell-quoted unless `raw`) and counts as changed when it exits 0.
    func run(_ action: RunAction, task: TaskSpec) async throws -> Outcome {
        let renderer = context.renderer
        if let creates = action.creates {
            let path = try renderer.text(creates)
            let check = try await context.session.exec("test -e " + ShellQuote.quote(path), timeout: task.timeout)
            if check.succeeded { return Outcome(status: .skipped, message: "\(path) exists") }
        }
        if let unless = action.unless {
            let check = try await context.session.exec(
                context.privileged(try renderer.shell(unless, raw: action.raw), become: task.become), timeout: task.timeout)
            if check.succeeded { return Outcome(status: .skipped, message: "'\(unless.text)' succeeded") }
        }
        return try await command(try renderer.shell(action.command, raw: action.raw), timeout: task.timeout, become: task.become).1
    }

    /// `copy`: checksummed and atomic; unchanged files are not sent. With `distribute`,
    /// the batch's hosts of one datacenter share one relay (`DistributionRound`).
    func copy(_ action: CopyAction, task: TaskSpec) async throws -> Outcome {
        let renderer = context.renderer
        let source = context.controllerPath(try renderer.text(action.source))
        let destination = try renderer.text(action.destination)
        let file: LocalFile
        do { file = try await context.files.file(source) } catch let error as SSHError { throw TaskFailure(message: error.message) }
        let request = CopyRequest(
            host: context.host, session: context.session, file: file, destination: destination, mode: Int(action.mode ?? 0o644),
            owner: try action.owner.map(renderer.text), timeout: task.timeout, onBytesSent: context.onBytesSent)
        let delivery: CopyDelivery
        do {
            if action.distribute != nil, let round = context.distribution {
                delivery = try await round.copy(request)
            } else {
                delivery = try await request.direct(because: nil)
            }
        } catch let failure as CopyFailure { throw TaskFailure(message: failure.description) }
        var outcome: Outcome
        switch delivery.outcome {
        case .unchanged:
            // A file only its owner may read (a token) is not described, not even by a hash prefix.
            let described = (action.mode ?? 0o644) & 0o077 == 0 ? "" : " (sha256 \(file.sha256.prefix(12)))"
            outcome = Outcome(status: .ok, message: "\(destination) unchanged\(described)")
        case .attributesChanged: outcome = Outcome(status: .changed, message: "\(destination): mode/owner corrected")
        case .uploaded(let bytes):
            outcome = Outcome(status: .changed, message: "\(destination): \(ByteCount.format(bytes)) sent and verified")
        }
        outcome.copyPath = delivery.path
        return outcome
    }

    /// `fetch`: a remote file to the controller; secrets are written 0600 and never shown.
    func fetch(_ action: FetchAction, task: TaskSpec) async throws -> Outcome {
        let renderer = context.renderer
        let source = try renderer.text(action.source)
        let destination = context.controllerPath(try renderer.text(action.destination))
        let data: Data
        do { data = try await context.session.download(source) } catch let error as SSHError where !error.isUnreachable {
            throw TaskFailure(message: error.message)
        }
        let existing = FileManager.default.contents(atPath: destination)
        if existing == data { return Outcome(status: .ok, message: "\(destination) unchanged") }
        try FileManager.default.createDirectory(
            atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let mode: mode_t = action.secret ? 0o600 : 0o644
        let descriptor = open(destination, O_WRONLY | O_CREAT | O_TRUNC, mode)
        guard descriptor >= 0 else { throw TaskFailure(message: "\(destination): cannot write: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        fchmod(descriptor, mode)
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == data.count else { throw TaskFailure(message: "\(destination): short write") }
        return Outcome(status: .changed, message: "\(destination): \(ByteCount.format(data.count)) fetched" + (action.secret ? " (secret, 0600)" : ""))
    }

    /// `service`: through systemd when the host has the unit, else /etc/init.d; `started`
    /// and `stopped` do nothing when the service already is.
    func service(_ action: ServiceAction, task: TaskSpec) async throws -> Outcome {
        let name = try context.renderer.text(action.name)
        let result = try await context.session.exec(
            context.privileged(ServiceScript.make(name: name, state: action.state), become: task.become), timeout: task.timeout ?? .seconds(120))
        let output = result.stdoutText
        if !result.succeeded {
            let why = OutputTail.lastLine(result.stderrText) ?? OutputTail.lastLine(output) ?? "exit status \(result.exitStatus ?? -1)"
            throw TaskFailure(message: "\(name) \(action.state.rawValue): \(why)", exitStatus: result.exitStatus, stdout: output, stderr: result.stderrText)
        }
        let unchanged = output.contains(ServiceScript.unchangedMarker) || action.state == .status
        return Outcome(
            status: unchanged ? .ok : .changed,
            message: action.state == .status ? "\(name) is running" : "\(name) \(unchanged ? "already " : "")\(action.state.rawValue)",
            stdout: output.replacingOccurrences(of: ServiceScript.unchangedMarker + "\n", with: ""))
    }

    /// `assert`: every condition must hold; evaluated on the controller, no round trip.
    func assert(_ action: AssertAction) throws -> Outcome {
        let renderer = context.renderer
        for condition in action.conditions where try !renderer.condition(condition) {
            let message = try action.failMessage.map(renderer.text) ?? "assertion failed: \(condition.text)"
            throw TaskFailure(message: message)
        }
        return Outcome(status: .ok, message: "all assertions passed")
    }
}

/// The shell script behind `service`.
enum ServiceScript {
    static let unchangedMarker = "muster: service unchanged"

    static func make(name: String, state: ServiceAction.State) -> String {
        let unit = ShellQuote.quote(name)
        let initScript = ShellQuote.quote("/etc/init.d/" + name)
        let run = """
            if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ] && systemctl cat \(unit) >/dev/null 2>&1; then
              svc() { systemctl "$1" \(unit); }; running() { systemctl is-active --quiet \(unit); }
            elif [ -x \(initScript) ]; then
              svc() { \(initScript) "$1"; }; running() { \(initScript) status >/dev/null 2>&1; }
            else echo \(ShellQuote.quote("no systemd unit or /etc/init.d script named " + name)) >&2; exit 3; fi
            """
        switch state {
        case .started: return run + "\nif running; then echo '\(unchangedMarker)'; else svc start; fi"
        case .stopped: return run + "\nif running; then svc stop; else echo '\(unchangedMarker)'; fi"
        case .restarted: return run + "\nsvc restart"
        case .status: return run + "\nsvc status"
        }
    }
}
