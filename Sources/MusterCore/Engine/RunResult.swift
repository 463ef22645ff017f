import Foundation

/// How one task went on one host, as Ansible's recap counts it.
public enum TaskStatus: String, Sendable, Hashable, Codable {
    case ok, changed, skipped, failed, unreachable
}

/// One task on one host.
public struct TaskResult: Sendable {
    public var task: String
    public var stage: String
    /// 1-based batch number within the stage; 0 for preflight work.
    public var batch: Int
    public var status: TaskStatus
    /// Why it failed or was skipped, or what changed; never a secret.
    public var message: String
    public var started: Date
    public var duration: Duration
    public var exitStatus: Int32?
    /// The last part of the output, secrets masked.
    public var stdoutTail: String
    public var stderrTail: String
    /// A failure that `ignore_errors` let pass.
    public var ignored: Bool
    /// An `expect` task's whole conversation, secret answers masked.
    public var transcript: String?
    /// Where the task sits in the playbook (the stage's place in `stages`, the task's in
    /// its list; health tasks count from 1000), so a later run can tell which tasks of an
    /// earlier one completed even when names repeat. Nil for work that is no playbook task
    /// (connecting).
    public var stageIndex: Int?
    public var taskIndex: Int?
    /// A copy's way to the host: `unchanged`, `direct`, `relay host003`,
    /// `direct (relay host003 failed: …)` (`CopyPath`); nil for other tasks.
    public var copyPath: String?

    public init(
        task: String, stage: String, batch: Int, status: TaskStatus, message: String = "", started: Date = Date(),
        duration: Duration = .zero, exitStatus: Int32? = nil, stdoutTail: String = "", stderrTail: String = "", ignored: Bool = false
    ) {
        self.task = task
        self.stage = stage
        self.batch = batch
        self.status = status
        self.message = message
        self.started = started
        self.duration = duration
        self.exitStatus = exitStatus
        self.stdoutTail = stdoutTail
        self.stderrTail = stderrTail
        self.ignored = ignored
        transcript = nil
    }
}

/// Where a host ended up.
public enum HostState: String, Sendable, Hashable, Codable {
    /// Every task it reached went well.
    case ok
    case failed
    case unreachable
    /// Preflight errors kept it (or, under all-or-nothing, the whole rollout) from starting.
    case blocked
    /// Its batch never started (an earlier batch failed, or the run was interrupted).
    case notRun = "not-run"
}

/// One target host's whole run.
public struct HostRun: Sendable {
    public var host: String
    public var checks: [CheckResult]
    public var tasks: [TaskResult]
    public var state: HostState
    /// The first failure's message, for the recap.
    public var failure: String?

    public init(host: String) {
        self.host = host
        checks = []
        tasks = []
        state = .ok
    }

    public func count(_ status: TaskStatus) -> Int { tasks.filter { $0.status == status && !$0.ignored }.count }
}

/// A batch as it ran.
public struct BatchRecord: Sendable {
    public var stage: String
    public var number: Int
    public var hosts: [String]
    public var failed: [String]
    /// Hosts whose health gates failed (among `failed`).
    public var unhealthy: [String] = []
    public var duration: Duration

    public init(stage: String, number: Int, hosts: [String], failed: [String], unhealthy: [String] = [], duration: Duration) {
        self.stage = stage
        self.number = number
        self.hosts = hosts
        self.failed = failed
        self.unhealthy = unhealthy
        self.duration = duration
    }
}

/// Why the rollout stopped early.
public enum RunStop: Sendable, Hashable {
    case preflightBlocked
    case batchFailed(stage: String, batch: Int, reason: String)
    case interrupted
    case declined(stage: String, batch: Int)
}

/// Everything a run did, for the recap, the exit status and (later) reports.
public struct RunResult: Sendable {
    public var playbook: String
    public var hosts: [HostRun]
    /// Reference hosts' check results (facts only; they are never changed).
    public var references: [HostRun]
    public var batches: [BatchRecord]
    /// Names of error checks `--ignore-preflight` turned into warnings.
    public var ignoredChecks: [String]
    public var stop: RunStop?
    public var checkMode: Bool
    public var duration: Duration

    public init(
        playbook: String, hosts: [HostRun], references: [HostRun] = [], batches: [BatchRecord] = [], ignoredChecks: [String] = [],
        stop: RunStop? = nil, checkMode: Bool = false, duration: Duration
    ) {
        self.playbook = playbook
        self.hosts = hosts
        self.references = references
        self.batches = batches
        self.ignoredChecks = ignoredChecks
        self.stop = stop
        self.checkMode = checkMode
        self.duration = duration
    }

    /// 0 all ok, 1 some host failed or was unreachable, 3 preflight blocked the rollout, 130 interrupted.
    public var exitStatus: Int32 {
        if stop == .interrupted { return 130 }
        if stop == .preflightBlocked { return 3 }
        return hosts.allSatisfy { $0.state == .ok } ? 0 : 1
    }
}
