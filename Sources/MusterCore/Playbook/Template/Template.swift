import MusterSSH

/// A playbook value with `{{ expression }}` substitutions, parsed once and rendered per host.
/// `{# comments #}` are dropped as Jinja drops them; `{% %}` blocks are refused.
public struct Template: Sendable, Hashable {
    public enum Segment: Sendable, Hashable {
        case text(String)
        case expression(TemplateExpression)
    }

    /// How each substitution's text is written into the result.
    public enum Quoting: Sendable, Hashable {
        /// As the value prints (`InventoryValue.description`).
        case none
        /// As one shell word, for commands: every substitution is shell-quoted unless its last
        /// filter is `quote`, which has quoted it already. Write `{{ x }}`, not `'{{ x }}'`.
        case shell
    }

    public let source: String
    public let segments: [Segment]

    /// Error offsets are UTF-8 offsets into `source`.
    public init(parsing source: String) throws(TemplateError) {
        self.source = source
        self.segments = try TemplateScanner(source: source).segments()
    }

    /// True when the source has no substitutions: rendering gives the text back.
    public var isLiteral: Bool {
        segments.allSatisfy { if case .text = $0 { true } else { false } }
    }

    /// The expression when the whole template is one `{{ expression }}`, whose value keeps its
    /// type (a list stays a list), as Ansible keeps it.
    public var singleExpression: TemplateExpression? {
        guard segments.count == 1, case .expression(let expression) = segments[0] else { return nil }
        return expression
    }

    public var expressions: [TemplateExpression] {
        segments.compactMap { if case .expression(let expression) = $0 { expression } else { nil } }
    }

    /// Root variables mentioned anywhere in the template.
    public var variables: Set<String> {
        expressions.reduce(into: []) { $0.formUnion($1.variables) }
    }

    /// Root variables that must be defined to render: see `TemplateExpression.requiredVariables`.
    public var requiredVariables: Set<String> {
        expressions.reduce(into: []) { $0.formUnion($1.requiredVariables) }
    }

    public func render(in scope: VariableScope, quoting: Quoting = .none) throws(TemplateError) -> String {
        var result = ""
        for segment in segments {
            switch segment {
            case .text(let text):
                result += text
            case .expression(let expression):
                let text = try expression.evaluate(in: scope).description
                result += quoting == .shell && !expression.endsWithQuoteFilter ? ShellQuote.quote(text) : text
            }
        }
        return result
    }

    /// The typed value of a single-expression template, otherwise the rendered text as a string.
    public func value(in scope: VariableScope) throws(TemplateError) -> InventoryValue {
        if let singleExpression { return try singleExpression.evaluate(in: scope) }
        return .string(try render(in: scope))
    }
}

extension TemplateExpression {
    var endsWithQuoteFilter: Bool {
        if case .filter(_, .quote, _) = node { return true }
        return false
    }
}

/// Splits template text into literal text and `{{ }}` expressions.
private struct TemplateScanner {
    let source: String
    let bytes: [UInt8]

    init(source: String) {
        self.source = source
        self.bytes = Array(source.utf8)
    }

    func segments() throws(TemplateError) -> [Template.Segment] {
        var segments: [Template.Segment] = []
        var text: [UInt8] = []
        var position = 0
        func flushText() {
            if !text.isEmpty { segments.append(.text(String(decoding: text, as: UTF8.self))) }
            text.removeAll()
        }
        while position < bytes.count {
            let next = position + 1 < bytes.count ? bytes[position + 1] : nil
            guard bytes[position] == UInt8(ascii: "{"), let next else {
                text.append(bytes[position])
                position += 1
                continue
            }
            switch next {
            case UInt8(ascii: "{"):
                flushText()
                var lexer = ExpressionLexer(bytes: bytes, start: position + 2, opening: position)
                var parser = ExpressionParser(tokens: try lexer.tokenize())
                segments.append(.expression(try parser.parseAll()))
                position = lexer.position
            case UInt8(ascii: "#"):
                guard let end = find("#}", from: position + 2) else {
                    throw .syntax(position, "expected '#}' to close the comment '{#'")
                }
                position = end + 2
            case UInt8(ascii: "%"):
                throw .syntax(position, "'{% %}' blocks are not supported: only '{{ expression }}' substitutions")
            default:
                text.append(bytes[position])
                position += 1
            }
        }
        flushText()
        return segments
    }

    private func find(_ marker: String, from start: Int) -> Int? {
        let marker = Array(marker.utf8)
        var position = start
        while position + marker.count <= bytes.count {
            if bytes[position..<position + marker.count].elementsEqual(marker) { return position }
            position += 1
        }
        return nil
    }
}
