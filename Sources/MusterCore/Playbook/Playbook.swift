/// Where something was written in a playbook, for messages that point at it.
public struct SourcePosition: Sendable, Hashable {
    public var source: String
    public var line: Int?
    public var column: Int?

    public init(source: String, line: Int? = nil, column: Int? = nil) {
        self.source = source
        self.line = line
        self.column = column
    }

    public func error(_ message: String) -> PlaybookError {
        PlaybookError(source: source, line: line, column: column, message: message)
    }

    /// The position `offset` characters further along the same line (inside a template).
    public func advanced(by offset: Int) -> SourcePosition {
        SourcePosition(source: source, line: line, column: column.map { $0 + offset })
    }
}

/// Text from the playbook that may hold `{{ }}` templates, with where it was written.
public struct TemplateText: Sendable, Hashable {
    public var text: String
    /// Where the text starts: the scalar's position (quoted scalars start one column later,
    /// block scalars on the line after `|` or `>`, column unknown).
    public var position: SourcePosition

    public init(_ text: String, at position: SourcePosition) {
        self.text = text
        self.position = position
    }
}

/// One play: which hosts, what to check on all of them at once, and the stages that
/// take them through the rollout in batches.
public struct Playbook: Sendable {
    public var path: String
    public var name: String
    /// The target hosts, as an Ansible host pattern.
    public var hosts: TemplateText
    /// Hosts whose facts the preflight compares against (the first HA server); they are
    /// contacted for facts only and never changed.
    public var referenceHosts: TemplateText?
    /// Play variables with where each was set: a text value's start (inside its quotes), or
    /// the key of a list or mapping.
    public var vars: [String: InventoryValue]
    public var varPositions: [String: SourcePosition]
    public var preflight: Preflight
    public var stages: [Stage]
}

/// What happens to hosts whose preflight found errors.
public enum PreflightPolicy: String, Sendable, Hashable {
    /// No host proceeds unless every host passes (the default: a half-joined HA network is worse than none).
    case allOrNothing = "all-or-nothing"
    /// Hosts that pass proceed; the others are reported as blocked.
    case perHost = "per-host"
}

public struct Preflight: Sendable {
    public var policy: PreflightPolicy
    public var checks: [CheckDeclaration]
}

/// A check as written: its parameters may still hold templates, rendered per host.
public struct CheckDeclaration: Sendable {
    public var name: String
    public var kind: CheckKind
    public var severity: CheckSeverity
    public var parameters: [String: InventoryValue]
    public var position: SourcePosition
}

/// How many hosts a batch takes: Ansible's `serial` entries.
public enum BatchSize: Sendable, Hashable {
    case count(Int)
    case percent(Double)

    /// The batch size for `total` hosts: percentages round down, never below one host.
    public func hosts(of total: Int) -> Int {
        switch self {
        case .count(let count): max(1, count)
        case .percent(let percent): max(1, Int((Double(total) * percent / 100).rounded(.down)))
        }
    }
}

/// The order a stage takes its hosts in before cutting them into batches.
public enum HostOrder: Sendable, Hashable {
    case inventory
    case reverseInventory
    case sorted
    case reverseSorted
    case shuffled
    /// Hosts with equal values of the variable stay together (e.g. one datacenter at a time),
    /// groups in order of first appearance.
    case grouped(by: String)
}

public enum BatchFailurePolicy: String, Sendable, Hashable {
    /// A batch in which every host failed ends the rollout, as in Ansible.
    case stop
    /// Go on with the next batch as long as `max_fail_percentage` allows.
    case `continue`
}

/// What happens between batches.
public enum Pause: Sendable, Hashable {
    case duration(Duration)
    /// Ask the operator to confirm on the terminal; without one the run stops there.
    case prompt(String)
}

/// A step of the rollout: tasks run on its hosts batch by batch.
public struct Stage: Sendable {
    public var name: String
    /// Narrows the play's hosts (e.g. only the load balancers); nil: all of them.
    public var hosts: TemplateText?
    public var serial: [BatchSize]
    /// Stop when more than this share of a batch failed; nil: no threshold (failed hosts drop out).
    public var maxFailPercentage: Double?
    public var onBatchFailure: BatchFailurePolicy
    public var order: HostOrder
    public var pause: Pause?
    public var tasks: [TaskSpec]
    /// Must pass on every host of a batch before the next batch starts.
    public var health: [TaskSpec]
    public var position: SourcePosition
}
