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
    case stopping(String)
    /// `--check`: one line of the plan, for the hosts of a batch it is the same for.
    case planned(hosts: [String], stage: String, batch: Int, line: String)
}

/// How a run is carried out, as the operator asked on the command line.
public struct RunSettings: Sendable {
    public var checkMode = false
    /// Only the preflight (`muster check`).
    public var preflightOnly = false
    public var ignorePreflight: Set<String> = []
    public var forks = 50
    public var extraVars: [String: InventoryValue] = [:]
    /// Answers a `pause: {prompt: …}` between batches; false stops the rollout.
    public var confirm: @Sendable (String) -> Bool = { _ in false }

    public init() {}
}
