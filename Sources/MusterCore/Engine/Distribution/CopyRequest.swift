import MusterSSH
import Synchronization

/// One host's copy as a copy task or `muster push` asks for it, with the host's open
/// session. Whether it goes direct or through a relay, it ends the same way: verified
/// on the host by SHA-256, given mode and owner, renamed into place.
public struct CopyRequest: Sendable {
    public var host: String
    public var session: SSHSession
    public var file: LocalFile
    public var destination: String
    public var mode: Int
    public var owner: String?
    public var timeout: Duration?
    /// Bytes of the copy as the controller sends them (not what a relay sends on).
    public var onBytesSent: @Sendable (Int) -> Void

    public init(
        host: String, session: SSHSession, file: LocalFile, destination: String, mode: Int, owner: String?, timeout: Duration?,
        onBytesSent: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.host = host
        self.session = session
        self.file = file
        self.destination = destination
        self.mode = mode
        self.owner = owner
        self.timeout = timeout
        self.onBytesSent = onBytesSent
    }

    /// The normal push from the controller: skipped when the host has the content.
    /// Not started once the second Ctrl-C cancelled the run (as a fallback might be).
    /// `writer` replaces the host-side `cat` (see `SSHSession.upload`): a relay's fan-out.
    func direct(writer: String? = nil) async throws -> UploadOutcome {
        try Task.checkCancellation()
        let sent = Mutex(0)
        let report = onBytesSent
        return try await session.upload(file, to: destination, mode: mode, owner: owner, timeout: timeout, writer: writer) { total in
            let delta = sent.withLock { last in
                defer { last = total }
                return total - last
            }
            if delta > 0 { report(delta) }
        }
    }

    /// `direct()` with the way it went named for the report.
    func direct(because reason: String?, writer: String? = nil) async throws -> CopyDelivery {
        let outcome = try await direct(writer: writer)
        return CopyDelivery(outcome: outcome, path: CopyPath.direct(outcome, because: reason))
    }
}

/// What a copy did on one host and which way its content came.
public struct CopyDelivery: Sendable {
    public var outcome: UploadOutcome
    /// `unchanged`, `direct`, `relay host003`, `direct (relay host003 failed: …)`, …
    public var path: String
}

/// The words of a copy's path, as the log, the reports and `muster show` print them.
enum CopyPath {
    static let unchanged = "unchanged"

    /// Content that went controller → host; nothing sent is `unchanged` whatever the plan was.
    static func direct(_ outcome: UploadOutcome, because reason: String? = nil) -> String {
        if case .uploaded = outcome { return reason.map { "direct (\($0))" } ?? "direct" }
        return unchanged
    }

    static func relay(_ relay: String) -> String { "relay \(relay)" }
}

/// A copy that did its work but could not take back what it lent a relay, or a relay
/// round that could not start; the message names the host and what is left.
public struct CopyFailure: Error, CustomStringConvertible {
    public var description: String
}
