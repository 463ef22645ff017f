import MusterCore
import Testing

/// Structure of YAML inventories as Ansible's `yaml` plugin reads them; each case was checked
/// with ansible-inventory 2.19.
@Suite struct YAMLInventoryTests {
    @Test func groupsChildrenVarsAndTheImplicitGroups() throws {
        let inventory = try parseYAML(
            """
            all:
              vars: {ntp: pool.ntp.org}
              hosts:
                loner:
              children:
                web:
                  hosts:
                    web1: {role: front}
                  vars: {http_port: 80}
                dc1:
                  children:
                    web:
            """)
        #expect(inventory.groups["all"]?.children == ["ungrouped", "web", "dc1"])
        #expect(inventory.groups["ungrouped"]?.hosts == ["loner"])
        #expect(inventory.groups["dc1"]?.children == ["web"])
        #expect(inventory.host(named: "web1")?.groups == ["dc1", "web"])
        #expect(inventory.host(named: "web1")?.vars == ["ntp": "pool.ntp.org", "http_port": 80, "role": "front"])
    }

    @Test func aGroupMayHaveSeveralParents() throws {
        let inventory = try parseYAML(
            """
            dc1: {children: {db: {hosts: {db1: }}}}
            backend: {children: {db: }}
            """)
        #expect(inventory.groups["dc1"]?.children == ["db"])
        #expect(inventory.groups["backend"]?.children == ["db"])
        #expect(inventory.host(named: "db1")?.groups == ["backend", "db", "dc1"])
        #expect(inventory.groups["all"]?.children == ["ungrouped", "dc1", "backend"])
    }

    @Test func hostKeysCarryRangesAndPorts() throws {
        let inventory = try parseYAML(
            """
            web:
              hosts:
                web[08:10].dc1:2222: {role: web}
                "[2001:db8::1]:2200":
            """)
        #expect(inventory.hostNames == ["web08.dc1", "web09.dc1", "web10.dc1", "2001:db8::1"])
        #expect(inventory.host(named: "web10.dc1")?.vars == ["ansible_port": 2222, "role": "web"])
        #expect(inventory.host(named: "2001:db8::1")?.vars == ["ansible_port": 2200])
    }

    @Test func aStringStandsForOneNameInHostsChildrenAndVars() throws {
        let inventory = try parseYAML(
            """
            web: {hosts: {web1: }}
            g:
              hosts: lonely
              children: web
              vars: flag
            """)
        #expect(inventory.groups["g"]?.hosts == ["lonely"])
        #expect(inventory.groups["g"]?.children == ["web"])
        #expect(inventory.groups["g"]?.vars == ["flag": .null])
    }

    @Test func falseHostValuesMeanNoVariables() throws {
        let inventory = try parseYAML("g: {hosts: {a: , b: '', c: 0, d: [], e: {}}}")
        #expect(inventory.hosts.allSatisfy { $0.vars.isEmpty })
    }

    @Test func unknownKeysAndNonMappingGroupsAreSkippedWithWarnings() throws {
        let inventory = try parseYAML(
            """
            web:
              host:
                web1:
              hosts: {web2: }
            listy: [1, 2]
            """)
        #expect(inventory.hostNames == ["web2"])
        #expect(inventory.groups["listy"] == nil)
        #expect(
            inventory.warnings.map(\.description) == [
                "test.yml:2:3: warning: skipping unexpected key 'host' in group 'web'; only vars, children and hosts are valid",
                "test.yml:5:1: warning: skipping 'listy', which is not a group definition (a mapping of hosts, children and vars)",
            ])
    }

    @Test func aRepeatedHostMergesItsVariablesAndKeepsItsFirstPort() throws {
        let inventory = try parseYAML(
            """
            a: {hosts: {h1:2201: {x: 1, y: 1}}}
            b: {hosts: {h1:2299: {y: 2}}}
            """)
        #expect(inventory.host(named: "h1")?.vars == ["ansible_port": 2201, "x": 1, "y": 2])
    }

    @Test(arguments: [
        ("[web", "test.yml:2:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 1)"),
        (
            "web:\n  hosts:\n    h1:\n   bad",
            "test.yml:4:4: invalid YAML: did not find expected key (while parsing a block mapping at line 2, column 3)"
        ),
        (
            "web:\n\thosts:",
            "test.yml:2:1: invalid YAML: found character that cannot start any token (while scanning for the next token at line 2, column 1)"
        ),
        (
            "a: 1\n---\nb: 2",
            "test.yml:2:1: invalid YAML: but found another document (expected a single document in the stream at line 1, column 1)"
        ),
        ("[1, 2]", "test.yml: expected a mapping of group names at the top"),
        ("plugin: aws_ec2", "test.yml: expected a mapping of group names at the top"),
        ("yes: {hosts: {h1: }}", "test.yml:1:1: a group name must be text; quote 'True'"),
        ("web: {hosts: {42: }}", "test.yml:1:15: host name 42 must be text; enclose numbers in quotes"),
        ("web: {hosts: [h1, h2]}", "test.yml:1:7: 'hosts' of group 'web' must be a mapping"),
        ("web: {hosts: {h1: text}}", "test.yml:1:19: the variables of host 'h1' must be a mapping"),
        ("web: {hosts: {'web[3:1]': }}", "test.yml:1:18: the host range [3:1] expands to no hosts"),
        ("web: {hosts: {'h1:99999': }}", "test.yml:1:18: port must be a number from 1 to 65535"),
        ("a: {children: {b: {children: {a: }}}}", "test.yml:1:16: making 'b' a child of 'a' creates a cycle: a > b > a"),
        ("a: {children: {b: [1]}}", "test.yml:1:16: group 'b' under 'a' is not defined"),
        ("a: {vars: {ansible_group_priority: high}}", "test.yml:1:36: ansible_group_priority must be a whole number, not 'high'"),
        ("a: {vars: {secret: !vault xyz}}", "test.yml:1:20: vault-encrypted values are not supported"),
        ("a: {vars: {x: !custom 1}}", "test.yml:1:15: unsupported YAML tag '!custom'"),
    ])
    func errorsNameTheLineAndColumnAndWhatWasExpected(text: String, message: String) {
        #expect(yamlError(text) == message)
    }
}
