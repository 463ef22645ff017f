import Foundation
import Testing

@testable import MusterCore

/// A hand-built inventory: a load balancer, three web servers in two datacenters, a database.
func sampleInventory(allVars: [String: InventoryValue] = [:]) -> Inventory {
    func host(_ name: String, _ groups: [String], _ vars: [String: InventoryValue]) -> InventoryHost {
        InventoryHost(name: name, vars: allVars.merging(vars) { _, own in own }, groups: groups)
    }
    let hosts = [
        host("lb1", ["lbs"], ["datacenter": "fra", "ansible_host": "10.0.0.1"]),
        host("web1", ["web"], ["datacenter": "fra"]),
        host("web2", ["web"], ["datacenter": "ber"]),
        host("web3", ["web"], ["datacenter": "fra", "port": 8080]),
        host("db1", ["dbs"], ["datacenter": "ber"]),
    ]
    let groups: [String: InventoryGroup] = [
        "all": InventoryGroup(name: "all", children: ["lbs", "web", "dbs", "ungrouped"]),
        "ungrouped": InventoryGroup(name: "ungrouped"),
        "lbs": InventoryGroup(name: "lbs", hosts: ["lb1"]),
        "web": InventoryGroup(name: "web", hosts: ["web1", "web2", "web3"]),
        "dbs": InventoryGroup(name: "dbs", hosts: ["db1"]),
    ]
    return Inventory(hosts: hosts, groups: groups)
}

@Suite struct RunPlanTests {
    /// A plan for `playbook` text (parsed as `/play/site.yml`) on the sample inventory.
    func plan(
        _ playbook: String, limit: String? = nil, extraVars: [String: InventoryValue] = [:], inventory: Inventory = sampleInventory()
    ) throws -> RunPlan {
        try RunPlan.make(
            playbook: try PlaybookParser.parse(playbook, path: "/play/site.yml"), inventory: inventory, limit: limit, extraVars: extraVars)
    }

    func planError(
        _ playbook: String, limit: String? = nil, extraVars: [String: InventoryValue] = [:], inventory: Inventory = sampleInventory()
    ) -> PlaybookError? {
        do {
            _ = try plan(playbook, limit: limit, extraVars: extraVars, inventory: inventory)
            return nil
        } catch let error as PlaybookError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    /// A play on `hosts` with `head` before the stages and `task` as the only task.
    func play(hosts: String = "web", _ head: String = "", task: String = "- run: 'true'") -> String {
        "hosts: \(hosts)\n" + head + "stages:\n  - tasks:\n"
            + task.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n") + "\n"
    }

    func value(_ plan: RunPlan, _ host: String, _ name: String) -> InventoryValue? {
        plan.scopes[host]?.lookup(name)
    }

    // MARK: Which hosts

    @Test func hostsPatternSelectsTargets() throws {
        #expect(try plan(play()).targets == ["web1", "web2", "web3"])
        #expect(try plan(play(hosts: "web:dbs")).targets == ["web1", "web2", "web3", "db1"])
        #expect(try plan(play(hosts: "web:!web2")).targets == ["web1", "web3"])
        #expect(try plan(play(hosts: "all")).targets == ["lb1", "web1", "web2", "web3", "db1"])
        #expect(try plan(play(hosts: "'web[0]'")).targets == ["web1"])
        #expect(try plan(play(hosts: "'*1'")).targets == ["lb1", "web1", "db1"])
    }

    @Test func hostsPatternMaySeePlayVarsAndExtraVars() throws {
        #expect(try plan(play(hosts: "'{{ tier }}'", "vars: {tier: dbs}\n")).targets == ["db1"])
        #expect(try plan(play(hosts: "'{{ tier }}'", "vars: {tier: dbs}\n"), extraVars: ["tier": "lbs"]).targets == ["lb1"])
    }

    @Test func limitIntersects() throws {
        #expect(try plan(play(), limit: "web1,web3,db1").targets == ["web1", "web3"])
        #expect(try plan(play(), limit: "fra_only:web1").targets.isEmpty == false)
        #expect(try plan(play(hosts: "all"), limit: "!web").targets == ["lb1", "db1"])
    }

    @Test func limitThatExcludesEveryTarget() {
        let error = planError(play(), limit: "db1")
        #expect(error?.source == "/play/site.yml")
        #expect(error?.line == 1)
        #expect(error?.column == 8)
        #expect(error?.message == "no host matches 'web' with --limit 'db1' in the inventory")
    }

    @Test func noMatchingHostPointsAtHosts() {
        let error = planError("name: x\nhosts: nosuchgroup\nstages:\n  - tasks:\n      - run: 'true'\n")
        #expect(error?.line == 2)
        #expect(error?.column == 8)
        #expect(error?.message == "no host matches 'nosuchgroup' in the inventory")
    }

    @Test func badHostPatternPointsAtHosts() {
        let error = planError(play(hosts: "'web[x]'"))
        #expect(error?.line == 1)
        #expect(error?.column == 9)
    }

    @Test func referenceHostsExcludeTargets() throws {
        let plan = try plan(play(hosts: "web", "reference_hosts: 'web1:db1:lb1'\n"))
        #expect(plan.targets == ["web1", "web2", "web3"])
        // In the pattern's order, as Ansible lists them.
        #expect(plan.references == ["db1", "lb1"])
        // References get scopes (for facts) and see the targets.
        #expect(value(plan, "db1", "play_hosts") == .list(["web1", "web2", "web3"]))
        #expect(value(plan, "web1", "reference_hosts") == .list(["db1", "lb1"]))
    }

    @Test func referenceHostsThatAreAllTargets() throws {
        #expect(try plan(play(hosts: "web", "reference_hosts: web1\n")).references.isEmpty)
    }

    @Test func referenceHostsMatchingNothing() {
        let error = planError(play(hosts: "web", "reference_hosts: nosuch\n"))
        #expect(error?.line == 2)
        #expect(error?.column == 18)
        #expect(error?.message == "no host matches reference_hosts 'nosuch' in the inventory")
    }

    @Test func magicVariables() throws {
        let plan = try plan(play(hosts: "all"))
        #expect(value(plan, "web1", "inventory_hostname") == "web1")
        #expect(value(plan, "web1", "inventory_hostname_short") == "web1")
        #expect(value(plan, "web1", "group_names") == .list(["web"]))
        #expect(value(plan, "web1", "ansible_host") == "web1")
        #expect(value(plan, "lb1", "ansible_host") == "10.0.0.1")
        #expect(value(plan, "web1", "playbook_dir") == "/play")
        #expect(plan.baseDirectory == "/play")
        if case .dict(let groups) = value(plan, "web1", "groups") {
            #expect(groups["web"] == .list(["web1", "web2", "web3"]))
            #expect(groups["all"] == .list(["lb1", "web1", "web2", "web3", "db1"]))
        } else {
            Issue.record("groups is not a mapping")
        }
    }

    // MARK: Templates checked before any host is contacted

    @Test func undefinedVariableInATask() {
        let error = planError(play(task: "- name: deploy\n  run: 'deploy --to {{ target_dir }}'"))
        #expect(error?.source == "/play/site.yml")
        #expect(error?.line == 5)
        #expect(error?.column == 15)
        #expect(error?.message.contains("undefined variable 'target_dir'") == true, "\(String(describing: error))")
        #expect(error?.message.contains("host web1") == true, "\(String(describing: error))")
    }

    @Test func undefinedVariableOnOneHostOnly() {
        // web3 alone sets `port`.
        let error = planError(play(task: "- run: 'serve {{ port }}'"))
        #expect(error?.message.contains("undefined variable 'port' for host web1") == true, "\(String(describing: error))")
        #expect(planError(play(hosts: "web3", task: "- run: 'serve {{ port }}'")) == nil)
    }

    @Test func undefinedVariablesInConditionsAndChecks() {
        let condition = planError(play(task: "- run: x\n  when: missing_flag"))
        #expect(condition?.line == 5)
        #expect(condition?.column == 15)
        #expect(condition?.message.contains("'missing_flag'") == true)

        let check = planError(
            play("preflight:\n  checks:\n    - check: bundle\n      path: '{{ bundle_dir }}/x.bin'\n"))
        #expect(check?.line == 4)
        #expect(check?.message.contains("'bundle_dir'") == true, "\(String(describing: check))")
    }

    @Test func registeredVariablesAreNotReported() throws {
        let text = play(task: "- run: hostname\n  register: out\n- run: 'echo {{ out.stdout }}'\n  when: out.rc == 0")
        #expect(throws: Never.self) { try plan(text) }
        let untilResult = play(task: "- run: x\n  retries: 2\n  until: result.rc == 0")
        #expect(throws: Never.self) { try plan(untilResult) }
    }

    @Test func defaultGuardsUndefinedVariables() throws {
        #expect(throws: Never.self) { try plan(play(task: "- run: \"serve {{ port | default(80) }}\"")) }
        #expect(throws: Never.self) { try plan(play(task: "- run: x\n  when: flag is defined and flag")) }
        // The fallback itself must be defined.
        let error = planError(play(task: "- run: \"serve {{ port | default(fallback) }}\""))
        #expect(error?.message.contains("'fallback'") == true, "\(String(describing: error))")
    }

    @Test func templateSyntaxErrorPointsIntoTheTemplate() {
        let error = planError(play(task: "- run: 'echo {{ x + }}'"))
        #expect(error?.line == 4)
        #expect(error?.column.map { $0 > 14 } == true, "\(String(describing: error))")
    }

    // MARK: Variables

    @Test func precedenceExtraOverPlayOverInventory() throws {
        let inventory = sampleInventory(allVars: ["a": "inventory", "b": "inventory", "c": "inventory"])
        let plan = try plan(play("vars: {b: play, c: play}\n"), extraVars: ["c": "extra"], inventory: inventory)
        #expect(value(plan, "web1", "a") == "inventory")
        #expect(value(plan, "web1", "b") == "play")
        #expect(value(plan, "web1", "c") == "extra")
    }

    @Test func playVarsResolvedInDependencyOrder() throws {
        let inventory = sampleInventory(allVars: ["c": "base"])
        let plan = try plan(
            play("vars:\n  a: \"{{ b }}-x\"\n  b: \"{{ c }}\"\n  z: \"{{ a }}/{{ y }}\"\n  y: \"{{ inventory_hostname }}\"\n"),
            inventory: inventory)
        #expect(value(plan, "web1", "a") == "base-x")
        #expect(value(plan, "web1", "b") == "base")
        #expect(value(plan, "web2", "z") == "base-x/web2")
        // -e values feed play vars too.
        let extra = try self.plan(play("vars:\n  a: \"{{ b }}-x\"\n  b: \"{{ c }}\"\n"), extraVars: ["c": "cli"], inventory: inventory)
        #expect(value(extra, "web3", "a") == "cli-x")
    }

    @Test func playVarsKeepTypes() throws {
        let plan = try plan(play("vars:\n  ports: [80, 443]\n  first: '{{ ports[0] }}'\n  all: '{{ ports }}'\n"))
        #expect(value(plan, "web1", "first") == .int(80))
        #expect(value(plan, "web1", "all") == .list([80, 443]))
    }

    @Test func perHostValuesInPlayVars() throws {
        let plan = try plan(play("vars:\n  where: \"{{ datacenter }}-{{ port | default(80) }}\"\n"))
        #expect(value(plan, "web1", "where") == "fra-80")
        #expect(value(plan, "web2", "where") == "ber-80")
        #expect(value(plan, "web3", "where") == "fra-8080")
    }

    @Test func selfReferencingVariable() {
        let error = planError(play("vars:\n  a: \"{{ a }}-x\"\n"))
        #expect(error?.source == "/play/site.yml")
        #expect(error?.line == 3)
        #expect(error?.column == 7)
        #expect(error?.message == "variable 'a' refers to itself: a -> a")

        let cycle = planError(play("vars:\n  a: \"{{ b }}\"\n  b: \"{{ a }}\"\n"))
        #expect(cycle?.message.contains("refers to itself: a -> b -> a") == true, "\(String(describing: cycle))")
    }

    @Test func undefinedVariableInPlayVarsPointsAtTheValue() {
        let error = planError(play("vars:\n  bundle: \"{{ bundle_dir }}/x.bin\"\n", task: "- run: 'ls {{ bundle }}'"))
        #expect(error?.line == 3)
        #expect(error?.column == 15)
        #expect(error?.message == "undefined variable 'bundle_dir' (in variable 'bundle' for host web1)")

        let unquoted = planError(play("vars:\n  bundle: x/{{ bundle_dir }}\n"))
        #expect(unquoted?.line == 3)
        #expect(unquoted?.column == 16)

        let syntax = planError(play("vars:\n  bundle: '{{ a + }}'\n"))
        #expect(syntax?.line == 3)
        #expect(syntax?.column.map { $0 > 14 } == true, "\(String(describing: syntax))")

        // Inside a list the column of the string is not known: the line only.
        let inList = planError(play("vars:\n  dirs: ['/a', '{{ bundle_dir }}']\n"))
        #expect(inList?.line == 3)
        #expect(inList?.column == nil)
        #expect(inList?.message == "undefined variable 'bundle_dir' (in variable 'dirs' for host web1)")
    }

    // MARK: Stages

    @Test func stageHostsNarrowAndOrder() throws {
        let text = """
            hosts: all
            stages:
              - name: lbs
                hosts: lbs
                tasks: [{run: 'true'}]
              - name: not a target
                hosts: 'web2:nosuch'
                tasks: [{run: 'true'}]
              - name: by datacenter
                hosts: '!lbs'
                order: {group_by: datacenter}
                tasks: [{run: 'true'}]
              - name: sorted
                order: reverse_sorted
                tasks: [{run: 'true'}]
            """
        let plan = try plan(text, limit: "!web2")
        #expect(plan.targets == ["lb1", "web1", "web3", "db1"])
        #expect(plan.stageHosts[0] == ["lb1"])
        #expect(plan.stageHosts[1] == [])
        #expect(plan.stageHosts[2] == ["web1", "web3", "db1"])
        #expect(plan.stageHosts[3] == ["web3", "web1", "lb1", "db1"])

        let all = try self.plan(text)
        #expect(all.stageHosts[2] == ["web1", "web3", "web2", "db1"])
    }

    @Test func groupByPlayVariable() throws {
        let text = """
            hosts: web
            vars:
              zone: "{{ {'web2': 'even'}[inventory_hostname] | default('odd') }}"
            stages:
              - order: {group_by: zone}
                tasks: [{run: 'true'}]
            """
        #expect(try plan(text).stageHosts[0] == ["web1", "web3", "web2"])
    }

    @Test func haJoinPlaybookOnTheTestbedInventory() throws {
        let inventory = try InventorySource.load([packageRoot + "/inventories/testbed.yml"])
        let playbook = try PlaybookParser.load(path: PlaybookParserTests.haJoinPath)
        // Without the controller paths the plan names the first missing one.
        do {
            _ = try RunPlan.make(playbook: playbook, inventory: inventory)
            Issue.record("expected an undefined variable")
        } catch let error as PlaybookError {
            #expect(error.message.contains("ums_bundle_dir") || error.message.contains("ums_token_file"), "\(error)")
        }
        let plan = try RunPlan.make(
            playbook: playbook, inventory: inventory,
            extraVars: ["ums_bundle_dir": "/srv/ums", "ums_token_file": "/srv/ums/IGEL-Network.token"])
        #expect(plan.targets == ["host003", "host004", "host005", "host006", "host007", "host008", "host009"])
        #expect(plan.references == ["host002"])
        #expect(plan.stageHosts == Array(repeating: plan.targets, count: plan.playbook.stages.count))
        #expect(value(plan, "host003", "ums_bundle") == "/srv/ums/setup-igel-ums-linux_12.07.100.bin")
        #expect(value(plan, "host003", "ums_role") == "server")
        #expect(value(plan, "host008", "ums_component_choice") == "3")
        #expect(value(plan, "host009", "ums_component_choice") == "2")
        #expect(value(plan, "host003", "ums_component_choice") == "1")
    }
}
