import MusterCore
import Testing

/// Inputs scripts/fuzz-inventory found to hang or crash the inventory parsers, each reduced to
/// what triggered it. Each must now fail quickly with an error naming its place.
@Suite struct FuzzRegressionTests {
    // MARK: Host ranges (libFuzzer timeouts: `[1:3777777777]` expanded 3.8 billion names, and ten
    // `[1:3]` in a 376-character name made 59049 hosts, 22 MB of names, from 417 bytes)

    static let overBudget = "host ranges may expand to at most 100000 hosts and 4 MB of names in one file"

    /// The fuzzer's input as it was: a host line whose second range spans billions of numbers.
    @Test func theFuzzersHugeRangeFailsAtOnce() {
        let input: [UInt8] = [
            0x08, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a,
            0x9a, 0x9a, 0x9a, 0x1a, 0x9a, 0x9a, 0x76, 0x5f, 0x70, 0x79, 0x74, 0x68, 0x6f, 0x6e, 0x5f, 0x63,
            0x6f, 0x6d, 0x6d, 0x65, 0x6e, 0x74, 0x3d, 0x68, 0x69, 0x9a, 0x9a, 0x9a, 0x1a, 0x9a, 0x9a, 0x9a,
            0x9a, 0x9a, 0x9a, 0xda, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x5b, 0x31, 0x3a, 0x33, 0x5d, 0xad, 0x11,
            0xad, 0xad, 0xad, 0xad, 0xad, 0x25, 0x43, 0x6f, 0x6c, 0x6c, 0x65, 0x62, 0x74, 0x69, 0x00, 0x00,
            0x00, 0x00, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x5b, 0x31, 0x3a, 0x33, 0x37, 0x37, 0x37, 0x37, 0x37,
            0x37, 0x37, 0x37, 0x37, 0x5d, 0xad, 0x3e, 0x2d, 0x0a, 0xad, 0xad, 0xad, 0x25, 0x43, 0x6f, 0x6c,
            0x6c, 0x65, 0x63, 0x74, 0x69, 0x00, 0x00, 0x00, 0x00,
        ]
        #expect(iniError(String(decoding: input, as: UTF8.self))?.hasSuffix(Self.overBudget) == true)
    }

    @Test(arguments: [
        ("web[1:3777777777]", 4),
        ("web[0:100000]", 4),
        // Ranges multiply: 1000 × 1000 names; the second range is the one over the limit.
        ("n[1:1000]-[1:1000]", 11),
        // 59049 names of 390 bytes.
        (String(repeating: "x", count: 370) + String(repeating: "[1:3]", count: 10), 371),
        // 50000 names of 105 bytes.
        (String(repeating: "x", count: 100) + "[1:50000]", 101),
    ])
    func rangesOverTheBudgetFailBeforeExpanding(line: String, column: Int) {
        #expect(iniError("[web]\n\(line)") == "test.ini:2:\(column): \(Self.overBudget)")
    }

    @Test func theBudgetIsForTheWholeFile() throws {
        #expect(try parseINI("n[1:2]-[1:50000]").hosts.count == 100_000)
        #expect(try parseINI("n[1:1000000:10000]\nweb").hosts.count == 101)
        #expect(iniError("a[1:60000]\nweb\nb[1:60000]") == "test.ini:3:2: \(Self.overBudget)")
        #expect(try parseINI("a[1:60000]").hosts.count + parseINI("b[1:60000]").hosts.count == 120_000)
    }

    @Test func yamlHostRangesHaveTheSameBudget() {
        #expect(yamlError("all:\n  hosts:\n    web[1:3777777777]:\n") == "test.yml:3:8: \(Self.overBudget)")
        #expect(
            yamlError("all:\n  hosts:\n    a[1:60000]:\n    b[1:60000]:\n") == "test.yml:4:6: \(Self.overBudget)")
    }

    // MARK: YAML nesting (ASan: stack overflow in Yams's recursive composer at ~3,800 `[`)

    @Test func deepNestingIsAnErrorNotAStackOverflow() {
        let deep = "all:\n  vars:\n    x: " + String(repeating: "[", count: 5000) + "\n"
        #expect(yamlError(deep) == "test.yml:3:505: invalid YAML: collections nested more than 500 deep")
        let json = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(yamlError(json) == "test.yml:1:501: invalid YAML: collections nested more than 500 deep")
    }

    @Test func nestingUpToTheLimitIsRead() throws {
        // The top mapping, `all`'s and `vars`' are three levels; the list adds 497.
        let list = String(repeating: "[", count: 497) + "1" + String(repeating: "]", count: 497)
        let inventory = try parseYAML("all:\n  vars:\n    x: \(list)\n  hosts:\n    h1:\n")
        var value = inventory.host(named: "h1")?.vars["x"]
        var depth = 0
        while case .list(let elements)? = value {
            depth += 1
            value = elements.first
        }
        #expect(depth == 497)
    }

    // MARK: YAML aliases ("billion laughs": each alias is read as a copy of its anchor)

    @Test func aliasesOfAliasesAreRefused() {
        var lines = ["all:", "  vars:", "    l0: &l0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
        for level in 1...8 {
            lines.append("    l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        #expect(
            yamlError(lines.joined(separator: "\n"))
                == "test.yml:7:49: invalid YAML: aliases repeat more than 100000 nodes")
    }

    @Test func ordinaryAliasesStillWork() throws {
        let text = """
            all:
              hosts:
                web1: &defaults {role: web, ports: [80, 443]}
                web2: *defaults
                web3:
                  <<: *defaults
                  role: canary
            """
        let inventory = try parseYAML(text)
        #expect(inventory.host(named: "web2")?.vars == ["role": "web", "ports": [80, 443]])
        #expect(inventory.host(named: "web3")?.vars == ["role": "canary", "ports": [80, 443]])
    }
}
