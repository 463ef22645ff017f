import MusterCore
import Testing

/// Inline host lists (`-i 'web1,web2:2222,'`), checked against Ansible's host_list plugin.
@Suite struct HostListTests {
    @Test func hostsGoToUngroupedInOrderWithPortsAsAnsiblePort() throws {
        let inventory = try InventorySource.parseHostList("h1, h2:2222,[::1]:2200,fe80::1, ,h1:9,")
        #expect(inventory.hostNames == ["h1", "h2", "::1", "fe80::1"])
        #expect(inventory.groups["ungrouped"]?.hosts == ["h1", "h2", "::1", "fe80::1"])
        #expect(inventory.groups["all"]?.children == ["ungrouped"])
        #expect(inventory.host(named: "h1")?.vars == [:], "a repeated host keeps its first entry, as in Ansible")
        #expect(inventory.host(named: "h2")?.vars == ["ansible_port": 2222])
        #expect(inventory.host(named: "::1")?.vars == ["ansible_port": 2200])
        #expect(inventory.host(named: "h2")?.groups == ["ungrouped"])
    }

    @Test func aTrailingCommaMakesASingleHostList() throws {
        #expect(try InventorySource.parseHostList("web1,").hostNames == ["web1"])
        #expect(try InventorySource.parseHostList(",,").hostNames == [])
    }

    @Test func bracketedIPv6WithoutPortAndIPv4WithPort() throws {
        let inventory = try InventorySource.parseHostList("[2001:db8::7],192.0.2.10:2022")
        #expect(inventory.hostNames == ["2001:db8::7", "192.0.2.10"])
        #expect(inventory.host(named: "192.0.2.10")?.vars == ["ansible_port": 2022])
    }

    @Test(arguments: [
        ("h1:notaport,", "host list: 'h1:notaport': port must be a number from 1 to 65535"),
        ("ok,h1:99999", "host list: 'h1:99999': port must be a number from 1 to 65535"),
        ("h1:0,", "host list: 'h1:0': port must be a number from 1 to 65535"),
        ("h1:,", "host list: 'h1:': port must be a number from 1 to 65535"),
        ("h1:+22,", "host list: 'h1:+22': port must be a number from 1 to 65535"),
        (":22,", "host list: ':22': expected a host name before ':'"),
        ("[::1]:x,", "host list: '[::1]:x': port must be a number from 1 to 65535"),
        ("[::1]2,", "host list: '[::1]2': expected ':' and a port after ']'"),
        (
            "a:b:c,",
            "host list: 'a:b:c': too many ':' for host:port and not an IPv6 address (write an IPv6 address with a port as [::1]:22)"
        ),
        (
            "1:2:3:4:5:6:7:8:9,",
            "host list: '1:2:3:4:5:6:7:8:9': too many ':' for host:port and not an IPv6 address (write an IPv6 address with a port as [::1]:22)"
        ),
        ("web[1:3],", "host list: 'web[1:3]': host ranges such as web[1:3] work only in inventory files"),
        ("web 1,", "host list: 'web 1': a host name cannot contain spaces"),
    ])
    func malformedItemsAreNamedInTheError(list: String, message: String) {
        #expect(hostListError(list) == message)
    }
}
