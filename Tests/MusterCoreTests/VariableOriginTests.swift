import MusterCore
import Testing

/// Where each winning value was set, for `muster inventory --resolve HOST`.
@Suite struct VariableOriginTests {
    @Test func iniValuesComeFromTheHostLineOrTheVarsLine() throws {
        let inventory = try parseINI(
            """
            [web]
            web1:2222 role=front
            [web:vars]
            role=ignored
              tier=1
            """, path: "dc.ini")
        #expect(inventory.origin(ofVariable: "role", host: "web1") == VariableOrigin(source: "dc.ini", line: 2, column: 11))
        #expect(inventory.origin(ofVariable: "ansible_port", host: "web1") == VariableOrigin(source: "dc.ini", line: 2, column: 1))
        #expect(
            inventory.origin(ofVariable: "tier", host: "web1")
                == VariableOrigin(source: "dc.ini", line: 5, column: 3, group: "web"))
        #expect(inventory.origin(ofVariable: "missing", host: "web1") == nil)
        #expect(inventory.origin(ofVariable: "role", host: "nobody") == nil)
    }

    @Test func yamlValuesComeFromTheirKey() throws {
        let inventory = try parseYAML(
            """
            all:
              vars:
                ntp: pool
              children:
                web:
                  hosts:
                    web1:
                      role: front
            """, path: "inv.yml")
        #expect(
            inventory.variableOrigins(host: "web1") == [
                "ntp": VariableOrigin(source: "inv.yml", line: 3, column: 5, group: "all"),
                "role": VariableOrigin(source: "inv.yml", line: 8, column: 11),
            ])
    }

    @Test func varsFilesNameTheFileTheLineAndTheGroup() throws {
        let directory = try TemporaryDirectory()
        try directory.write("hosts", "[web]\nweb1 a=1\n[web:vars]\nb=1\n")
        let groupFile = try directory.write("group_vars/web.yml", "# comment\nb: 2\n")
        let hostFile = try directory.write("host_vars/web1.yml", "c: 3\n")
        let inventory = try directory.load("hosts")
        #expect(inventory.origin(ofVariable: "a", host: "web1") == VariableOrigin(source: directory.path + "/hosts", line: 2, column: 6))
        #expect(inventory.origin(ofVariable: "b", host: "web1") == VariableOrigin(source: groupFile, line: 2, column: 1, group: "web"))
        #expect(inventory.origin(ofVariable: "c", host: "web1") == VariableOrigin(source: hostFile, line: 1, column: 1))
        #expect(inventory.origin(ofVariable: "b", host: "web1")?.description == "\(groupFile):2:1 (group web)")
    }

    @Test func hostListPortsComeFromTheHostList() throws {
        let inventory = try InventorySource.parseHostList("web1:2222,")
        #expect(inventory.origin(ofVariable: "ansible_port", host: "web1") == VariableOrigin(source: "host list"))
    }
}
