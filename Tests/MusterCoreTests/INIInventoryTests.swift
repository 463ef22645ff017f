import MusterCore
import Testing

/// Structure of INI inventories: sections, membership, the implicit groups, comments and ranges.
@Suite struct INIInventoryTests {
    @Test func hostsBeforeAnySectionAreUngrouped() throws {
        let inventory = try parseINI(
            """
            alpha
            beta
            [web]
            web1
            """)
        #expect(inventory.groups["ungrouped"]?.hosts == ["alpha", "beta"])
        #expect(inventory.host(named: "alpha")?.groups == ["ungrouped"])
        #expect(inventory.host(named: "web1")?.groups == ["web"])
    }

    @Test func aHostLaterPutInAGroupLeavesUngrouped() throws {
        let inventory = try parseINI(
            """
            alpha
            [web]
            alpha
            """)
        #expect(inventory.groups["ungrouped"]?.hosts == [])
        #expect(inventory.groups["web"]?.hosts == ["alpha"])
    }

    @Test func allListsTopLevelGroupsInOrderOfAppearanceWithUngroupedFirst() throws {
        let inventory = try parseINI(
            """
            [zeta]
            z1
            [parent:children]
            child
            [child]
            c1
            [alpha]
            """)
        #expect(inventory.groups["all"]?.children == ["ungrouped", "zeta", "parent", "alpha"])
        #expect(inventory.groups["all"]?.hosts == [])
        #expect(inventory.groups["parent"]?.children == ["child"])
    }

    @Test func anExplicitUngroupedSectionAndAllChildrenAreAccepted() throws {
        let inventory = try parseINI(
            """
            [ungrouped]
            loner
            [all:children]
            web
            [web]
            web1
            """)
        #expect(inventory.groups["ungrouped"]?.hosts == ["loner"])
        #expect(inventory.groups["all"]?.children == ["ungrouped", "web"])
    }

    @Test func emptyGroupsExist() throws {
        let inventory = try parseINI(
            """
            [empty]
            [web]
            web1
            [also_empty:children]
            """)
        #expect(inventory.groups["empty"] == InventoryGroup(name: "empty"))
        #expect(inventory.groups["also_empty"]?.children == [])
        #expect(inventory.hosts(inGroup: "empty").isEmpty)
        #expect(inventory.groups["all"]?.children == ["ungrouped", "empty", "web", "also_empty"])
    }

    @Test func aHostInManyGroupsListsThemAllWithAncestorsSorted() throws {
        let inventory = try parseINI(
            """
            [web]
            shared
            [db]
            shared
            [monitoring]
            shared
            [prod:children]
            web
            db
            """)
        #expect(inventory.hostNames == ["shared"])
        #expect(inventory.host(named: "shared")?.groups == ["db", "monitoring", "prod", "web"])
        #expect(inventory.groups["web"]?.hosts == ["shared"])
        #expect(inventory.groups["db"]?.hosts == ["shared"])
    }

    @Test func childGroupsMayBeDefinedAfterTheyAreUsed() throws {
        let inventory = try parseINI(
            """
            [europe:children]
            germany
            [germany:children]
            berlin
            [berlin]
            ber1
            """)
        #expect(inventory.host(named: "ber1")?.groups == ["berlin", "europe", "germany"])
        #expect(inventory.hosts(inGroup: "europe").map(\.name) == ["ber1"])
        #expect(inventory.groups["all"]?.children == ["ungrouped", "europe"])
    }

    @Test func hostsInGroupIncludeDescendantsInAnsiblesOrder() throws {
        let inventory = try parseINI(
            """
            [b]
            b1
            [a]
            a1
            [top:children]
            a
            b
            """)
        #expect(inventory.hosts(inGroup: "top").map(\.name) == ["a1", "b1"], "children in the order [top:children] lists them")
        #expect(inventory.hosts(inGroup: "all").map(\.name) == ["a1", "b1"])
        #expect(inventory.hosts(inGroup: "nosuchgroup").isEmpty)
    }

    @Test func commentsAndBlankLinesAreSkipped() throws {
        let inventory = try parseINI(
            """
            # hash comment
            ; semicolon comment

               # indented comment
            [web]   # comment after a header
            [db] ; also after a header
            db1   # comment after a host
            db2 role=x#comment glued to a value
            """)
        #expect(inventory.hostNames == ["db1", "db2"])
        #expect(inventory.host(named: "db2")?.vars == ["role": "x"])
        #expect(inventory.groups["web"]?.hosts == [])
    }

    @Test func indentationAndWindowsLineEndingsAreAccepted() throws {
        let inventory = try parseINI("[web]\r\n    web1 port_note=a\r\n\tweb2\r\n")
        #expect(inventory.groups["web"]?.hosts == ["web1", "web2"])
        #expect(inventory.host(named: "web1")?.vars == ["port_note": "a"])
    }

    @Test func groupNamesMayHoldDashesDotsAndUnicode() throws {
        let inventory = try parseINI(
            """
            [eu-west.1]
            h1
            [zürich]
            h2
            """)
        #expect(inventory.groups["eu-west.1"]?.hosts == ["h1"])
        #expect(inventory.groups["zürich"]?.hosts == ["h2"])
    }

    @Test func unicodeHostNamesAndValues() throws {
        let inventory = try parseINI(
            """
            [büro]
            drucker-süd owner="Jürgen Groß" motto='日本語 ✓'
            """)
        let host = try #require(inventory.host(named: "drucker-süd"))
        #expect(host.vars == ["owner": "Jürgen Groß", "motto": "日本語 ✓"])
        #expect(host.groups == ["büro"])
    }

    @Test func hostPortBecomesAnsiblePortUnlessTheLineSetsItToo() throws {
        let inventory = try parseINI(
            """
            [web]
            web1:2222
            web2:2200 ansible_port=2201
            web3 ansible_port=22
            """)
        #expect(inventory.host(named: "web1")?.vars == ["ansible_port": 2222])
        #expect(inventory.host(named: "web2")?.vars == ["ansible_port": 2201])
        #expect(inventory.host(named: "web3")?.vars == ["ansible_port": 22])
    }

    @Test func ipv6HostsWithAndWithoutPort() throws {
        let inventory = try parseINI(
            """
            [v6]
            [2001:db8::1]:2222 role=a
            fe80::1
            ::1
            """)
        #expect(inventory.hostNames == ["2001:db8::1", "fe80::1", "::1"])
        #expect(inventory.host(named: "2001:db8::1")?.vars == ["ansible_port": 2222, "role": "a"])
        #expect(inventory.host(named: "fe80::1")?.vars == [:])
    }

    @Test func aRepeatedHostKeepsEarlierVariablesAndLaterOnesWin() throws {
        let inventory = try parseINI(
            """
            [web]
            web1 a=1 b=1
            [db]
            web1 b=2
            """)
        #expect(inventory.hostNames == ["web1"])
        #expect(inventory.host(named: "web1")?.vars == ["a": 1, "b": 2])
    }

    @Test(arguments: [
        ("web[01:03]", ["web01", "web02", "web03"]),
        ("web[1:3]", ["web1", "web2", "web3"]),
        ("web[08:11]", ["web08", "web09", "web10", "web11"]),
        ("web[8:11]", ["web8", "web9", "web10", "web11"]),
        ("web[1:010]", Array(1...10).map { "web\($0)" }),
        ("db-[a:c]", ["db-a", "db-b", "db-c"]),
        ("n[01:10:2]", ["n01", "n03", "n05", "n07", "n09"]),
        ("n[a:g:3]", ["na", "nd", "ng"]),
        ("h[:2]", ["h0", "h1", "h2"]),
        ("h[y:B]", ["hy", "hz", "hA", "hB"]),
        ("r[1:2]n[a:b].dc", ["r1na.dc", "r1nb.dc", "r2na.dc", "r2nb.dc"]),
        ("[1:3].example.com", ["1.example.com", "2.example.com", "3.example.com"]),
        ("web[7:7]", ["web7"]),
    ])
    func hostRangesExpandLikeAnsible(range: String, expected: [String]) throws {
        let inventory = try parseINI("[g]\n\(range)")
        #expect(inventory.hostNames == expected)
        #expect(inventory.groups["g"]?.hosts == expected)
    }

    @Test func aRangeWithPortAndVariablesAppliesToEveryHost() throws {
        let inventory = try parseINI("[g]\nweb[1:2]:2222 role=web")
        for host in inventory.hosts {
            #expect(host.vars == ["ansible_port": 2222, "role": "web"])
        }
        #expect(inventory.hostNames == ["web1", "web2"])
    }
}
