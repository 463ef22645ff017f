/// Operands: literals, variables, brackets, then the postfix chain of `.name`, `[index]`,
/// `| filter(arguments)` and `is [not] test`.
extension ExpressionParser {
    mutating func parsePrimary() throws(TemplateError) -> TemplateExpression {
        let token = advance()
        switch token.kind {
        case .name("true"), .name("True"): return try make(.literal(.bool(true)), at: token.offset)
        case .name("false"), .name("False"): return try make(.literal(.bool(false)), at: token.offset)
        case .name("none"), .name("None"): return try make(.literal(.null), at: token.offset)
        case .name("and"), .name("or"), .name("not"), .name("in"), .name("is"):
            throw .syntax(token.offset, "expected an expression, found \(token.quoted)")
        case .name(let name): return try make(.variable(name), at: token.offset)
        case .int(let number): return try make(.literal(.int(number)), at: token.offset)
        case .float(let number): return try make(.literal(.float(number)), at: token.offset)
        case .string(let text): return try make(.literal(.string(text)), at: token.offset)
        case .symbol("("):
            let inner = try parseOr()
            try expect(")", closing: token)
            return inner
        case .symbol("["):
            return try make(.list(try parseItems(closing: token) { (parser: inout ExpressionParser) throws(TemplateError) in try parser.parseOr() }), at: token.offset)
        case .symbol("{"):
            return try make(.dict(try parseItems(closing: token) { (parser: inout ExpressionParser) throws(TemplateError) in try parser.parseDictEntry() }), at: token.offset)
        default:
            throw .syntax(token.offset, "expected an expression, found \(token.quoted)")
        }
    }

    /// Comma-separated items up to the bracket matching `opening`; a trailing comma is allowed.
    private mutating func parseItems<Item>(
        closing opening: ExpressionToken, _ item: (inout ExpressionParser) throws(TemplateError) -> Item
    ) throws(TemplateError) -> [Item] {
        let close = opening.symbolText == "[" ? "]" : "}"
        var items: [Item] = []
        while !isSymbol(close) {
            items.append(try nested(item))
            guard isSymbol(",") else { break }
            _ = advance()
        }
        try expect(close, closing: opening)
        return items
    }

    private mutating func parseDictEntry() throws(TemplateError) -> TemplateExpression.DictEntry {
        let key = try parseOr()
        try expect(":")
        return TemplateExpression.DictEntry(key: key, value: try parseOr())
    }

    mutating func parsePostfix(_ base: TemplateExpression) throws(TemplateError) -> TemplateExpression {
        var expression = base
        while true {
            if isSymbol(".") {
                let dot = advance()
                let name = advance()
                switch name.kind {
                case .name(let key): expression = try make(.member(expression, key), at: dot.offset)
                case .int(let number):
                    let position = try make(.literal(.int(number)), at: name.offset)
                    expression = try make(.index(expression, position), at: dot.offset)
                default: throw .syntax(name.offset, "expected a name after '.', found \(name.quoted)")
                }
            } else if isSymbol("[") {
                let bracket = advance()
                let position = try parseOr()
                try expect("]", closing: bracket)
                expression = try make(.index(expression, position), at: bracket.offset)
            } else if isSymbol("(") {
                throw .syntax(current.offset, "calling functions or methods is not supported")
            } else if isSymbol("|") {
                _ = advance()
                expression = try parseFilter(on: expression)
            } else if isName("is") {
                _ = advance()
                expression = try parseTest(on: expression)
            } else {
                return expression
            }
        }
    }

    private mutating func parseFilter(on subject: TemplateExpression) throws(TemplateError) -> TemplateExpression {
        let nameToken = advance()
        guard case .name(let name) = nameToken.kind else {
            throw .syntax(nameToken.offset, "expected a filter name after '|', found \(nameToken.quoted)")
        }
        guard let filter = TemplateFilter.named(name) else {
            let known = TemplateFilter.knownNames.joined(separator: ", ")
            throw .syntax(nameToken.offset, "unknown filter '\(name)' (known: \(known))")
        }
        var arguments: [TemplateExpression] = []
        if isSymbol("(") {
            let open = advance()
            while !isSymbol(")") {
                if case .name(let keyword) = current.kind, index + 1 < tokens.count, tokens[index + 1].kind == .symbol("=") {
                    throw .syntax(current.offset, "keyword arguments are not supported ('\(keyword)='): pass them in order")
                }
                arguments.append(try parseOr())
                guard isSymbol(",") else { break }
                _ = advance()
            }
            try expect(")", closing: open)
        }
        guard filter.arity.contains(arguments.count) else {
            let range = filter.arity
            let takes = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
            throw .syntax(nameToken.offset, "filter '\(name)' takes \(takes) argument(s), not \(arguments.count)")
        }
        if filter == .regexSearch, case .literal(let pattern) = arguments[0].node {
            do {
                _ = try TemplateFilter.compileRegex(pattern, at: arguments[0].offset)
            } catch {
                throw .syntax(error.offset, error.message)
            }
        }
        return try make(.filter(subject, filter, arguments), at: nameToken.offset)
    }

    private mutating func parseTest(on subject: TemplateExpression) throws(TemplateError) -> TemplateExpression {
        let negated = isName("not")
        if negated { _ = advance() }
        let nameToken = advance()
        guard case .name(let name) = nameToken.kind else {
            throw .syntax(nameToken.offset, "expected a test name after 'is', found \(nameToken.quoted)")
        }
        guard let test = TemplateTest.named(name) else {
            let known = TemplateTest.allCases.map(\.rawValue).joined(separator: ", ")
            throw .syntax(nameToken.offset, "unknown test '\(name)' (known: \(known))")
        }
        if isSymbol("(") { throw .syntax(current.offset, "test '\(name)' takes no arguments") }
        return try make(.test(subject, test, negated: negated), at: nameToken.offset)
    }
}
