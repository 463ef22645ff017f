import MusterCore
import Testing

/// `ansible_group_priority`: it ranks groups of the same depth only, as Ansible's `sort_groups`
/// sorts by depth, then priority, then name; each case was checked with ansible-inventory 2.19.
@Suite struct GroupPriorityTests {
    @Test func amongGroupsOfOneDepthTheHigherPriorityWinsThenTheLaterName() throws {
        let inventory = try parseINI(
            """
            [a]
            h1
            [b]
            h1
            [c]
            h1
            [a:vars]
            who=a
            ansible_group_priority=10
            [b:vars]
            who=b
            [c:vars]
            who=c
            """)
        #expect(inventory.host(named: "h1")?.vars == ["who": "a"])
        #expect(inventory.groups["a"]?.priority == 10)
        #expect(inventory.groups["a"]?.vars == ["who": "a"], "the priority is not a variable of the group")
    }

    @Test func aChildAlwaysBeatsItsParentWhateverTheirPriorities() throws {
        let inventory = try parseYAML(
            """
            parent:
              vars: {who: parent, ansible_group_priority: 100}
              children:
                child: {vars: {who: child}, hosts: {h1: }}
            """)
        #expect(inventory.host(named: "h1")?.vars == ["who": "child"])
    }

    @Test func inAGroupVarsFileItIsAnOrdinaryVariable() throws {
        let directory = try TemporaryDirectory()
        try directory.write("hosts", "[a]\nh1\n[b]\nh1\n[a:vars]\nwho=a\n[b:vars]\nwho=b\n")
        try directory.write("group_vars/a.yml", "ansible_group_priority: 10\n")
        let host = try #require(try directory.load("hosts").host(named: "h1"))
        #expect(host.vars == ["who": "b", "ansible_group_priority": 10])
    }

    @Test func graphVarsShowTheGroupsPriorityOverTheFilesValue() throws {
        let directory = try TemporaryDirectory()
        try directory.write("hosts.yml", "a: {hosts: {h1: }, vars: {ansible_group_priority: 5}}\n")
        try directory.write("group_vars/a.yml", "ansible_group_priority: 9\n")
        let graph = try InventoryViews.graph(directory.load("hosts.yml"), group: "a", showVars: true)
        #expect(graph == "@a:\n  |--h1\n  |  |--{ansible_group_priority = 9}\n  |--{ansible_group_priority = 5}")
    }
}
