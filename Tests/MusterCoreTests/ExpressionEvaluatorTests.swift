import MusterCore
import Testing

@Suite struct ExpressionEvaluatorTests {
    static let facts: [String: InventoryValue] = [
        "name": "web1", "port": 22, "ratio": 0.5, "on": true, "off": false, "nothing": .null, "empty": "",
        "hosts": ["a", "b", "c"], "groups": ["ums_first": ["db1", "db2"], "all": ["db1", "db2", "web1"]],
        "config": ["server": ["listen": [80, 443], "name": "example"], "enabled": true],
    ]

    static let literalsCases: [(String, InventoryValue)] = [
        ("'single'", "single"), ("\"double\"", "double"), (#"'it\'s'"#, "it's"), (#""a\"b""#, #"a"b"#),
        (#"'back\\slash'"#, #"back\slash"#), (#"'tab\there'"#, "tab\there"), (#"'\d+'"#, #"\d+"#),
        (#"'\u00e9\x41'"#, "éA"), ("'Grüße'", "Grüße"), ("42", 42), ("1_000", 1000), ("1.5", 1.5), ("2e3", 2000.0),
        ("true", true), ("True", true), ("false", false), ("False", false), ("none", .null), ("None", .null),
        ("[]", []), ("[1, 'two', [3]]", [1, "two", [3]]), ("[1, 2,]", [1, 2]), ("{}", .dict([:])),
        ("{'k': 1, \"j\": [true]}", ["k": 1, "j": [true]]), ("-3", -3), ("-1.5", -1.5), ("+4", 4),
    ]

    @Test(arguments: literalsCases)
    func literals(text: String, value: InventoryValue) throws {
        #expect(try evaluateExpression(text) == value)
    }

    static let pathsCases: [(String, InventoryValue)] = [
        ("name", "web1"), ("hosts[0]", "a"), ("hosts[-1]", "c"), ("hosts.1", "b"),
        ("groups['ums_first'][0]", "db1"), ("groups.ums_first[-1]", "db2"), ("config.server.listen[1]", 443),
        ("config['server']['name']", "example"), ("config.server.listen.0", 80), ("name[0]", "w"),
        ("{'a': {'b': [5, 6]}}.a.b[1]", 6), ("hosts[port - 21]", "b"), ("config[\"enabled\"]", true),
    ]

    @Test(arguments: pathsCases)
    func pathsIntoNestedValues(text: String, value: InventoryValue) throws {
        #expect(try evaluateExpression(text, Self.facts) == value)
    }

    static let operatorsCases: [(String, InventoryValue)] = [
        ("port == 22", true), ("port == 22.0", true), ("port != 22", false), ("name == 'web1'", true),
        ("[1, 2] == [1.0, 2]", true), ("{'a': 1} == {'a': 1.0}", true), ("nothing == none", true), ("'1' == 1", false),
        ("port < 23", true), ("port <= 22", true), ("port > 22.5", false), ("port >= 22", true), ("ratio < 1", true),
        ("'abc' < 'abd'", true), ("'B' < 'a'", true), ("'é' > 'z'", true),
        ("'b' in hosts", true), ("'z' in hosts", false), ("'z' not in hosts", true), ("'eb' in name", true),
        ("'' in name", true), ("'server' in config", true), ("'port' not in config", true), ("2.0 in [1, 2]", true),
        ("on and port", 22), ("off and port", false), ("nothing or 'x'", "x"), ("name or 'x'", "web1"),
        ("not on", false), ("not empty", true), ("not hosts", false),
        ("name ~ ':' ~ port", "web1:22"), ("'x' ~ nothing ~ on", "xTrue"), ("port + 1", 23), ("port - 30", -8),
        ("port + 0.5", 22.5), ("1.5 - 1", 0.5), ("'a' + 'b'", "ab"), ("[1] + [2]", [1, 2]), ("-port", -22),
        ("- -port", 22), ("1 - -1", 2),
    ]

    @Test(arguments: operatorsCases)
    func operators(text: String, value: InventoryValue) throws {
        #expect(try evaluateExpression(text, Self.facts) == value)
    }

    static let precedenceCases: [(String, InventoryValue)] = [
        // `not` is looser than comparison: not (1 == 2)
        ("not a == b", true),
        // `and` binds tighter than `or`: true or (false and false)
        ("t or f and f", true), ("(t or f) and f", false),
        ("not t or t", true), ("not (t or t)", false), ("not not t", true),
        // `~` is looser than `+`: 'x' ~ (1 + 2)
        ("'x' ~ 1 + 2", "x3"),
        // comparison is looser than `~`
        ("'a' ~ 'b' == 'ab'", true),
        // filters bind tightest: 1 + ('2' | int)
        ("1 + '2' | int", 3), ("-'5' | int", -5),
        // `is` binds to the operand: t and (u is defined)
        ("t and u is defined", false), ("a + b - a", 2), ("5 - 2 - 1", 2),
        ("'1' in ['1'] and not 'x' in ['y']", true),
    ]

    @Test(arguments: precedenceCases)
    func precedence(text: String, value: InventoryValue) throws {
        #expect(try evaluateExpression(text, ["a": 1, "b": 2, "t": true, "f": false]) == value)
    }

    @Test func truthinessFollowsPython() throws {
        let falsy: [InventoryValue] = ["", 0, 0.0, false, .null, [], .dict([:])]
        let truthy: [InventoryValue] = ["0", "False", 1, -1, 0.1, true, [.null], ["k": .null]]
        for value in falsy { #expect(try TemplateExpression(parsing: "v").isTrue(in: VariableScope(["v": value])) == false) }
        for value in truthy { #expect(try TemplateExpression(parsing: "v").isTrue(in: VariableScope(["v": value]))) }
    }

    @Test func definedAndNoneTests() throws {
        let cases: [(String, InventoryValue)] = [
            ("name is defined", true), ("missing is defined", false), ("missing is not defined", true),
            ("missing is undefined", true), ("config.server is defined", true), ("config.nope is defined", false),
            ("config.nope.deeper is defined", false), ("hosts[7] is defined", false), ("missing.x is defined", false),
            ("nothing is none", true), ("name is none", false), ("name is not none", true), ("nothing is None", true),
            ("missing is defined and missing > 1", false), ("not missing is defined", true),
        ]
        for (text, value) in cases { #expect(try evaluateExpression(text, Self.facts) == value, "\(text)") }
    }

    @Test func shortCircuitSkipsTheRightSide() throws {
        #expect(try evaluateExpression("false and missing", Self.facts) == false)
        #expect(try evaluateExpression("true or missing", Self.facts) == true)
        #expect(expressionError("true and missing", Self.facts)?.kind == .undefined)
    }

    @Test func laterScopeLayersWin() throws {
        let scope = VariableScope(layers: [["a": 1, "b": 1], ["b": 2]]).adding(["c": 3])
        #expect(try TemplateExpression(parsing: "[a, b, c]").evaluate(in: scope) == [1, 2, 3])
        #expect(scope.lookup("d") == nil)
    }

    static let evaluationErrorsCases: [(String, TemplateError)] = [
        ("missing", TemplateError(.undefined, at: 0, "undefined variable 'missing'")),
        ("1 + missing", TemplateError(.undefined, at: 4, "undefined variable 'missing'")),
        ("config.foo", TemplateError(.undefined, at: 6, "'dict' has no key 'foo'")),
        ("config['foo']", TemplateError(.undefined, at: 6, "'dict' has no key 'foo'")),
        ("hosts[5]", TemplateError(.undefined, at: 5, "index 5 out of range for a list of 3")),
        ("hosts[-4]", TemplateError(.undefined, at: 5, "index -4 out of range for a list of 3")),
        ("hosts['x']", TemplateError(.evaluation, at: 5, "list indices must be integers, not 'string'")),
        ("port.x", TemplateError(.undefined, at: 4, "'int' has no attribute or item 'x'")),
        ("name < 1", TemplateError(.evaluation, at: 5, "'<' is not supported between 'string' and 'int'")),
        ("hosts >= hosts", TemplateError(.evaluation, at: 6, "'>=' is not supported between 'list' and 'list'")),
        ("name + 1", TemplateError(.evaluation, at: 5, "unsupported operand types for +: 'string' and 'int'")),
        ("hosts - [1]", TemplateError(.evaluation, at: 6, "unsupported operand types for -: 'list' and 'list'")),
        ("-name", TemplateError(.evaluation, at: 0, "bad operand type for unary -: 'string'")),
        ("1 in name", TemplateError(.evaluation, at: 2, "'in <string>' requires a string on the left, not 'int'")),
        ("1 in port", TemplateError(.evaluation, at: 2, "'in' needs a string, list or dict on the right, not 'int'")),
        ("9223372036854775807 + 1", TemplateError(.evaluation, at: 20, "integer overflow")),
        ("{1: 2}", TemplateError(.evaluation, at: 1, "dict keys must be strings, not 'int'")),
        ("missing is none", TemplateError(.undefined, at: 0, "undefined variable 'missing'")),
    ]

    @Test(arguments: evaluationErrorsCases)
    func evaluationErrors(text: String, error: TemplateError) {
        #expect(expressionError(text, Self.facts) == error)
    }
}
