import Yams

/// Reads one task: common keys plus exactly one action key.
struct TaskParser {
    let reader: YAMLReader

    static let actions = ["run", "copy", "fetch", "wait_for", "expect", "service", "assert"]
    static let common = [
        "name", "when", "changed_when", "register", "delegate_to", "run_once", "become", "timeout", "retries", "delay", "until", "ignore_errors",
        "creates", "unless", "raw",
    ]

    func task(_ node: Node) throws(PlaybookError) -> TaskSpec {
        let fields = try reader.fields(node, of: "a task", allowed: Self.common + Self.actions)
        let present = Self.actions.filter { fields[$0] != nil }
        guard present.count == 1, let keyword = present.first else {
            let message =
                present.isEmpty
                ? "a task needs one action (\(Self.actions.joined(separator: ", ")))"
                : "a task has one action, not \(present.joined(separator: " and "))"
            throw fields.position.error(message)
        }
        let actionNode = try fields.require(keyword)
        if keyword != "run", let extra = ["creates", "unless", "raw"].first(where: { fields[$0] != nil }) {
            throw fields.keyPosition(extra).error("'\(extra)' only applies to run tasks")
        }
        let action = try self.action(keyword, actionNode, fields)
        let register = try fields["register"].map { node throws(PlaybookError) in try reader.string(node, "register") }
        if let register, !VariableName.isValid(register) {
            throw fields.keyPosition("register").error("'\(register)' is not a valid variable name")
        }
        return TaskSpec(
            name: try fields["name"].map { node throws(PlaybookError) in try reader.string(node, "name") } ?? defaultName(action),
            action: action,
            when: try fields["when"].map { node throws(PlaybookError) in try condition(node, "when") },
            register: register,
            delegateTo: try fields["delegate_to"].map { node throws(PlaybookError) in try reader.template(node, "delegate_to") },
            runOnce: try fields["run_once"].map { node throws(PlaybookError) in try reader.bool(node, "run_once") } ?? false,
            become: try fields["become"].map { node throws(PlaybookError) in try reader.bool(node, "become") } ?? false,
            timeout: try fields["timeout"].map { node throws(PlaybookError) in try reader.duration(node, "timeout") },
            retries: try fields["retries"].map { node throws(PlaybookError) in try reader.int(node, "retries", minimum: 0) } ?? 0,
            delay: try fields["delay"].map { node throws(PlaybookError) in try reader.duration(node, "delay") } ?? .seconds(5),
            until: try fields["until"].map { node throws(PlaybookError) in try condition(node, "until") },
            changedWhen: try fields["changed_when"].map { node throws(PlaybookError) in try condition(node, "changed_when") },
            ignoreErrors: try fields["ignore_errors"].map { node throws(PlaybookError) in try reader.bool(node, "ignore_errors") } ?? false,
            position: fields.position)
    }

    /// Conditions are bare expressions (`result.rc == 0`); a boolean literal is accepted too.
    private func condition(_ node: Node, _ what: String) throws(PlaybookError) -> TemplateText {
        if case .scalar(let scalar) = node, scalar.style == .plain, case .bool(let flag) = try reader.value(node) {
            return TemplateText(flag ? "true" : "false", at: reader.position(node.mark))
        }
        return try reader.template(node, what)
    }

    private func defaultName(_ action: TaskAction) -> String {
        switch action {
        case .run(let run): "run " + run.command.text
        case .copy(let copy): "copy " + copy.destination.text
        case .fetch(let fetch): "fetch " + fetch.source.text
        case .waitFor: "wait_for"
        case .expect(let expect): "expect " + expect.command.text
        case .service(let service): "service \(service.name.text) \(service.state.rawValue)"
        case .assert: "assert"
        }
    }

    private func action(_ keyword: String, _ node: Node, _ task: YAMLReader.Fields) throws(PlaybookError) -> TaskAction {
        switch keyword {
        case "run": return .run(try run(node, task))
        case "copy":
            let fields = try reader.fields(node, of: "copy", allowed: ["src", "dest", "mode", "owner", "distribute"])
            return .copy(
                CopyAction(
                    source: try reader.template(try fields.require("src"), "src"),
                    destination: try reader.template(try fields.require("dest"), "dest"),
                    mode: try fields["mode"].map { node throws(PlaybookError) in try mode(node) },
                    owner: try fields["owner"].map { node throws(PlaybookError) in try reader.template(node, "owner") },
                    distribute: try fields["distribute"].map { node throws(PlaybookError) in
                        try distribute(node, key: fields.keyPosition("distribute"), task: task)
                    }))
        case "fetch":
            let fields = try reader.fields(node, of: "fetch", allowed: ["src", "dest", "secret"])
            return .fetch(
                FetchAction(
                    source: try reader.template(try fields.require("src"), "src"),
                    destination: try reader.template(try fields.require("dest"), "dest"),
                    secret: try fields["secret"].map { node throws(PlaybookError) in try reader.bool(node, "secret") } ?? false))
        case "wait_for": return .waitFor(try waitFor(node))
        case "expect": return .expect(try expect(node))
        case "service":
            let fields = try reader.fields(node, of: "service", allowed: ["name", "state"])
            let stateNode = try fields.require("state")
            let text = try reader.string(stateNode, "state")
            guard let state = ServiceAction.State(rawValue: text) else {
                throw reader.error(
                    "state must be one of \(ServiceAction.State.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'", at: stateNode)
            }
            return .service(ServiceAction(name: try reader.template(try fields.require("name"), "name"), state: state))
        default:
            let fields = try reader.fields(node, of: "assert", allowed: ["that", "fail_msg"])
            let that = try fields.require("that")
            let conditions =
                if case .sequence(let list) = that {
                    try list.map { node throws(PlaybookError) in try condition(node, "that") }
                } else { [try condition(that, "that")] }
            return .assert(
                AssertAction(
                    conditions: conditions,
                    failMessage: try fields["fail_msg"].map { node throws(PlaybookError) in try reader.template(node, "fail_msg") }))
        }
    }

    /// `run: COMMAND` or `run: {command: COMMAND, raw: true}`; `creates`, `unless` and `raw` may sit on the task too.
    private func run(_ node: Node, _ task: YAMLReader.Fields) throws(PlaybookError) -> RunAction {
        var action: RunAction
        if case .mapping = node {
            let fields = try reader.fields(node, of: "run", allowed: ["command", "raw", "creates", "unless"])
            action = RunAction(
                command: try reader.template(try fields.require("command"), "command"),
                raw: try fields["raw"].map { node throws(PlaybookError) in try reader.bool(node, "raw") } ?? false,
                creates: try fields["creates"].map { node throws(PlaybookError) in try reader.template(node, "creates") },
                unless: try fields["unless"].map { node throws(PlaybookError) in try reader.template(node, "unless") })
        } else {
            action = RunAction(command: try reader.template(node, "run"), raw: false, creates: nil, unless: nil)
        }
        if let node = task["raw"] { action.raw = try reader.bool(node, "raw") }
        if let node = task["creates"] { action.creates = try reader.template(node, "creates") }
        if let node = task["unless"] { action.unless = try reader.template(node, "unless") }
        return action
    }

    /// `distribute: per-datacenter` or `distribute: {per: VAR}`. The hosts of a batch
    /// meet at the task to share one relay per group, so a task that runs once, on
    /// another host, or again until a condition holds cannot be distributed.
    private func distribute(_ node: Node, key: SourcePosition, task: YAMLReader.Fields) throws(PlaybookError) -> CopyDistribution {
        if let conflict = ["run_once", "delegate_to", "until", "retries"].first(where: { task[$0] != nil }) {
            throw key.error("distribute cannot be combined with '\(conflict)': the batch's hosts share one relay per group")
        }
        if case .mapping = node {
            let fields = try reader.fields(node, of: "distribute", allowed: ["per"])
            let perNode = try fields.require("per")
            let name = try reader.string(perNode, "per")
            guard VariableName.isValid(name) else { throw reader.error("per must name an inventory variable, not '\(name)'", at: perNode) }
            return CopyDistribution(groupBy: name)
        }
        let text = try reader.string(node, "distribute")
        guard text == "per-datacenter" else {
            throw reader.error("distribute must be per-datacenter or {per: VARIABLE}, not '\(text)'", at: node)
        }
        return CopyDistribution()
    }

    /// `0600` (YAML 1.1 reads it as octal), `"0600"` or `"u=rw"`-free octal text only.
    private func mode(_ node: Node) throws(PlaybookError) -> Int32 {
        switch try reader.value(node) {
        case .int(let number) where (0...0o7777).contains(number):
            if case .scalar(let scalar) = node, scalar.string.hasPrefix("0") || scalar.string.hasPrefix("0o") { return Int32(number) }
            // A bare 600 is almost certainly meant as octal; Ansible warns, we accept it as octal.
            if let octal = Int32(String(number), radix: 8) { return octal }
            return Int32(number)
        case .string(let text):
            if let octal = Int32(text.hasPrefix("0o") ? String(text.dropFirst(2)) : text, radix: 8), (0...0o7777).contains(octal) {
                return octal
            }
            fallthrough
        default: throw reader.error("mode must be octal, such as \"0600\"", at: node)
        }
    }

    private func waitFor(_ node: Node) throws(PlaybookError) -> WaitForAction {
        let fields = try reader.fields(node, of: "wait_for", allowed: ["port", "host", "url", "json", "path", "process", "state", "timeout"])
        let kinds = ["port", "url", "path", "process"].filter { fields[$0] != nil }
        guard kinds.count == 1 else { throw fields.position.error("wait_for needs exactly one of port, url, path or process") }
        let condition: WaitForAction.Condition
        switch kinds[0] {
        case "port":
            condition = .port(
                host: try fields["host"].map { node throws(PlaybookError) in try reader.template(node, "host") },
                port: try reader.int(try fields.require("port"), "port", minimum: 1))
        case "url":
            var json: [String: InventoryValue] = [:]
            if let node = fields["json"] {
                guard case .dict(let dictionary) = try reader.value(node) else { throw reader.error("json must be a mapping of field: value", at: node) }
                for (key, value) in dictionary { json[key] = value }
            }
            condition = .url(try reader.template(try fields.require("url"), "url"), json: json)
        case "path": condition = .path(try reader.template(try fields.require("path"), "path"))
        default: condition = .process(try reader.template(try fields.require("process"), "process"))
        }
        var absent = false
        if let node = fields["state"] {
            let text = try reader.string(node, "state")
            switch text {
            case "present", "started": absent = false
            case "absent", "stopped": absent = true
            default: throw reader.error("state must be present, started, absent or stopped, not '\(text)'", at: node)
            }
        }
        return WaitForAction(
            condition: condition, absent: absent,
            timeout: try fields["timeout"].map { node throws(PlaybookError) in try reader.duration(node, "timeout") } ?? .seconds(300))
    }

    private func expect(_ node: Node) throws(PlaybookError) -> ExpectAction {
        let fields = try reader.fields(node, of: "expect", allowed: ["command", "prompts", "timeout"])
        let defaultTimeout = try fields["timeout"].map { node throws(PlaybookError) in try reader.duration(node, "timeout") } ?? .seconds(60)
        var prompts: [ExpectAction.Prompt] = []
        for entry in try reader.sequence(try fields.require("prompts"), "prompts") {
            let prompt = try reader.fields(entry, of: "a prompt", allowed: ["match", "answer", "secret", "timeout"])
            let patternNode = try prompt.require("match")
            let pattern = try reader.string(patternNode, "match")
            if let problem = ExpectDriver.validate(pattern: pattern) {
                throw reader.error("match is not a valid regular expression: \(problem)", at: patternNode)
            }
            prompts.append(
                ExpectAction.Prompt(
                    pattern: pattern,
                    answer: try reader.template(try prompt.require("answer"), "answer"),
                    secret: try prompt["secret"].map { node throws(PlaybookError) in try reader.bool(node, "secret") } ?? false,
                    timeout: try prompt["timeout"].map { node throws(PlaybookError) in try reader.duration(node, "timeout") } ?? defaultTimeout,
                    position: prompt.position))
        }
        if prompts.isEmpty { throw fields.keyPosition("prompts").error("expect needs at least one prompt") }
        return ExpectAction(command: try reader.template(try fields.require("command"), "command"), prompts: prompts)
    }
}
