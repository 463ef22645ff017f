/// Recursive descent over Jinja's precedence, loosest first: `or`, `and`, `not`, comparisons
/// and `in`, `~`, `+ -`, unary `-`, then postfix `.name`, `[index]`, `| filter` and `is test`.
/// Nesting is bounded twice: parser recursion, and the height of the tree it builds.
struct ExpressionParser {
    let tokens: [ExpressionToken]
    private(set) var index = 0
    private var nesting = 0

    init(tokens: [ExpressionToken]) {
        self.tokens = tokens
    }

    /// Parses the whole token list, which must hold exactly one expression.
    mutating func parseAll() throws(TemplateError) -> TemplateExpression {
        if case .end = current.kind { throw .syntax(current.offset, "expected an expression") }
        let expression = try parseOr()
        guard case .end = current.kind else {
            let hint = isSymbol("=") ? " (use '==' to compare)" : ""
            throw .syntax(current.offset, "unexpected \(current.quoted)\(hint)")
        }
        return expression
    }

    // MARK: Tokens

    var current: ExpressionToken { tokens[index] }

    mutating func advance() -> ExpressionToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }
    func isName(_ name: String) -> Bool { current.kind == .name(name) }

    mutating func expect(_ symbol: String, closing opening: ExpressionToken? = nil) throws(TemplateError) {
        guard isSymbol(symbol) else {
            let context = opening.map { " to close '\($0.symbolText)' at offset \($0.offset)" } ?? ""
            throw .syntax(current.offset, "expected '\(symbol)'\(context), found \(current.quoted)")
        }
        _ = advance()
    }

    func make(_ node: TemplateExpression.Node, at offset: Int) throws(TemplateError) -> TemplateExpression {
        let expression = TemplateExpression(node, at: offset)
        guard expression.depth <= TemplateExpression.maximumDepth else { throw tooDeep(at: offset) }
        return expression
    }

    func tooDeep(at offset: Int) -> TemplateError {
        .syntax(offset, "expression nested too deeply (limit \(TemplateExpression.maximumDepth))")
    }

    /// Counts recursion into nested sub-expressions, for inputs like `((((((...` that build no nodes.
    mutating func nested<T>(_ body: (inout ExpressionParser) throws(TemplateError) -> T) throws(TemplateError) -> T {
        guard nesting < TemplateExpression.maximumDepth else { throw tooDeep(at: current.offset) }
        nesting += 1
        defer { nesting -= 1 }
        return try body(&self)
    }

    // MARK: Operators

    mutating func parseOr() throws(TemplateError) -> TemplateExpression {
        try nested { (parser: inout ExpressionParser) throws(TemplateError) in
            var left = try parser.parseAnd()
            while parser.isName("or") {
                let operatorToken = parser.advance()
                left = try parser.make(.binary(.or, left, try parser.parseAnd()), at: operatorToken.offset)
            }
            return left
        }
    }

    private mutating func parseAnd() throws(TemplateError) -> TemplateExpression {
        var left = try parseNot()
        while isName("and") {
            let operatorToken = advance()
            left = try make(.binary(.and, left, try parseNot()), at: operatorToken.offset)
        }
        return left
    }

    private mutating func parseNot() throws(TemplateError) -> TemplateExpression {
        guard isName("not") else { return try parseComparison() }
        let operatorToken = advance()
        let operand = try nested { (parser: inout ExpressionParser) throws(TemplateError) in try parser.parseNot() }
        return try make(.not(operand), at: operatorToken.offset)
    }

    private mutating func parseComparison() throws(TemplateError) -> TemplateExpression {
        let left = try parseConcat()
        guard let (comparison, offset) = comparisonOperator() else { return left }
        let expression = try make(.binary(comparison, left, try parseConcat()), at: offset)
        if comparisonOperator() != nil {
            throw .syntax(offset, "chained comparisons are not supported: combine them with 'and'")
        }
        return expression
    }

    /// Consumes a comparison operator, `in` or `not in`.
    private mutating func comparisonOperator() -> (TemplateExpression.BinaryOperator, Int)? {
        let offset = current.offset
        switch current.kind {
        case .symbol(let symbol):
            guard let comparison = TemplateExpression.BinaryOperator(rawValue: symbol),
                [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual].contains(comparison)
            else { return nil }
            _ = advance()
            return (comparison, offset)
        case .name("in"):
            _ = advance()
            return (.in, offset)
        case .name("not") where index + 1 < tokens.count && tokens[index + 1].kind == .name("in"):
            _ = advance()
            _ = advance()
            return (.notIn, offset)
        default:
            return nil
        }
    }

    private mutating func parseConcat() throws(TemplateError) -> TemplateExpression {
        var left = try parseAdditive()
        while isSymbol("~") {
            let operatorToken = advance()
            left = try make(.binary(.concat, left, try parseAdditive()), at: operatorToken.offset)
        }
        return left
    }

    private mutating func parseAdditive() throws(TemplateError) -> TemplateExpression {
        var left = try parseUnary()
        while isSymbol("+") || isSymbol("-") {
            let operatorToken = advance()
            let binary: TemplateExpression.BinaryOperator = operatorToken.kind == .symbol("+") ? .plus : .minus
            left = try make(.binary(binary, left, try parseUnary()), at: operatorToken.offset)
        }
        return left
    }

    private mutating func parseUnary() throws(TemplateError) -> TemplateExpression {
        guard isSymbol("-") || isSymbol("+") else { return try parsePostfix(try parsePrimary()) }
        let operatorToken = advance()
        let operand = try nested { (parser: inout ExpressionParser) throws(TemplateError) in try parser.parseUnary() }
        return operatorToken.kind == .symbol("-") ? try make(.negate(operand), at: operatorToken.offset) : operand
    }
}

extension ExpressionToken {
    var symbolText: String {
        if case .symbol(let symbol) = kind { return symbol }
        return ""
    }
}
