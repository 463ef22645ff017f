/// The operations on values behind subscripts and operators, with Python's rules and
/// messages close to Ansible's.
extension TemplateExpression {
    /// `container[key]` and `container.key`: lists and strings by integer position (negative
    /// from the end), dicts by string key. A missing item is undefined, as in Jinja.
    static func item(of container: InventoryValue, key: InventoryValue, at offset: Int) throws(TemplateError)
        -> InventoryValue
    {
        switch (container, key) {
        case (.dict(let entries), _):
            guard case .string(let name) = key, let value = entries[name] else {
                throw .undefined(offset, "'dict' has no key \(describe(key))")
            }
            return value
        case (.list(let items), .int(let position)):
            guard let resolved = resolve(position, count: items.count) else {
                throw .undefined(offset, "index \(position) out of range for a list of \(items.count)")
            }
            return items[resolved]
        case (.string(let text), .int(let position)):
            let scalars = Array(text.unicodeScalars)
            guard let resolved = resolve(position, count: scalars.count) else {
                throw .undefined(offset, "index \(position) out of range for a string of \(scalars.count)")
            }
            return .string(String(scalars[resolved]))
        case (.list, _), (.string, _):
            throw .evaluation(offset, "\(container.typeName) indices must be integers, not '\(key.typeName)'")
        default:
            throw .undefined(offset, "'\(container.typeName)' has no attribute or item \(describe(key))")
        }
    }

    private static func resolve(_ position: Int, count: Int) -> Int? {
        let resolved = position < 0 ? count + position : position
        return resolved >= 0 && resolved < count ? resolved : nil
    }

    private static func describe(_ key: InventoryValue) -> String {
        if case .string(let name) = key { return "'\(name)'" }
        return key.description
    }

    /// `needle in haystack`: substrings of strings, items of lists, keys of dicts.
    static func contains(_ haystack: InventoryValue, _ needle: InventoryValue, at offset: Int) throws(TemplateError)
        -> Bool
    {
        switch (haystack, needle) {
        case (.string(let text), .string(let part)): return part.isEmpty || text.contains(part)
        case (.string, _):
            throw .evaluation(offset, "'in <string>' requires a string on the left, not '\(needle.typeName)'")
        case (.list(let items), _): return items.contains { $0.templateEquals(needle) }
        case (.dict(let entries), .string(let key)): return entries[key] != nil
        case (.dict, _): return false
        default: throw .evaluation(offset, "'in' needs a string, list or dict on the right, not '\(haystack.typeName)'")
        }
    }

    static func negate(_ value: InventoryValue, at offset: Int) throws(TemplateError) -> InventoryValue {
        switch value {
        case .int(let number):
            guard number != .min else { throw .evaluation(offset, "integer overflow") }
            return .int(-number)
        case .float(let number): return .float(-number)
        default: throw .evaluation(offset, "bad operand type for unary -: '\(value.typeName)'")
        }
    }

    /// `+` adds numbers and joins strings or lists, as Python's does; `-` subtracts numbers.
    static func arithmetic(_ binary: BinaryOperator, _ lhs: InventoryValue, _ rhs: InventoryValue, at offset: Int)
        throws(TemplateError) -> InventoryValue
    {
        let adding = binary == .plus
        switch (lhs, rhs) {
        case (.int(let left), .int(let right)):
            let (result, overflow) = adding ? left.addingReportingOverflow(right) : left.subtractingReportingOverflow(right)
            guard !overflow else { throw .evaluation(offset, "integer overflow") }
            return .int(result)
        case (.int, .float), (.float, .int), (.float, .float):
            let (left, right) = (floatValue(lhs), floatValue(rhs))
            return .float(adding ? left + right : left - right)
        case (.string(let left), .string(let right)) where adding: return .string(left + right)
        case (.list(let left), .list(let right)) where adding: return .list(left + right)
        default:
            throw .evaluation(
                offset, "unsupported operand types for \(binary.rawValue): '\(lhs.typeName)' and '\(rhs.typeName)'")
        }
    }

    private static func floatValue(_ value: InventoryValue) -> Double {
        switch value {
        case .int(let number): Double(number)
        case .float(let number): number
        default: 0
        }
    }
}
