import Yams

/// Reads `stages:` entries and their tasks.
struct StageParser {
    let reader: YAMLReader

    func stage(_ node: Node) throws(PlaybookError) -> Stage {
        let fields = try reader.fields(
            node, of: "a stage",
            allowed: ["name", "hosts", "serial", "max_fail_percentage", "on_batch_failure", "order", "pause", "tasks", "health"])
        let name = try fields["name"].map { node throws(PlaybookError) in try reader.string(node, "name") } ?? "stage"
        var onBatchFailure = BatchFailurePolicy.stop
        if let node = fields["on_batch_failure"] {
            let text = try reader.string(node, "on_batch_failure")
            guard let policy = BatchFailurePolicy(rawValue: text) else {
                throw reader.error("on_batch_failure must be stop or continue, not '\(text)'", at: node)
            }
            onBatchFailure = policy
        }
        let tasks = try taskList(try fields.require("tasks"), "tasks")
        return Stage(
            name: name,
            hosts: try fields["hosts"].map { node throws(PlaybookError) in try reader.template(node, "hosts") },
            serial: try fields["serial"].map { node throws(PlaybookError) in try serial(node) } ?? [.percent(100)],
            maxFailPercentage: try fields["max_fail_percentage"].map { node throws(PlaybookError) in
                try reader.percent(node, "max_fail_percentage")
            },
            onBatchFailure: onBatchFailure,
            order: try fields["order"].map { node throws(PlaybookError) in try order(node) } ?? .inventory,
            pause: try fields["pause"].map { node throws(PlaybookError) in try pause(node) },
            tasks: tasks,
            health: try fields["health"].map { node throws(PlaybookError) in try taskList(node, "health") } ?? [],
            position: fields.position)
    }

    func taskList(_ node: Node, _ what: String) throws(PlaybookError) -> [TaskSpec] {
        var tasks: [TaskSpec] = []
        for task in try reader.sequence(node, what) { tasks.append(try TaskParser(reader: reader).task(task)) }
        return tasks
    }

    /// `serial: 2`, `serial: "25%"` or `serial: [1, 5, "25%"]` (the last entry repeats).
    private func serial(_ node: Node) throws(PlaybookError) -> [BatchSize] {
        let entries = if case .sequence(let list) = node { Array(list) } else { [node] }
        guard !entries.isEmpty else { throw reader.error("serial must not be an empty list", at: node) }
        var sizes: [BatchSize] = []
        for entry in entries {
            switch try reader.value(entry) {
            case .int(let count) where count > 0: sizes.append(.count(count))
            case .string(let text) where text.hasSuffix("%"):
                guard let percent = Double(text.dropLast()), percent > 0, percent <= 100 else { fallthrough }
                sizes.append(.percent(percent))
            default: throw reader.error("serial takes a number of hosts (1 or more) or a percentage such as \"25%\"", at: entry)
            }
        }
        return sizes
    }

    /// `inventory`, `reverse_inventory`, `sorted`, `reverse_sorted`, `shuffle`, or `{group_by: VARIABLE}`.
    private func order(_ node: Node) throws(PlaybookError) -> HostOrder {
        if case .mapping = node {
            let fields = try reader.fields(node, of: "order", allowed: ["group_by"])
            return .grouped(by: try reader.string(try fields.require("group_by"), "group_by"))
        }
        let text = try reader.string(node, "order")
        switch text {
        case "inventory": return .inventory
        case "reverse_inventory": return .reverseInventory
        case "sorted": return .sorted
        case "reverse_sorted": return .reverseSorted
        case "shuffle", "shuffled": return .shuffled
        default:
            throw reader.error(
                "order must be inventory, reverse_inventory, sorted, reverse_sorted, shuffle or {group_by: VARIABLE}, not '\(text)'",
                at: node)
        }
    }

    /// `pause: 30s` or `pause: {prompt: "Go on with the next batch?"}`.
    private func pause(_ node: Node) throws(PlaybookError) -> Pause {
        if case .mapping = node {
            let fields = try reader.fields(node, of: "pause", allowed: ["prompt", "duration"])
            if let prompt = fields["prompt"] { return .prompt(try reader.string(prompt, "prompt")) }
            return .duration(try reader.duration(try fields.require("duration"), "duration"))
        }
        return .duration(try reader.duration(node, "pause"))
    }
}
