import MusterCore
import Testing

@Suite struct TemplateTests {
    static let variables: [String: InventoryValue] = [
        "user": "deploy", "port": 22, "on": true, "nothing": .null, "nodes": ["db1", "db2"],
        "dict": ["b": 2, "a": "x"], "message": "it's a \"test\" $(rm -rf /) `id` ; echo", "spaced": "two words",
    ]

    @Test func rendersTextAndSubstitutions() throws {
        #expect(try renderTemplate("plain text", Self.variables) == "plain text")
        #expect(try renderTemplate("{{ user }}@host:{{port}}", Self.variables) == "deploy@host:22")
        #expect(try renderTemplate("{{ on }} [{{ nothing }}] {{ 1.5 }}", Self.variables) == "True [] 1.5")
        #expect(try renderTemplate("{{ nodes }} {{ dict }}", Self.variables) == #"["db1","db2"] {"a":"x","b":2}"#)
        #expect(try renderTemplate("Grüße {{ 'é' }}!", Self.variables) == "Grüße é!")
        #expect(try renderTemplate("a{# comment {{ x }} #}b", Self.variables) == "ab")
        #expect(try renderTemplate("{ not } { {x} }}", Self.variables) == "{ not } { {x} }}")
        #expect(try renderTemplate("{{ '}}' }}", Self.variables) == "}}")
        #expect(try renderTemplate("{{ {'a': {'b': 1}} }}", Self.variables) == #"{"a":{"b":1}}"#)
        #expect(try renderTemplate("{{ {'a': {'b': 1}}}}", Self.variables) == #"{"a":{"b":1}}"#)
        #expect(try renderTemplate("{{\n  user\n}}", Self.variables) == "deploy")
        #expect(try renderTemplate("", Self.variables) == "")
        #expect(try renderTemplate("trailing {", Self.variables) == "trailing {")
    }

    @Test func shellQuotingQuotesEverySubstitution() throws {
        let render = { (text: String) throws in try renderTemplate(text, Self.variables, quoting: .shell) }
        #expect(try render("echo {{ spaced }}") == "echo 'two words'")
        #expect(try render("echo {{ message }}") == #"echo 'it'\''s a "test" $(rm -rf /) `id` ; echo'"#)
        #expect(try render("ssh -p {{ port }} {{ user }}") == "ssh -p 22 deploy")
        #expect(try render("echo {{ nothing }}") == "echo ''")
        #expect(try render("echo {{ nodes }}") == #"echo '["db1","db2"]'"#)
        #expect(try render("echo '{{ user }}' literal") == "echo 'deploy' literal")
    }

    @Test func anExplicitQuoteFilterIsNotQuotedTwice() throws {
        let render = { (text: String) throws in try renderTemplate(text, Self.variables, quoting: .shell) }
        #expect(try render("echo {{ message | quote }}") == #"echo 'it'\''s a "test" $(rm -rf /) `id` ; echo'"#)
        #expect(try render("echo {{ spaced | quote }}") == "echo 'two words'")
        // Only a final `quote` counts: anything after it changes the text, which is quoted again.
        #expect(try render("echo {{ spaced | quote | upper }}") == #"echo ''\''TWO WORDS'\'''"#)
        #expect(try renderTemplate("echo {{ spaced | quote }}", Self.variables) == "echo 'two words'")
        #expect(try renderTemplate("echo {{ spaced }}", Self.variables) == "echo two words")
    }

    @Test func aSingleExpressionKeepsItsType() throws {
        let scope = VariableScope(Self.variables)
        #expect(try Template(parsing: "{{ nodes }}").value(in: scope) == ["db1", "db2"])
        #expect(try Template(parsing: "{{ port }}").value(in: scope) == 22)
        #expect(try Template(parsing: "{{ nothing }}").value(in: scope) == .null)
        #expect(try Template(parsing: "{{ dict }}").value(in: scope) == ["a": "x", "b": 2])
        #expect(try Template(parsing: " {{ port }}").value(in: scope) == " 22")
        #expect(try Template(parsing: "{{ port }}{{ port }}").value(in: scope) == "2222")
        #expect(try Template(parsing: "no braces").value(in: scope) == "no braces")
        #expect(try Template(parsing: "{{ port }}").singleExpression != nil)
        #expect(try Template(parsing: "x{{ port }}").singleExpression == nil)
        #expect(try Template(parsing: "no braces").isLiteral)
        #expect(try Template(parsing: "{{ port }}").isLiteral == false)
    }

    @Test func reportsVariablesAndTheRequiredOnes() throws {
        let template = try Template(parsing: "{{ user }}@{{ host | default(inventory_hostname) }}:{{ port }}")
        #expect(template.variables == ["user", "host", "inventory_hostname", "port"])
        #expect(template.requiredVariables == ["user", "inventory_hostname", "port"])
        let cases: [(String, Set<String>, Set<String>)] = [
            ("groups['db'][0] ~ suffix", ["groups", "suffix"], ["groups", "suffix"]),
            ("x is defined and x > 1", ["x"], []),
            ("x is not defined or x.enabled", ["x"], []),
            ("(a | default(b)) is defined", ["a", "b"], []),
            ("a | d(b | d(c))", ["a", "b", "c"], ["c"]),
            ("a[i] | default(0)", ["a", "i"], []),
            ("[a, {'k': b}] | length > n", ["a", "b", "n"], ["a", "b", "n"]),
            ("not a is none", ["a"], ["a"]),
            ("true and 'x' in []", [], []),
        ]
        for (text, variables, required) in cases {
            let expression = try TemplateExpression(parsing: text)
            #expect(expression.variables == variables, "\(text)")
            #expect(expression.requiredVariables == required, "\(text)")
        }
    }

    @Test func syntaxErrorsCarryOffsets() {
        let cases: [(String, Int, String)] = [
            ("echo {{ user", 5, "expected '}}' to close '{{'"),
            ("a {{ b }} {{ c ", 10, "expected '}}' to close '{{'"),
            ("{{ x | lowr }}", 7, "unknown filter 'lowr'"),
            ("{% if x %}y{% endif %}", 0, "'{% %}' blocks are not supported"),
            ("ok {# never closed", 3, "expected '#}' to close the comment '{#'"),
            ("{{ }}", 3, "expected an expression"),
            ("{{ 'open }}", 3, "unterminated string"),
            ("{{ a b }}", 5, "unexpected 'b'"),
            ("{{ a = 1 }}", 5, "unexpected '=' (use '==' to compare)"),
            ("{{ (a }}", 3, "unclosed '(': expected ')' before the closing '}}'"),
            ("{{ [1, {'a': 2 }}", 3, "unclosed '[': expected ']' before the closing '}}'"),
            ("{{ [1, (2 }}", 7, "unclosed '(': expected ')' before the closing '}}'"),
            ("{{ (a ] }}", 3, "unclosed '(': expected ')' before the closing '}}'"),
            ("Grüße {{ 1 +* 2 }}", 14, "operator '*' is not supported"),
            ("{{ a < b < c }}", 5, "chained comparisons are not supported"),
            ("{{ x is odd }}", 8, "unknown test 'odd' (known: defined, undefined, none)"),
            ("{{ lookup('env', 'HOME') }}", 9, "calling functions or methods is not supported"),
            ("{{ x | }}", 7, "expected a filter name after '|'"),
            ("{{ a. }}", 6, "expected a name after '.'"),
            ("{{ 99999999999999999999 }}", 3, "number 99999999999999999999 is too large"),
            ("{{ 'bad \\u12 escape' }}", 8, "invalid escape"),
            ("{{ and }}", 3, "expected an expression, found 'and'"),
            ("{{ a ! b }}", 5, "unexpected character '!'"),
            ("{{ a \u{7F} }}", 5, "unexpected character byte 0x7F"),
        ]
        for (text, offset, message) in cases {
            let error = templateError(text)
            #expect(error?.kind == .syntax, "\(text)")
            #expect(error?.offset == offset, "\(text): \(String(describing: error))")
            #expect(error?.message.hasPrefix(message) == true, "\(text): \(String(describing: error))")
        }
    }

    @Test func evaluationErrorsCarryOffsetsInTheTemplate() throws {
        #expect(templateError("echo {{ missing }}", Self.variables) == TemplateError(.undefined, at: 8, "undefined variable 'missing'"))
        #expect(templateError("{{ dict.foo }}", Self.variables) == TemplateError(.undefined, at: 7, "'dict' has no key 'foo'"))
        #expect(templateError("{{ nodes[5] }}", Self.variables)?.message == "index 5 out of range for a list of 2")
    }

    @Test func offsetsConvertToLineAndColumn() throws {
        let text = "first line\nsecond {{ oops"
        let error = try #require(templateError(text))
        #expect(error.offset == 18)
        #expect(error.position(in: text) == (line: 2, column: 8))
        let accented = "ü {{ x | nope }}"
        let second = try #require(templateError(accented))
        #expect(second.offset == 10)
        #expect(second.position(in: accented) == (line: 1, column: 10))
        #expect(second.description == second.message)
    }
}
