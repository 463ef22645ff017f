import MusterCore
import Testing

/// How YAML values are typed: as PyYAML (YAML 1.1) types them for Ansible. Each row was checked
/// with ansible-inventory 2.19.
@Suite struct YAMLValueTests {
    func value(_ yaml: String) throws -> InventoryValue? {
        try parseYAML("g: {hosts: {h: {v: \(yaml)}}}").host(named: "h")?.vars["v"]
    }

    static let plainScalars: [(String, InventoryValue)] = [
        ("42", 42), ("-7", -7), ("+12", 12), ("0", 0), ("0022", 18), ("0x1F", 31), ("-0x1F", -31), ("0b101", 5),
        ("1_000", 1000), ("12:30", 750), ("190:20:30", 685_230), ("1.5", 1.5), ("1.", 1.0), (".5", 0.5),
        ("1.0e+3", 1000.0), ("1.5E-3", 0.0015), ("1:30.5", 90.5), (".inf", .float(.infinity)),
        ("-.Inf", .float(-.infinity)), ("1e3", "1e3"), ("1.0e3", "1.0e3"), ("0o17", "0o17"), ("-.5", "-.5"),
        ("09", "09"), ("yes", true), ("No", false), ("on", true), ("OFF", false), ("True", true), ("y", "y"),
        ("~", .null), ("null", .null), ("Null", .null), ("", .null), ("2024-01-02", "2024-01-02"),
        ("hello world", "hello world"), ("1.2.3", "1.2.3"), ("12:60", "12:60"),
    ]

    @Test(arguments: plainScalars)
    func plainScalarsAreTypedAsYAML11(yaml: String, expected: InventoryValue) throws {
        #expect(try value(yaml) == expected)
    }

    @Test(
        arguments: [
            ("'42'", "42"), ("\"yes\"", "yes"), ("!!str 42", "42"), ("!unsafe '{{ x }}'", "{{ x }}"), ("!!int '7'", 7),
            ("!!bool 'yes'", true), ("! 12", 12), ("'it''s'", "it's"), ("\"tab\\there\"", "tab\there"),
        ] as [(String, InventoryValue)])
    func quotedAndTaggedScalars(yaml: String, expected: InventoryValue) throws {
        #expect(try value(yaml) == expected)
    }

    @Test func nestedMappingsKeepTheirWrittenOrder() throws {
        let nested = try #require(try value("{zeta: 1, alpha: 2, mid: {b: 1, a: 2}}"))
        guard case .dict(let entries) = nested, case .dict(let inner) = entries["mid"] else {
            Issue.record("expected a dict, got \(nested)")
            return
        }
        #expect(entries.keys == ["zeta", "alpha", "mid"])
        #expect(inner.keys == ["b", "a"])
    }

    @Test func mergeKeysComeFirstAndOwnKeysWin() throws {
        let inventory = try parseYAML(
            """
            defaults: &d {retries: 3, backoff: 1}
            more: &m {backoff: 2, extra: x}
            g:
              hosts:
                h:
                  v:
                    own: 1
                    <<: [*d, *m]
                    retries: 5
            """)
        guard case .dict(let entries) = inventory.host(named: "h")?.vars["v"] else {
            Issue.record("expected a dict")
            return
        }
        #expect(entries == ["retries": 5, "backoff": 1, "extra": "x", "own": 1])
        #expect(entries.keys == ["backoff", "extra", "retries", "own"], "PyYAML puts merged keys first, last source first")
    }

    @Test func aRepeatedKeyKeepsItsPlaceAndTakesTheLastValue() throws {
        guard case .dict(let entries) = try value("{a: 1, b: 2, a: 3}") else {
            Issue.record("expected a dict")
            return
        }
        #expect(entries.keys == ["a", "b"])
        #expect(entries["a"] == 3)
    }

    @Test func nonTextKeysBecomeTheTextAnsiblesJSONShows() throws {
        #expect(try value("{1: a, yes: b, ~: c, 1.5: d}") == ["1": "a", "true": "b", "null": "c", "1.5": "d"])
    }

    @Test func jsonFilesAreReadWithJSONsNumbersAndEscapes() throws {
        let inventory = try parseYAML(
            #"{"g": {"hosts": {"h": {"e": 1e5, "f": 2.5E-3, "i": 10, "s": "\ud83d\ude80 \u00e9 a\/b"}}}}"#,
            path: "test.json")
        #expect(inventory.host(named: "h")?.vars == ["e": 100_000.0, "f": 0.0025, "i": 10, "s": "🚀 é a/b"])
    }
}
