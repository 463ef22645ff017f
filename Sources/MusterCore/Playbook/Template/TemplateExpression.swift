/// A parsed `{{ }}` expression or bare condition (`when:`, `until:`, `assert: that:`).
/// Named apart from Foundation's `Expression`, which files importing Foundation also see.
public struct TemplateExpression: Sendable, Hashable {
    public indirect enum Node: Sendable, Hashable {
        case literal(InventoryValue)
        case list([TemplateExpression])
        case dict([DictEntry])
        case variable(String)
        /// `a.b`
        case member(TemplateExpression, String)
        /// `a[i]`, and `a.0`
        case index(TemplateExpression, TemplateExpression)
        case not(TemplateExpression)
        case negate(TemplateExpression)
        case binary(BinaryOperator, TemplateExpression, TemplateExpression)
        /// `a is defined`, `a is not none`
        case test(TemplateExpression, TemplateTest, negated: Bool)
        /// `a | name(arguments)`
        case filter(TemplateExpression, TemplateFilter, [TemplateExpression])
    }

    public struct DictEntry: Sendable, Hashable {
        public let key: TemplateExpression
        public let value: TemplateExpression
    }

    public enum BinaryOperator: String, Sendable, Hashable {
        case or, and
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case `in` = "in", notIn = "not in"
        case concat = "~", plus = "+", minus = "-"
    }

    public let node: Node
    /// UTF-8 offset in the parsed text: of the operator, filter or bracket for compound nodes,
    /// so evaluation errors point at the operation that failed.
    public let offset: Int
    /// Height of this tree; the parser refuses trees taller than `maximumDepth`, which bounds
    /// every recursive walk over them.
    let depth: Int

    /// Nesting allowed in one expression: far beyond what a playbook needs, far below the stack.
    public static let maximumDepth = 64

    init(_ node: Node, at offset: Int) {
        self.node = node
        self.offset = offset
        self.depth = 1 + node.children.map(\.depth).max(default: 0)
    }
}

extension TemplateExpression.Node {
    var children: [TemplateExpression] {
        switch self {
        case .literal, .variable: []
        case .list(let items): items
        case .dict(let entries): entries.flatMap { [$0.key, $0.value] }
        case .member(let base, _), .not(let base), .negate(let base), .test(let base, _, _): [base]
        case .index(let base, let index): [base, index]
        case .binary(_, let left, let right): [left, right]
        case .filter(let base, _, let arguments): [base] + arguments
        }
    }
}

extension Sequence where Element == Int {
    fileprivate func max(default value: Int) -> Int { self.max() ?? value }
}
