import Foundation

/// How one host fared in a run: the value every reporter and the exit status are built from.
public struct HostResult: Sendable {
    public enum Status: String, Sendable, Codable {
        case ok, failed, unreachable
    }

    /// What a job reports for its host.
    public struct Outcome: Sendable, Hashable {
        public var status: Status
        /// The host was modified (a file written, a mode fixed); false for read-only work.
        public var changed: Bool = false
        public var exitStatus: Int32?
        public var exitSignal: String?
        public var stdout: String = ""
        public var stderr: String = ""
        /// One line for the operator: why it failed, or what was done.
        public var message: String?
        /// A push's way to the host (`CopyDelivery.path`).
        public var copyPath: String?

        public init(
            status: Status, changed: Bool = false, exitStatus: Int32? = nil, exitSignal: String? = nil,
            stdout: String = "", stderr: String = "", message: String? = nil
        ) {
            self.status = status
            self.changed = changed
            self.exitStatus = exitStatus
            self.exitSignal = exitSignal
            self.stdout = stdout
            self.stderr = stderr
            self.message = message
        }

        public static func unreachable(message: String) -> Outcome { Outcome(status: .unreachable, message: message) }
        public static func failed(message: String) -> Outcome { Outcome(status: .failed, message: message) }
    }

    public var host: String
    public var outcome: Outcome
    public var duration: Duration

    public init(host: String, outcome: Outcome, duration: Duration) {
        self.host = host
        self.outcome = outcome
        self.duration = duration
    }

    public var status: Status { outcome.status }
}

/// Counts for the summary line and the exit status.
public struct RunSummary: Sendable, Equatable, Codable {
    public var ok = 0, changed = 0, failed = 0, unreachable = 0

    public init(_ results: [HostResult]) {
        for result in results {
            switch result.status {
            case .ok: ok += 1
            case .failed: failed += 1
            case .unreachable: unreachable += 1
            }
            if result.outcome.changed { changed += 1 }
        }
    }

    public var total: Int { ok + failed + unreachable }
    public var allSucceeded: Bool { failed == 0 && unreachable == 0 }
}
