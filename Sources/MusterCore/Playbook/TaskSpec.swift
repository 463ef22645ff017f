/// One task of a stage, as written.
public struct TaskSpec: Sendable {
    public var name: String
    public var action: TaskAction
    /// A condition; the task is skipped on hosts where it is false.
    public var when: TemplateText?
    /// Keeps the task's result as a variable for later tasks on the same host.
    public var register: String?
    /// Runs over this host's session instead (a target or reference host), with the
    /// task's own host's variables: e.g. fetching the network token from the first server.
    public var delegateTo: TemplateText?
    /// Runs on the first host that reaches it, once for the whole run; every host shares the result.
    public var runOnce: Bool
    /// Runs through `sudo -n` when the login user is not root.
    public var become: Bool
    public var timeout: Duration?
    /// Tries again until `until` holds (after each try `delay` passes), at most `retries` more times.
    public var retries: Int
    public var delay: Duration
    public var until: TemplateText?
    /// Decides `changed` vs `ok` from the result (e.g. `false` for read-only commands).
    public var changedWhen: TemplateText?
    /// A failure is reported but does not fail the host.
    public var ignoreErrors: Bool
    public var position: SourcePosition
}

public enum TaskAction: Sendable {
    case run(RunAction)
    case copy(CopyAction)
    case fetch(FetchAction)
    case waitFor(WaitForAction)
    case expect(ExpectAction)
    case service(ServiceAction)
    case assert(AssertAction)

    /// The keyword that introduces the action in a playbook.
    public var keyword: String {
        switch self {
        case .run: "run"
        case .copy: "copy"
        case .fetch: "fetch"
        case .waitFor: "wait_for"
        case .expect: "expect"
        case .service: "service"
        case .assert: "assert"
        }
    }
}

public struct RunAction: Sendable {
    public var command: TemplateText
    /// Substituted values go in as they are instead of shell-quoted.
    public var raw: Bool
    /// Skipped when this path exists on the host.
    public var creates: TemplateText?
    /// Skipped when this command succeeds on the host.
    public var unless: TemplateText?
}

public struct CopyAction: Sendable {
    /// A file on the controller.
    public var source: TemplateText
    public var destination: TemplateText
    public var mode: Int32?
    public var owner: TemplateText?
    /// `distribute:` the file crosses each WAN link once, to a relay per group of hosts.
    public var distribute: CopyDistribution?
}

/// How a copy is spread over a batch: hosts grouped by an inventory variable (their
/// datacenter), one relay per group gets the file from the controller and sends it on
/// to the group's other hosts (docs/distribution.md).
public struct CopyDistribution: Sendable, Hashable {
    /// The variable whose value names a host's group (`datacenter` by default).
    public var groupBy: String

    public init(groupBy: String = "datacenter") { self.groupBy = groupBy }

    /// `per-datacenter` or `per-datacenter=VAR`, as `muster push --distribute` takes it;
    /// nil when the text is neither.
    public static func parse(_ text: String) -> CopyDistribution? {
        if text == "per-datacenter" { return CopyDistribution() }
        guard text.hasPrefix("per-datacenter="), case let name = String(text.dropFirst("per-datacenter=".count)),
            VariableName.isValid(name)
        else { return nil }
        return CopyDistribution(groupBy: name)
    }
}

public struct FetchAction: Sendable {
    public var source: TemplateText
    /// A path on the controller; may use `{{ inventory_hostname }}`.
    public var destination: TemplateText
    /// Written 0600 and never shown.
    public var secret: Bool
}

public struct WaitForAction: Sendable {
    public enum Condition: Sendable {
        case port(host: TemplateText?, port: Int)
        /// An HTTP(S) URL answering 2xx, optionally with JSON fields equal to given values.
        case url(TemplateText, json: [String: InventoryValue])
        case path(TemplateText)
        case process(TemplateText)
    }

    public var condition: Condition
    /// Wait for the opposite: the port closed, the file or process gone.
    public var absent: Bool
    public var timeout: Duration
}

public struct ExpectAction: Sendable {
    public struct Prompt: Sendable {
        public var pattern: String
        public var answer: TemplateText
        public var secret: Bool
        public var timeout: Duration
        public var position: SourcePosition
    }

    public var command: TemplateText
    public var prompts: [Prompt]
}

public struct ServiceAction: Sendable {
    public enum State: String, Sendable, CaseIterable {
        case started, stopped, restarted, status
    }

    public var name: TemplateText
    public var state: State
}

public struct AssertAction: Sendable {
    public var conditions: [TemplateText]
    public var failMessage: TemplateText?
}
