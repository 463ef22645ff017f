import MusterCore
import Testing

/// `group_vars/` and `host_vars/` beside inventories and playbooks, read as Ansible's
/// `host_group_vars` plugin reads them; each case was checked with ansible-inventory 2.19.
@Suite struct VarsDirectoryTests {
    @Test func filesBeatTheInventoryAndHostsBeatGroups() throws {
        let directory = try TemporaryDirectory()
        try directory.write("hosts", "[web]\nweb1 a=host-inline\n[web:vars]\na=group-inline\nb=group-inline\nc=group-inline\n")
        try directory.write("group_vars/web.yml", "b: group-file\nc: group-file\n")
        try directory.write("host_vars/web1.yml", "c: host-file\n")
        let vars = try directory.load("hosts").host(named: "web1")?.vars
        #expect(vars == ["a": "host-inline", "b": "group-file", "c": "host-file"])
    }

    @Test func theFirstOfNameDotYmlDotYamlDotJsonIsReadAndADirectoryComesFirst() throws {
        let directory = try TemporaryDirectory()
        try directory.write("hosts", "[web]\nweb1\n[db]\ndb1\n[app]\napp1\n")
        try directory.write("group_vars/web/10.yml", "from: dir\n")
        try directory.write("group_vars/web.yml", "from: web.yml\n")
        try directory.write("group_vars/db.yaml", "from: db.yaml\n")
        try directory.write("group_vars/db.json", "{\"from\": \"db.json\"}\n")
        try directory.write("group_vars/app", "from: extensionless\n")
        let inventory = try directory.load("hosts")
        #expect(inventory.host(named: "web1")?.vars == ["from": "dir"])
        #expect(inventory.host(named: "db1")?.vars == ["from": "db.yaml"])
        #expect(inventory.host(named: "app1")?.vars == ["from": "extensionless"])
    }

    @Test func aDirectoryIsReadInNameOrderSkippingHiddenBackupsAndOtherExtensions() throws {
        let directory = try TemporaryDirectory()
        try directory.write("hosts", "web1\n")
        try directory.write("host_vars/web1/20.yml", "order: [20]\nlast: twenty\n")
        try directory.write("host_vars/web1/10.yml", "order: [10]\nfirst: ten\n")
        try directory.write("host_vars/web1/sub/30.json", "{\"last\": \"thirty\"}")
        try directory.write("host_vars/web1/.hidden.yml", "hidden: true\n")
        try directory.write("host_vars/web1/40.yml~", "backup: true\n")
        try directory.write("host_vars/web1/50.txt", "text: true\n")
        try directory.write("host_vars/web1/skipped.d/60.yml", "dotted_dir: true\n")
        let vars = try directory.load("hosts").host(named: "web1")?.vars
        #expect(vars == ["order": [20], "first": "ten", "last": "thirty"])
    }

    @Test func groupVarsFollowTheGroupsPrecedenceAndAllComesFirst() throws {
        let directory = try TemporaryDirectory()
        try directory.write("hosts", "[child]\nh1\n[parent:children]\nchild\n[all:vars]\nx=inventory-all\n")
        try directory.write("group_vars/all.yml", "x: file-all\ny: file-all\nz: file-all\n")
        try directory.write("group_vars/parent.yml", "y: file-parent\nz: file-parent\n")
        try directory.write("group_vars/child.yml", "z: file-child\n")
        #expect(try directory.load("hosts").host(named: "h1")?.vars == ["x": "file-all", "y": "file-parent", "z": "file-child"])
    }

    @Test func thePlaybookDirectoryComesLastAndWins() throws {
        let directory = try TemporaryDirectory()
        try directory.write("inventory/hosts", "[web]\nweb1\n")
        try directory.write("inventory/host_vars/web1.yml", "a: inventory\nb: inventory\n")
        try directory.write("playbooks/host_vars/web1.yml", "b: playbook\n")
        try directory.write("playbooks/group_vars/web.yml", "a: playbook-group\nc: playbook-group\n")
        let vars = try directory.load("inventory/hosts", playbookDir: "playbooks").host(named: "web1")?.vars
        #expect(vars == ["a": "inventory", "b": "playbook", "c": "playbook-group"])
    }

    @Test func emptyFilesAndFalseValuesSetNothing() throws {
        let directory = try TemporaryDirectory()
        try directory.write("hosts", "web1\nweb2\nweb3\n")
        try directory.write("host_vars/web1.yml", "")
        try directory.write("host_vars/web2.yml", "# comment\n---\n~\n")
        try directory.write("host_vars/web3.yml", "[]\n")
        #expect(try directory.load("hosts").hosts.allSatisfy { $0.vars.isEmpty })
    }

    @Test func errorsInVarsFilesNameTheFileLineAndColumn() throws {
        let directory = try TemporaryDirectory()
        try directory.write("hosts", "web1\n")
        let file = try directory.write("host_vars/web1.yml", "a: 1\nb: [1, 2\n")
        #expect(
            throws: InventoryError(
                source: file, line: 3, column: 1,
                message: "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 4)")
        ) {
            try directory.load("hosts")
        }
        try directory.write("host_vars/web1.yml", "- a\n- b\n")
        #expect(throws: InventoryError(source: file, line: 1, column: 1, message: "expected a mapping of variable names to values")) {
            try directory.load("hosts")
        }
    }

    @Test func filesForGroupsAndHostsNotInTheInventoryAreNeverRead() throws {
        let directory = try TemporaryDirectory()
        try directory.write("hosts", "web1\n")
        try directory.write("group_vars/ghost.yml", "[broken\n")
        try directory.write("host_vars/ghost.yml", "[broken\n")
        #expect(try directory.load("hosts").hostNames == ["web1"])
    }
}
