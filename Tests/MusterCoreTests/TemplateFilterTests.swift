import MusterCore
import Testing

@Suite struct TemplateFilterTests {
    static let variables: [String: InventoryValue] = [
        "name": "Web1", "port": 22, "nothing": .null, "empty": "", "list": ["a", "b", "c"], "path": "/etc/ssh/sshd_config",
        "spaced": "  padded\n", "dict": ["x": 1, "y": 2], "text": "version 1.2.3 ready",
    ]

    static let resultsCases: [(String, InventoryValue)] = [
        ("missing | default('x')", "x"), ("missing | d(5)", 5), ("name | default('x')", "Web1"),
        ("missing | default", ""), ("nothing | default('x')", .null), ("empty | default('x')", ""),
        ("empty | default('x', true)", "x"), ("nothing | d('x', true)", "x"), ("dict.z | default(0)", 0),
        ("list[9] | default('none')", "none"), ("missing.deeper[0] | default([])", []),
        ("missing | default(other | default(3))", 3), ("[] | first | default('y')", "y"),
        ("name | quote", "Web1"), ("'a b' | quote", "'a b'"), ("\"it's\" | quote", #"'it'\''s'"#),
        ("'42' | int", 42), ("' 7 ' | int", 7), ("'3.9' | int", 3), ("-2.7 | int", -2), ("true | int", 1),
        ("'abc' | int", 0), ("'abc' | int(-1)", -1), ("nothing | int", 0), ("'1e3' | int", 1000),
        ("'1.5' | float", 1.5), ("port | float", 22.0), ("'x' | float", 0.0), ("'x' | float(2.5)", 2.5),
        ("port | string", "22"), ("true | string", "True"), ("list | string", #"["a","b","c"]"#),
        ("name | lower", "web1"), ("name | upper", "WEB1"), ("spaced | trim", "padded"),
        ("name | length", 4), ("'Grüße' | length", 5), ("list | length", 3), ("dict | count", 2),
        ("'yes' | bool", true), ("'On' | bool", true), ("'1' | bool", true), ("'TRUE' | bool", true),
        ("'no' | bool", false), ("'' | bool", false), ("1 | bool", true), ("2 | bool", false), ("nothing | bool", false),
        ("list | join(',')", "a,b,c"), ("list | join", "abc"), ("[1, none, true] | join('-')", "1--True"),
        ("path | basename", "sshd_config"), ("path | dirname", "/etc/ssh"), ("'/a' | dirname", "/"),
        ("'a' | dirname", ""), ("'dir/' | basename", ""), ("'/a//b' | dirname", "/a"), ("'//a' | dirname", "//"),
        ("text | regex_search('[0-9]+\\.[0-9]+\\.[0-9]+')", "1.2.3"), (#"text | regex_search('\d+')"#, "1"),
        ("text | regex_search('absent')", .null), ("list | first", "a"), ("list | last", "c"), ("name | first", "W"),
        ("name | lower | upper | length", 4), ("(list | join('')) | upper", "ABC"),
    ]

    @Test(arguments: resultsCases)
    func filters(text: String, value: InventoryValue) throws {
        #expect(try evaluateExpression(text, Self.variables) == value)
    }

    static let evaluationErrorsCases: [(String, String)] = [
        ("port | length", "object of type 'int' has no length"), ("port | join", "cannot join a value of type 'int'"),
        ("port | first", "cannot take the first item of a value of type 'int'"), ("[] | last", "last of an empty list"),
        ("name | regex_search(1)", "regex_search needs a string pattern, not 'int'"),
        ("missing | lower", "undefined variable 'missing'"),
    ]

    @Test(arguments: evaluationErrorsCases)
    func filterErrors(text: String, message: String) {
        #expect(expressionError(text, Self.variables)?.message == message)
    }

    @Test func unknownFilterIsAParseErrorListingTheKnownOnes() throws {
        let error = try #require(expressionError("name | lowr"))
        #expect(error.kind == .syntax)
        #expect(error.offset == 7)
        #expect(error.message.hasPrefix("unknown filter 'lowr' (known: basename, bool, count, d, default, dirname,"))
        #expect(error.message.contains("upper)"))
    }

    @Test func filterArgumentsAreChecked() {
        #expect(expressionError("x | join(',', ',')")?.message == "filter 'join' takes 0 to 1 argument(s), not 2")
        #expect(expressionError("x | regex_search")?.message == "filter 'regex_search' takes 1 argument(s), not 0")
        #expect(expressionError("x | lower(1)")?.offset == 4)
        #expect(expressionError("x | default(omit, boolean=true)")?.message.hasPrefix("keyword arguments") == true)
        let badPattern = expressionError("x | regex_search('(')")
        #expect(badPattern?.kind == .syntax)
        #expect(badPattern?.offset == 17)
    }
}
