/// Checks every template and condition of a playbook against the hosts' variables
/// before any host is contacted: syntax errors and undefined variables are bad input.
struct PlaybookValidation {
    let playbook: Playbook

    /// Names defined while the run goes: registered results and what `until` sees.
    private var runtimeNames: Set<String> {
        var names: Set<String> = ["result"]
        for stage in playbook.stages {
            for task in stage.tasks + stage.health { if let name = task.register { names.insert(name) } }
        }
        return names
    }

    /// Task templates are checked against the targets' variables; check parameters against
    /// the references' too, since the preflight renders them for every host it probes.
    func check(scopes: [HostScope], references: [HostScope] = []) throws(PlaybookError) {
        var required: [(TemplateText, Set<String>)] = []
        var checkRequired: [(TemplateText, Set<String>)] = []
        let checkTemplates = Set(checkParameterTemplates().map(\.text))
        for (template, isCondition) in templates() {
            do {
                let names =
                    isCondition
                    ? try TemplateExpression(parsing: template.text).requiredVariables
                    : try Template(parsing: template.text).requiredVariables
                required.append((template, names.subtracting(runtimeNames)))
                if checkTemplates.contains(template.text) { checkRequired.append((template, names)) }
            } catch {
                throw Renderer.position(of: error, in: template).error(error.message)
            }
        }
        let all = scopes.map { ($0, required) } + references.map { ($0, checkRequired) }
        for (scope, required) in all {
            let defined = scope.names
            for (template, names) in required {
                if let missing = names.subtracting(defined).sorted().first {
                    throw template.position.error(
                        "undefined variable '\(missing)' for host \(scope.host) (not set by the inventory, the playbook's vars or -e)")
                }
            }
        }
    }

    private func checkParameterTemplates() -> [TemplateText] {
        playbook.preflight.checks.flatMap { check in
            check.parameters.values.flatMap { strings(in: $0) }.map { TemplateText($0, at: check.position) }
        }
    }

    /// Every template of the playbook, and whether it is a bare condition.
    func templates() -> [(TemplateText, Bool)] {
        var all: [(TemplateText, Bool)] = []
        func text(_ template: TemplateText?) { if let template { all.append((template, false)) } }
        func condition(_ template: TemplateText?) { if let template { all.append((template, true)) } }
        for stage in playbook.stages { for task in stage.tasks + stage.health { text(task.delegateTo) } }
        for check in playbook.preflight.checks {
            for value in check.parameters.values { strings(in: value).forEach { text(TemplateText($0, at: check.position)) } }
        }
        for stage in playbook.stages {
            for task in stage.tasks + stage.health {
                condition(task.when)
                condition(task.until)
                condition(task.changedWhen)
                switch task.action {
                case .run(let run): [run.command, run.creates, run.unless].forEach(text)
                case .copy(let copy): [copy.source, copy.destination, copy.owner].forEach(text)
                case .fetch(let fetch): [fetch.source, fetch.destination].forEach(text)
                case .waitFor(let wait):
                    switch wait.condition {
                    case .port(let host, _): text(host)
                    case .url(let url, _): text(url)
                    case .path(let path): text(path)
                    case .process(let process): text(process)
                    }
                case .expect(let expect):
                    text(expect.command)
                    expect.prompts.forEach { text($0.answer) }
                case .service(let service): text(service.name)
                case .assert(let assert):
                    assert.conditions.forEach(condition)
                    text(assert.failMessage)
                }
            }
        }
        return all
    }

    private func strings(in value: InventoryValue) -> [String] {
        switch value {
        case .string(let text): [text]
        case .list(let items): items.flatMap(strings)
        case .dict(let dictionary): dictionary.flatMap { strings(in: $0.value) }
        default: []
        }
    }
}
