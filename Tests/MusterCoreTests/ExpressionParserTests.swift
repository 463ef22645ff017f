import MusterCore
import Testing

@Suite struct ExpressionParserTests {
    @Test func buildsTheTreeByPrecedence() throws {
        let not = try TemplateExpression(parsing: "not a == b")
        guard case .not(let inner) = not.node, case .binary(.equal, _, _) = inner.node else {
            Issue.record("expected not (a == b), got \(not.node)")
            return
        }
        let or = try TemplateExpression(parsing: "a or b and c")
        guard case .binary(.or, _, let right) = or.node, case .binary(.and, _, _) = right.node else {
            Issue.record("expected a or (b and c), got \(or.node)")
            return
        }
        let path = try TemplateExpression(parsing: "groups['db'][0].name | default('x')")
        guard case .filter(let subject, .defaultValue, let arguments) = path.node,
            case .member(let indexed, "name") = subject.node, case .index(_, _) = indexed.node
        else {
            Issue.record("unexpected tree \(path.node)")
            return
        }
        #expect(arguments.count == 1)
        let b = try TemplateExpression(parsing: String(repeating: " ", count: 9) + "b")
        #expect(try TemplateExpression(parsing: "a not in b").node == .binary(.notIn, TemplateExpression(parsing: "a"), b))
    }

    @Test func offsetsPointAtOperators() throws {
        let expression = try TemplateExpression(parsing: "alpha  ==  beta")
        #expect(expression.offset == 7)
        guard case .binary(_, let left, let right) = expression.node else { return }
        #expect(left.offset == 0)
        #expect(right.offset == 11)
    }

    @Test func bareExpressionErrorsCarryOffsets() {
        let cases: [(String, Int, String)] = [
            ("(a", 2, "expected ')' to close '(' at offset 0, found the end of the expression"),
            ("a ==", 4, "expected an expression, found the end of the expression"),
            ("", 0, "expected an expression"),
            ("a }}", 2, "unexpected '}'"),
            (" {{ a }}", 1, "conditions are bare expressions: write them without '{{ }}'"),
            ("'x", 0, "unterminated string"),
        ]
        for (text, offset, message) in cases {
            let error = expressionError(text)
            #expect(error?.kind == .syntax, "\(text)")
            #expect(error?.offset == offset, "\(text): \(String(describing: error))")
            #expect(error?.message.hasPrefix(message) == true, "\(text): \(String(describing: error))")
        }
    }

    @Test func nestingIsLimited() throws {
        let limit = TemplateExpression.maximumDepth
        let inputs = [
            String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000),
            String(repeating: "[", count: 10_000), String(repeating: "{'a':", count: 5_000),
            String(repeating: "not ", count: 10_000) + "x", String(repeating: "-", count: 10_000) + "1",
            "x" + String(repeating: " | lower", count: 1_000), "x" + String(repeating: ".a", count: 1_000),
            (1...1_000).map { "a\($0)" }.joined(separator: " or "),
            (1...1_000).map { "'\($0)'" }.joined(separator: " ~ "),
        ]
        for input in inputs {
            let error = expressionError(input)
            #expect(error?.kind == .syntax)
            #expect(error?.message == "expression nested too deeply (limit \(limit))", "\(input.prefix(20))")
        }
        #expect(throws: Never.self) {
            try TemplateExpression(parsing: String(repeating: "(", count: 30) + "1" + String(repeating: ")", count: 30))
        }
        // Long flat lists are not nesting.
        #expect(try evaluateExpression("[" + (1...5_000).map(String.init).joined(separator: ",") + "] | length") == 5000)
    }

    /// Random input built from the characters the grammar cares about must parse or throw,
    /// and whatever parses must evaluate or throw.
    @Test func garbageNeverCrashes() {
        let pieces = [
            "{{", "}}", "{%", "{#", "#}", "{", "}", "(", ")", "[", "]", "'", "\"", "\\", ".", ",", ":", "|", "~", "+",
            "-", "*", "=", "==", "!=", "<", ">=", "!", " ", "\n", "a", "x1", "_", "0", "9", "1.5", "1e", "e9", "_1",
            "not", "and", "or", "in", "is", "none", "true", "default", "d(", "quote", "int", "first", "regex_search",
            "defined", "ü", "\u{0}", "\u{7F}", "🙂", "\\u", "\\x4", "\\777",
        ]
        var generator = SplitMix(seed: 0x5EED)
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 24)
            let text = (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let scope = VariableScope(["a": ["x1": [1, "2"]], "x1": "ü"])
            if let template = try? Template(parsing: text) {
                _ = try? template.render(in: scope, quoting: .shell)
                _ = try? template.value(in: scope)
                _ = template.requiredVariables
            }
            if let expression = try? TemplateExpression(parsing: text) {
                _ = try? expression.evaluate(in: scope)
                _ = expression.variables
            }
        }
    }
}

/// A small deterministic generator, so a failing input can be reproduced.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
