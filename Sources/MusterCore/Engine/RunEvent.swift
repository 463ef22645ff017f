/// What the engine reports as it goes, for the live display and the log.
public enum RunEvent: Sendable {
    case preflightStarted(targets: Int, references: Int)
    case checksFinished(host: String, results: [CheckResult], reference: Bool)
    case preflightFinished(blocked: [String], policy: PreflightPolicy)
    case stageStarted(stage: String, batches: [[String]])
    case batchStarted(stage: String, number: Int, of: Int, hosts: [String])
    case taskStarted(host: String, task: String)
    case taskFinished(host: String, result: TaskResult)
    /// More of a copy reached a host (bytes since the last report), for throughput.
    case bytesSent(host: String, bytes: Int)
    case batchFinished(BatchRecord)
    case pausing(String)
    /// A distributed copy's group starts its relay round: the relay and the hosts it sends to.
    case distributing(String)
    case stopping(String)
    /// `--check`: one line of the plan, for the hosts of a batch it is the same for.
    case planned(hosts: [String], stage: String, batch: Int, line: String)
}

/// A task's place in a playbook, stable across runs of the same playbook.
public struct TaskKey: Sendable, Hashable {
    public var stage: Int
    public var task: Int

    public init(stage: Int, task: Int) {
        self.stage = stage
        self.task = task
    }
}

/// How a run is carried out, as the operator asked on the command line.
public struct RunSettings: Sendable {
    public var checkMode = false
    /// Only the preflight (`muster check`).
    public var preflightOnly = false
    public var ignorePreflight: Set<String> = []
    public var forks = 50
    public var extraVars: [String: InventoryValue] = [:]
    /// `--resume`: per host, the tasks (stage index, task index) that completed ok or
    /// changed in the run being resumed; they are not run again.
    public var completedTasks: [String: Set<TaskKey>] = [:]
    /// The run being resumed, for the skipped tasks' messages.
    public var resumedRun: String?
    /// Answers a `pause: {prompt: …}` between batches; false stops the rollout.
    public var confirm: @Sendable (String) -> Bool = { _ in false }

    public init() {}
}
