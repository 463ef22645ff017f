/// Evaluation with Jinja's meaning and Ansible's strictness: using an undefined variable, key
/// or index is an error of kind `.undefined`, which only `default` and `is defined` absorb.
extension TemplateExpression {
    /// Parses a bare expression, as written in `when:`, `until:` or `assert: that:`.
    /// Error offsets are UTF-8 offsets into `text`.
    public init(parsing text: String) throws(TemplateError) {
        if let start = text.utf8.firstIndex(where: { $0 != 0x20 }), text.utf8[start...].starts(with: "{{".utf8) {
            let offset = text.utf8.distance(from: text.utf8.startIndex, to: start)
            throw .syntax(offset, "conditions are bare expressions: write them without '{{ }}'")
        }
        var lexer = ExpressionLexer(bytes: Array(text.utf8), start: 0, opening: nil)
        var parser = ExpressionParser(tokens: try lexer.tokenize())
        self = try parser.parseAll()
    }

    /// The expression's value; tree height is bounded by the parser, so recursion is too.
    public func evaluate(in scope: VariableScope) throws(TemplateError) -> InventoryValue {
        switch node {
        case .literal(let value):
            return value
        case .list(let items):
            var values: [InventoryValue] = []
            for item in items { values.append(try item.evaluate(in: scope)) }
            return .list(values)
        case .dict(let entries):
            var dictionary = InventoryDictionary()
            for entry in entries {
                let key = try entry.key.evaluate(in: scope)
                guard case .string(let name) = key else {
                    throw .evaluation(entry.key.offset, "dict keys must be strings, not '\(key.typeName)'")
                }
                dictionary[name] = try entry.value.evaluate(in: scope)
            }
            return .dict(dictionary)
        case .variable(let name):
            guard let value = scope.lookup(name) else { throw .undefined(offset, "undefined variable '\(name)'") }
            return value
        case .member(let base, let key):
            return try Self.item(of: try base.evaluate(in: scope), key: .string(key), at: offset)
        case .index(let base, let position):
            let container = try base.evaluate(in: scope)
            return try Self.item(of: container, key: try position.evaluate(in: scope), at: offset)
        case .not(let operand):
            return .bool(!(try operand.evaluate(in: scope)).isTruthy)
        case .negate(let operand):
            return try Self.negate(try operand.evaluate(in: scope), at: offset)
        case .binary(let binary, let left, let right):
            return try evaluate(binary, left, right, in: scope)
        case .test(let subject, let test, let negated):
            return .bool(try subject.passes(test, in: scope) != negated)
        case .filter(let subject, .defaultValue, let arguments):
            return try subject.evaluateWithDefault(arguments, in: scope)
        case .filter(let subject, let filter, let arguments):
            let value = try subject.evaluate(in: scope)
            var values: [InventoryValue] = []
            for argument in arguments { values.append(try argument.evaluate(in: scope)) }
            return try filter.apply(to: value, values, at: offset)
        }
    }

    /// The expression as a condition, with Python's truthiness.
    public func isTrue(in scope: VariableScope) throws(TemplateError) -> Bool {
        try evaluate(in: scope).isTruthy
    }

    /// The value, or nil where it is undefined.
    private func evaluateIfDefined(in scope: VariableScope) throws(TemplateError) -> InventoryValue? {
        do throws(TemplateError) {
            return try evaluate(in: scope)
        } catch where error.kind == .undefined {
            return nil
        }
    }

    private func passes(_ test: TemplateTest, in scope: VariableScope) throws(TemplateError) -> Bool {
        switch test {
        case .defined: try evaluateIfDefined(in: scope) != nil
        case .undefined: try evaluateIfDefined(in: scope) == nil
        case .null: try evaluate(in: scope) == .null
        }
    }

    /// `default(fallback, boolean)`: the fallback when undefined, or also when falsy if
    /// `boolean` is true; the fallback is only evaluated when it is used.
    private func evaluateWithDefault(_ arguments: [TemplateExpression], in scope: VariableScope) throws(TemplateError)
        -> InventoryValue
    {
        let value = try evaluateIfDefined(in: scope)
        let replacesFalsy = arguments.count > 1 ? try arguments[1].isTrue(in: scope) : false
        if let value, !(replacesFalsy && !value.isTruthy) { return value }
        guard let fallback = arguments.first else { return .string("") }
        return try fallback.evaluate(in: scope)
    }

    private func evaluate(
        _ binary: BinaryOperator, _ left: TemplateExpression, _ right: TemplateExpression, in scope: VariableScope
    ) throws(TemplateError) -> InventoryValue {
        let lhs = try left.evaluate(in: scope)
        switch binary {
        case .and: return lhs.isTruthy ? try right.evaluate(in: scope) : lhs
        case .or: return lhs.isTruthy ? lhs : try right.evaluate(in: scope)
        default: break
        }
        let rhs = try right.evaluate(in: scope)
        switch binary {
        case .equal: return .bool(lhs.templateEquals(rhs))
        case .notEqual: return .bool(!lhs.templateEquals(rhs))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let order = lhs.templateCompare(rhs) else {
                throw .evaluation(
                    offset, "'\(binary.rawValue)' is not supported between '\(lhs.typeName)' and '\(rhs.typeName)'")
            }
            let holds = switch binary {
            case .less: order < 0
            case .lessOrEqual: order <= 0
            case .greater: order > 0
            default: order >= 0
            }
            return .bool(holds)
        case .in: return .bool(try Self.contains(rhs, lhs, at: offset))
        case .notIn: return .bool(!(try Self.contains(rhs, lhs, at: offset)))
        case .concat: return .string(lhs.description + rhs.description)
        default: return try Self.arithmetic(binary, lhs, rhs, at: offset)
        }
    }
}
