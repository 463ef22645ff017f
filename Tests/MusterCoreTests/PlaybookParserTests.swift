import Foundation
import Testing

@testable import MusterCore

/// The package root, found from this source file.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// Parses playbook text as `test.yml`.
func parsePlaybook(_ text: String, path: String = "test.yml") throws -> Playbook {
    try PlaybookParser.parse(text, path: path)
}

/// The error a playbook text is rejected with, or nil when it parses.
func playbookError(_ text: String, path: String = "test.yml") -> PlaybookError? {
    do {
        _ = try PlaybookParser.parse(text, path: path)
        return nil
    } catch {
        return error
    }
}

/// A playbook whose only task is `task` (indented as a list entry under `tasks:`).
func playbookWithTask(_ task: String) -> String {
    "hosts: web\nstages:\n  - tasks:\n"
        + task.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n")
        + "\n"
}

/// A playbook whose preflight has the given check list entries (indented under `checks:`).
func playbookWithChecks(_ checks: String) -> String {
    "hosts: web\npreflight:\n  checks:\n"
        + checks.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
        + "\nstages:\n  - tasks:\n      - run: 'true'\n"
}

/// A playbook with one stage whose extra keys are `stage` (indented as the stage's keys).
func playbookWithStage(_ stage: String) -> String {
    "hosts: web\nstages:\n  - name: s\n"
        + stage.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
        + "\n    tasks:\n      - run: 'true'\n"
}

@Suite struct PlaybookParserTests {
    // MARK: The shipped playbook

    static let haJoinPath = packageRoot + "/playbooks/ums-ha-join.yml"

    /// The 1-based line of the shipped playbook that starts with `prefix`, so that edits
    /// to the playbook's comments do not break the position checks.
    static func line(startingWith prefix: String) throws -> Int {
        let lines = try String(contentsOfFile: haJoinPath, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        return try #require(lines.firstIndex { $0.hasPrefix(prefix) }) + 1
    }

    @Test func haJoinPlaybookStructure() throws {
        let playbook = try PlaybookParser.load(path: Self.haJoinPath)
        #expect(playbook.name == "Add members to an IGEL UMS HA network")
        #expect(playbook.hosts.text == "ums_new")
        #expect(playbook.hosts.position.line == (try Self.line(startingWith: "hosts: ums_new")))
        #expect(playbook.referenceHosts?.text == "ums_first")
        #expect(playbook.vars["ums_install_path"] == .string("/opt/IGEL/RemoteManager"))
        #expect(playbook.vars["ums_bundle"] == .string("{{ ums_bundle_dir }}/setup-igel-ums-linux_{{ ums_version }}.bin"))
        if case .list(let systems) = playbook.vars["ums_supported_os"] {
            #expect(systems.count == 9)
            #expect(systems.first == .string("ubuntu 20.04"))
        } else {
            Issue.record("ums_supported_os is not a list")
        }
        #expect(playbook.varPositions["ums_install_path"]?.line == (try Self.line(startingWith: "  ums_install_path:")))
        #expect(playbook.varPositions["ums_install_path"]?.column == 21)
        #expect(playbook.varPositions["ums_bundle"]?.column == 16)  // inside the quotes
        #expect(playbook.varPositions["ums_supported_os"]?.line == (try Self.line(startingWith: "  ums_supported_os:")))
        #expect(playbook.varPositions["ums_supported_os"]?.column == 3)  // a list: its key

        #expect(playbook.preflight.policy == .allOrNothing)
        #expect(
            playbook.preflight.checks.map(\.name) == [
                "ssh_reachable", "os_supported", "resources", "dir_writable", "clock_skew", "same_version", "ha_port", "database",
                "same_subnet", "not_cloud", "token", "bundle",
            ])
        let database = try #require(playbook.preflight.checks.first { $0.name == "database" })
        #expect(database.kind == .portReachable)
        #expect(database.severity == .error)
        #expect(database.parameters["targets"] == .list([.string("{{ ums_db_host }}:{{ ums_db_port | default(5432) }}")]))
        let resources = try #require(playbook.preflight.checks.first { $0.kind == .resources })
        #expect(resources.parameters["min_memory_mb"] == .int(1024))
        #expect(resources.parameters["disk"] == .dict(["/opt": .int(1024), "/root": .int(1024)]))

        #expect(playbook.stages.map(\.name) == ["token", "push", "join"])
        let token = try #require(playbook.stages.first { $0.name == "token" })
        #expect(token.tasks.map(\.action.keyword) == ["fetch"])
        #expect(token.tasks.first?.runOnce == true)
        #expect(token.tasks.first?.delegateTo?.text == "{{ groups['ums_first'][0] }}")
        let push = try #require(playbook.stages.first { $0.name == "push" })
        #expect(push.serial == [.percent(100)])
        #expect(push.maxFailPercentage == nil)
        #expect(push.order == .inventory)
        #expect(push.tasks.map(\.action.keyword) == ["copy", "copy"])
        if case .copy(let copy) = push.tasks[0].action {
            #expect(copy.source.text == "{{ ums_bundle }}")
            #expect(copy.destination.text == "{{ ums_remote_bundle }}")
            #expect(copy.mode == 0o700)
            #expect(copy.owner?.text == "root")
            #expect(copy.distribute == CopyDistribution(groupBy: "datacenter"))
        } else {
            Issue.record("the first push task is not a copy")
        }
        if case .copy(let token) = push.tasks[1].action {
            #expect(token.distribute == nil, "the token goes direct")
        }

        let join = try #require(playbook.stages.first { $0.name == "join" })
        #expect(join.serial == [.count(1), .percent(50)])
        #expect(join.maxFailPercentage == 25)
        #expect(join.onBatchFailure == .stop)
        #expect(join.pause == nil)
        #expect(
            join.tasks.map(\.action.keyword) == ["run", "expect", "run", "assert", "service", "service", "service"])
        #expect(join.tasks[0].register == "existing")
        #expect(join.tasks[0].changedWhen?.text == "false")
        #expect(join.tasks[2].changedWhen?.text == "false")
        #expect(join.tasks[1].changedWhen == nil)
        #expect(join.tasks[1].when?.text == "('version=' ~ ums_version) not in existing.stdout_lines")
        #expect(join.tasks[1].timeout == .seconds(900))
        guard case .expect(let expect) = join.tasks[1].action else {
            Issue.record("the wizard task is not an expect task")
            return
        }
        #expect(expect.command.text == "{{ ums_remote_bundle }}")
        #expect(expect.prompts.count == 11)
        #expect(expect.prompts[0].pattern == #"Do you accept the license agreement\? \[y/n\] "#)
        #expect(expect.prompts[0].answer.text == "y")
        #expect(expect.prompts[0].timeout == .seconds(60))
        #expect(expect.prompts[10].timeout == .seconds(600))
        #expect(expect.prompts.allSatisfy { !$0.secret })
        #expect(join.tasks[3].name == "assert")
        if case .assert(let assert) = join.tasks[3].action {
            #expect(assert.conditions.map(\.text) == ["('version=' ~ ums_version) in installed.stdout_lines"])
            #expect(assert.failMessage?.text == "installed {{ installed.stdout }}, expected version={{ ums_version }}")
        }
        if case .service(let service) = join.tasks[4].action {
            #expect(service.name.text == "igelUMSbroker")
            #expect(service.state == .started)
        }

        #expect(join.health.map(\.action.keyword) == ["wait_for", "wait_for", "run", "run", "run"])
        if case .waitFor(let wait) = join.health[0].action, case .port(let host, let port) = wait.condition {
            #expect(host?.text == "{{ ansible_host }}")
            #expect(port == 61616)
            #expect(wait.timeout == .seconds(60))
            #expect(!wait.absent)
        } else {
            Issue.record("the first health check is not a port wait")
        }
        if case .waitFor(let wait) = join.health[1].action, case .url(let url, let json) = wait.condition {
            #expect(url.text == "https://{{ ansible_host }}:8443/ums/check-status")
            #expect(json == ["status": .string("ok")])
            #expect(wait.timeout == .seconds(180))
        } else {
            Issue.record("the second health check is not a URL wait")
        }
        let listed = join.health[4]
        #expect(listed.register == "network")
        #expect(listed.retries == 5)
        #expect(listed.delay == .seconds(2))
        #expect(listed.until?.text == "(network.stdout | regex_search('(?m)^' ~ inventory_hostname ~ ' ')) is not none")
        #expect(listed.changedWhen?.text == "false")
        #expect(join.health.allSatisfy { $0.changedWhen != nil || $0.action.keyword == "wait_for" })
    }

    // MARK: Defaults and accepted forms

    @Test func minimalPlaybookGetsDefaults() throws {
        let playbook = try parsePlaybook("hosts: web\nstages:\n  - tasks:\n      - run: echo hi\n", path: "/tmp/x/site.yml")
        #expect(playbook.name == "site.yml")
        #expect(playbook.referenceHosts == nil)
        #expect(playbook.vars.isEmpty)
        #expect(playbook.preflight.policy == .allOrNothing)
        #expect(playbook.preflight.checks.isEmpty)
        let stage = playbook.stages[0]
        #expect(stage.name == "stage")
        #expect(stage.hosts == nil)
        #expect(stage.serial == [.percent(100)])
        #expect(stage.onBatchFailure == .stop)
        #expect(stage.order == .inventory)
        #expect(stage.health.isEmpty)
        let task = stage.tasks[0]
        #expect(task.name == "run echo hi")
        #expect(task.retries == 0)
        #expect(task.delay == .seconds(5))
        #expect(task.timeout == nil)
        #expect(!task.runOnce && !task.become && !task.ignoreErrors)
        guard case .run(let run) = task.action else {
            Issue.record("not a run task")
            return
        }
        #expect(run.command.text == "echo hi")
        #expect(!run.raw)
        #expect(run.creates == nil && run.unless == nil)
    }

    @Test func serialForms() throws {
        #expect(try parsePlaybook(playbookWithStage("serial: 2")).stages[0].serial == [.count(2)])
        #expect(try parsePlaybook(playbookWithStage("serial: '25%'")).stages[0].serial == [.percent(25)])
        #expect(try parsePlaybook(playbookWithStage("serial: [1, 5, \"25%\"]")).stages[0].serial == [.count(1), .count(5), .percent(25)])
        #expect(try parsePlaybook(playbookWithStage("serial: 100%")).stages[0].serial == [.percent(100)])
        #expect(try parsePlaybook(playbookWithStage("serial: 12.5%")).stages[0].serial == [.percent(12.5)])
    }

    @Test func orderAndPauseForms() throws {
        #expect(try parsePlaybook(playbookWithStage("order: reverse_inventory")).stages[0].order == .reverseInventory)
        #expect(try parsePlaybook(playbookWithStage("order: sorted")).stages[0].order == .sorted)
        #expect(try parsePlaybook(playbookWithStage("order: reverse_sorted")).stages[0].order == .reverseSorted)
        #expect(try parsePlaybook(playbookWithStage("order: shuffle")).stages[0].order == .shuffled)
        #expect(try parsePlaybook(playbookWithStage("order: {group_by: datacenter}")).stages[0].order == .grouped(by: "datacenter"))
        #expect(try parsePlaybook(playbookWithStage("pause: 30s")).stages[0].pause == .duration(.seconds(30)))
        #expect(try parsePlaybook(playbookWithStage("pause: 1m30s")).stages[0].pause == .duration(.seconds(90)))
        #expect(try parsePlaybook(playbookWithStage("pause: {duration: 5}")).stages[0].pause == .duration(.seconds(5)))
        #expect(try parsePlaybook(playbookWithStage("pause: {prompt: Next?}")).stages[0].pause == .prompt("Next?"))
        #expect(try parsePlaybook(playbookWithStage("max_fail_percentage: 0")).stages[0].maxFailPercentage == 0)
        #expect(try parsePlaybook(playbookWithStage("max_fail_percentage: 12.5")).stages[0].maxFailPercentage == 12.5)
        #expect(try parsePlaybook(playbookWithStage("on_batch_failure: continue")).stages[0].onBatchFailure == .continue)
    }

    @Test func runTaskForms() throws {
        let mapped = try parsePlaybook(playbookWithTask("- run: {command: 'ls {{ d }}', raw: true, creates: /x, unless: test -e /y}"))
        guard case .run(let run) = mapped.stages[0].tasks[0].action else {
            Issue.record("not a run task")
            return
        }
        #expect(run.command.text == "ls {{ d }}")
        #expect(run.raw)
        #expect(run.creates?.text == "/x")
        #expect(run.unless?.text == "test -e /y")

        let onTask = try parsePlaybook(playbookWithTask("- run: make\n  creates: /out\n  raw: true\n  become: yes\n  run_once: true"))
        let task = onTask.stages[0].tasks[0]
        #expect(task.become && task.runOnce)
        guard case .run(let run) = task.action else { return }
        #expect(run.creates?.text == "/out")
        #expect(run.raw)
    }

    @Test func copyModes() throws {
        func mode(_ text: String) throws -> Int32? {
            let playbook = try parsePlaybook(playbookWithTask("- copy: {src: a, dest: /b, mode: \(text)}"))
            guard case .copy(let copy) = playbook.stages[0].tasks[0].action else { return nil }
            return copy.mode
        }
        #expect(try mode("0600") == 0o600)
        #expect(try mode("\"0600\"") == 0o600)
        #expect(try mode("'0755'") == 0o755)
        #expect(try mode("600") == 0o600)
        #expect(try mode("\"0o640\"") == 0o640)
    }

    @Test func waitForAndServiceForms() throws {
        let playbook = try parsePlaybook(
            playbookWithTask("- wait_for: {path: /tmp/ready, state: absent, timeout: 500ms}\n- service: {name: sshd, state: restarted}"))
        guard case .waitFor(let wait) = playbook.stages[0].tasks[0].action, case .path(let path) = wait.condition else {
            Issue.record("not a path wait")
            return
        }
        #expect(path.text == "/tmp/ready")
        #expect(wait.absent)
        #expect(wait.timeout == .milliseconds(500))
        #expect(playbook.stages[0].tasks[1].name == "service sshd restarted")
    }

    @Test func conditionsKeepBooleanLiterals() throws {
        let playbook = try parsePlaybook(playbookWithTask("- run: x\n  when: yes\n  changed_when: False\n  until: \"true\""))
        let task = playbook.stages[0].tasks[0]
        #expect(task.when?.text == "true")
        #expect(task.changedWhen?.text == "false")
        // A quoted "true" is an expression text, kept as written.
        #expect(task.until?.text == "true")
    }

    @Test func templatePositionsSkipTheOpeningQuote() throws {
        let playbook = try parsePlaybook("hosts: \"{{ target }}\"\nstages:\n  - tasks:\n      - run: 'echo {{ x }}'\n      - run: echo\n")
        #expect(playbook.hosts.position == SourcePosition(source: "test.yml", line: 1, column: 9))
        guard case .run(let quoted) = playbook.stages[0].tasks[0].action, case .run(let plain) = playbook.stages[0].tasks[1].action else {
            Issue.record("not run tasks")
            return
        }
        #expect(quoted.command.position == SourcePosition(source: "test.yml", line: 4, column: 15))
        #expect(plain.command.position == SourcePosition(source: "test.yml", line: 5, column: 14))
    }

    @Test func checkNamesAndSeverity() throws {
        let playbook = try parsePlaybook(
            playbookWithChecks(
                "- check: port_reachable\n  name: ha\n  ports: [61616]\n- check: port_reachable\n  ports: [22]\n  severity: warning"))
        #expect(playbook.preflight.checks.map(\.name) == ["ha", "port_reachable"])
        #expect(playbook.preflight.checks[1].severity == .warning)
        #expect(playbook.preflight.checks[0].position.line == 4)
    }

    // MARK: Bad input

    /// Expects `text` to be rejected at `line:column` with a message containing every one of `parts`.
    func expectError(
        _ text: String, line: Int?, column: Int?, _ parts: String..., path: String = "test.yml",
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        guard let error = playbookError(text, path: path) else {
            Issue.record("expected an error, but the playbook parsed", sourceLocation: sourceLocation)
            return
        }
        #expect(error.source == path, sourceLocation: sourceLocation)
        #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
        #expect(error.column == column, "\(error)", sourceLocation: sourceLocation)
        for part in parts {
            #expect(error.message.contains(part), "\(error.message)", sourceLocation: sourceLocation)
        }
    }

    @Test func unknownTopLevelKey() {
        expectError(
            "hosts: web\ntaks: []\nstages:\n  - tasks:\n      - run: x\n", line: 2, column: 1, "unknown key 'taks' in the playbook",
            "hosts", "stages")
    }

    @Test func unknownTaskKey() {
        expectError(playbookWithTask("- run: x\n  regsiter: out"), line: 5, column: 9, "unknown key 'regsiter' in a task", "register")
    }

    @Test func twoActionsInOneTask() {
        expectError(playbookWithTask("- name: both\n  run: x\n  service: {name: a, state: started}"), line: 4, column: 9, "run and service")
    }

    @Test func noAction() {
        expectError(playbookWithTask("- name: nothing\n  become: true"), line: 4, column: 9, "a task needs one action", "run", "wait_for")
    }

    @Test func unknownCheckName() {
        expectError(playbookWithChecks("- check: clock_skw"), line: 4, column: 14, "unknown check 'clock_skw'", "clock_skew")
    }

    @Test func checkParameterOfTheWrongTypePointsAtItsKey() {
        expectError(
            playbookWithChecks("- check: clock_skew\n  max_seconds: abc"), line: 5, column: 7, "check 'clock_skew'", "max_seconds", "abc")
    }

    @Test func unknownCheckParameter() {
        expectError(
            playbookWithChecks("- check: dir_writable\n  path: /root\n  mode: rw"), line: 6, column: 7,
            "unknown parameter 'mode' for dir_writable", "path")
    }

    @Test func missingCheckParameterPointsAtTheCheck() {
        expectError(playbookWithChecks("- check: bundle"), line: 4, column: 7, "bundle needs the parameter 'path'")
        expectError(playbookWithChecks("- check: port_reachable"), line: 4, column: 7, "port_reachable needs 'ports'")
    }

    @Test func duplicateCheckNames() {
        expectError(
            playbookWithChecks("- check: ssh_reachable\n- check: port_reachable\n  ports: [1]\n- check: port_reachable\n  ports: [2]"),
            line: 7, column: 7, "two checks are named 'port_reachable'", "name")
    }

    @Test func checkWithoutKind() {
        expectError(playbookWithChecks("- name: x"), line: 4, column: 7, "a check needs 'check: NAME'")
    }

    @Test func badSeverityAndPolicy() {
        expectError(
            playbookWithChecks("- check: ssh_reachable\n  severity: fatal"), line: 5, column: 17, "severity must be error or warning")
        expectError(
            "hosts: web\npreflight:\n  policy: some\nstages:\n  - tasks:\n      - run: x\n", line: 3, column: 11,
            "unknown preflight policy 'some'")
    }

    @Test(arguments: [("0", 13), ("\"0%\"", 13), ("abc", 13), ("[1, 0]", 17), ("-1", 13), ("\"150%\"", 13), ("\"x%\"", 13), ("true", 13)])
    func badSerial(value: String, column: Int) {
        expectError(playbookWithStage("serial: \(value)"), line: 4, column: column, "serial takes a number of hosts")
    }

    @Test func emptySerialList() {
        expectError(playbookWithStage("serial: []"), line: 4, column: 13, "serial must not be an empty list")
    }

    @Test(arguments: ["timeout: 10 minutes", "timeout: -5", "timeout: 5x", "delay: abc", "delay: '1m30q'", "timeout: [1]", "timeout: ''"])
    func badDurations(entry: String) {
        let key = String(entry.prefix { $0 != ":" })
        expectError(playbookWithTask("- run: x\n  \(entry)"), line: 5, column: 9 + key.count + 2, "\(key) must be a duration such as")
    }

    @Test func badPauseDuration() {
        expectError(playbookWithStage("pause: soon"), line: 4, column: 12, "pause must be a duration")
    }

    @Test(arguments: ["rw-r--r--", "\"0800\"", "99999", "u=rw"])
    func badMode(mode: String) {
        expectError(playbookWithTask("- copy: {src: a, dest: /b, mode: \(mode)}"), line: 4, column: 40, "mode must be octal")
    }

    @Test func invalidExpectRegex() {
        expectError(
            playbookWithTask("- expect:\n    command: setup\n    prompts:\n      - {match: 'Path [a-: ', answer: x}"), line: 7, column: 23,
            "match is not a valid regular expression")
    }

    @Test func expectWithoutPrompts() {
        expectError(
            playbookWithTask("- expect:\n    command: setup\n    prompts: []"), line: 6, column: 11, "expect needs at least one prompt")
    }

    @Test func wrongTypeForRetries() {
        expectError(playbookWithTask("- run: x\n  retries: many"), line: 5, column: 18, "retries must be a whole number")
        expectError(playbookWithTask("- run: x\n  retries: -1"), line: 5, column: 18, "retries must be at least 0")
        expectError(playbookWithTask("- run: x\n  become: sometimes"), line: 5, column: 17, "become must be true or false")
    }

    @Test func createsOnACopyTask() {
        expectError(
            playbookWithTask("- copy: {src: a, dest: /b}\n  creates: /b"), line: 5, column: 9, "'creates' only applies to run tasks")
        expectError(
            playbookWithTask("- service: {name: a, state: started}\n  raw: true"), line: 5, column: 9, "'raw' only applies to run tasks")
    }

    @Test func badServiceAndWaitFor() {
        expectError(
            playbookWithTask("- service: {name: a, state: running}"), line: 4, column: 35,
            "state must be one of started, stopped, restarted, status")
        expectError(
            playbookWithTask("- wait_for: {port: 22, path: /x}"), line: 4, column: 19,
            "wait_for needs exactly one of port, url, path or process")
        expectError(playbookWithTask("- wait_for: {port: 0}"), line: 4, column: 26, "port must be at least 1")
        expectError(playbookWithTask("- wait_for: {url: 'http://x', json: [1]}"), line: 4, column: 43, "json must be a mapping")
    }

    @Test func copyNeedsSourceAndDestination() {
        expectError(playbookWithTask("- copy: {src: a}"), line: 4, column: 15, "copy needs 'dest'")
    }

    @Test func badOrderAndBatchFailure() {
        expectError(playbookWithStage("order: random"), line: 4, column: 12, "order must be inventory", "not 'random'")
        expectError(playbookWithStage("order: {by: x}"), line: 4, column: 13, "unknown key 'by' in order")
        expectError(playbookWithStage("on_batch_failure: ignore"), line: 4, column: 23, "on_batch_failure must be stop or continue")
        expectError(
            playbookWithStage("max_fail_percentage: 120"), line: 4, column: 26, "max_fail_percentage must be a number from 0 to 100")
    }

    @Test func listOfPlays() {
        expectError("- hosts: web\n  stages: []\n", line: 1, column: 1, "one play", "not a list of plays")
    }

    @Test func emptyFile() {
        expectError("", line: nil, column: nil, "the playbook is empty")
        expectError("# only a comment\n", line: nil, column: nil, "the playbook is empty")
    }

    @Test func yamlSyntaxError() {
        let error = playbookError("hosts: web\nstages:\n  - tasks: [\n      - run: x\n")
        #expect(error?.source == "test.yml")
        #expect(error?.line != nil)
        #expect(error?.column != nil)
        #expect(error?.message.contains("invalid YAML") == true, "\(String(describing: error))")

        expectError("hosts: web\n  stages: x\n", line: 2, column: 9, "invalid YAML")
    }

    @Test func invalidRegisterName() {
        expectError(playbookWithTask("- run: x\n  register: my-result"), line: 5, column: 9, "'my-result' is not a valid variable name")
        expectError(playbookWithTask("- run: x\n  register: 1st"), line: 5, column: 9, "'1st' is not a valid variable name")
    }

    @Test func invalidVariableNameInVars() {
        expectError(
            "hosts: web\nvars:\n  good: 1\n  bad-name: 2\nstages:\n  - tasks:\n      - run: x\n", line: 4, column: 3,
            "'bad-name' is not a valid variable name")
        expectError(
            "hosts: web\nvars:\n  1x: 2\nstages:\n  - tasks:\n      - run: x\n", line: 3, column: 3, "'1x' is not a valid variable name")
        expectError("hosts: web\nvars: [a]\nstages:\n  - tasks:\n      - run: x\n", line: 2, column: 7, "vars must be a mapping")
    }

    @Test func missingHostsAndStages() {
        expectError("stages:\n  - tasks:\n      - run: x\n", line: 1, column: 1, "the playbook needs 'hosts'")
        expectError("hosts: web\n", line: 1, column: 1, "the playbook needs 'stages'")
        expectError("hosts: web\nstages: []\n", line: 2, column: 1, "a playbook needs at least one stage")
        expectError("hosts: web\nstages:\n  - name: s\n", line: 3, column: 5, "a stage needs 'tasks'")
        expectError("hosts: [a, b]\nstages:\n  - tasks:\n      - run: x\n", line: 1, column: 8, "hosts must be text, not a list")
    }

    @Test func errorsDescribeFileLineAndColumn() {
        let error = playbookError("hosts: web\nbogus: 1\nstages:\n  - tasks:\n      - run: x\n", path: "site.yml")
        #expect(error?.description.hasPrefix("site.yml:2:1: unknown key 'bogus'") == true, "\(String(describing: error))")
    }

    @Test func loadReportsAMissingFile() {
        #expect(throws: PlaybookError.self) { try PlaybookParser.load(path: "/nonexistent/playbook.yml") }
        do {
            _ = try PlaybookParser.load(path: "/nonexistent/playbook.yml")
        } catch {
            #expect(error.source == "/nonexistent/playbook.yml")
            #expect(error.message.contains("cannot read the playbook"))
        }
    }
}
