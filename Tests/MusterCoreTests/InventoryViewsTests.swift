import MusterCore
import Testing

/// The views' own rules; their agreement with `ansible-inventory` is in AnsibleParityTests.
@Suite struct InventoryViewsTests {
    let inventory = try! parseINI(
        """
        [web]
        web1 ansible_password=s3cret nested="{'ansible_become_pass': 'x', 'keep': 1}"
        [web:vars]
        ansible_ssh_pass=group-secret
        """)
    let secrets: Set = ["ansible_password", "ansible_ssh_pass", "ansible_become_pass"]

    @Test func maskedKeysAreHiddenAtAnyDepthInEveryView() throws {
        let host = try InventoryViews.host(inventory, name: "web1", maskedKeys: secrets)
        #expect(!host.contains("s3cret") && !host.contains("group-secret") && !host.contains("\"x\""))
        #expect(host.contains(#""ansible_password": "********""#) && host.contains(#""keep": 1"#))
        #expect(!InventoryViews.list(inventory, maskedKeys: secrets).contains("secret"))
        #expect(!(try InventoryViews.graph(inventory, showVars: true, maskedKeys: secrets)).contains("secret"))
    }

    @Test func nothingIsMaskedByDefault() throws {
        #expect(try InventoryViews.host(inventory, name: "web1").contains("s3cret"))
    }

    @Test func hostTakesAPatternThatMustSelectExactlyOneHost() throws {
        #expect(try InventoryViews.host(inventory, name: "web[0]").contains("s3cret"))
        #expect(throws: HostPatternError(pattern: "nobody", message: "matches 0 hosts; --host needs exactly one")) {
            try InventoryViews.host(inventory, name: "nobody")
        }
    }

    @Test func graphNeedsAGroupName() {
        #expect(throws: HostPatternError(pattern: "web1", message: "--graph needs the name of a group")) {
            try InventoryViews.graph(inventory, group: "web1")
        }
    }

    @Test func graphShowsValuesAsPythonPrintsThem() throws {
        let inventory = try parseYAML(
            #"""
            g:
              hosts:
                h:
                  text: plain
                  quote: "it's"
                  both: "it's \"x\""
                  list: [1, 'a', ~, yes, 1.5, "\n", "é", "\u00a0"]
                  dict: {b: {}, a: []}
            """#)
        #expect(
            try InventoryViews.graph(inventory, group: "g", showVars: true) == #"""
                @g:
                  |--h
                  |  |--{both = it's "x"}
                  |  |--{dict = {'b': {}, 'a': []}}
                  |  |--{list = [1, 'a', None, True, 1.5, '\n', 'é', '\xa0']}
                  |  |--{quote = it's}
                  |  |--{text = plain}
                """#)
    }

    @Test func listIsPythonsJSONLayout() {
        let inventory = try! parseINI("h1 motto=\"Grüße \\\"ok\\\"\" ratio=1.0")
        #expect(
            InventoryViews.list(inventory) == #"""
                {
                    "_meta": {
                        "hostvars": {
                            "h1": {
                                "motto": "Gr\u00fc\u00dfe \"ok\"",
                                "ratio": 1.0
                            }
                        }
                    },
                    "all": {
                        "children": [
                            "ungrouped"
                        ]
                    },
                    "ungrouped": {
                        "hosts": [
                            "h1"
                        ]
                    }
                }
                """#)
    }
}
