/// How expressions treat values: Python's truthiness, equality and ordering, which Jinja uses.
extension InventoryValue {
    /// The type's name in error messages.
    var typeName: String {
        switch self {
        case .string: "string"
        case .int: "int"
        case .float: "float"
        case .bool: "bool"
        case .list: "list"
        case .dict: "dict"
        case .null: "none"
        }
    }

    /// Python's truthiness: empty strings, lists and dicts, zero, none and false are false.
    public var isTruthy: Bool {
        switch self {
        case .string(let text): !text.isEmpty
        case .int(let number): number != 0
        case .float(let number): number != 0
        case .bool(let flag): flag
        case .list(let items): !items.isEmpty
        case .dict(let entries): !entries.isEmpty
        case .null: false
        }
    }

    /// Equality where an int equals the float of the same number, inside lists and dicts too.
    func templateEquals(_ other: InventoryValue) -> Bool {
        switch (self, other) {
        case (.int(let left), .float(let right)), (.float(let right), .int(let left)):
            return Double(left) == right
        case (.list(let left), .list(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.templateEquals($1) }
        case (.dict(let left), .dict(let right)):
            return left.count == right.count
                && left.allSatisfy { entry in right[entry.key].map(entry.value.templateEquals) ?? false }
        default:
            return self == other
        }
    }

    /// Ordering between numbers (ints and floats together) and between strings (by code
    /// point, as Python compares); nil for anything else, which is an evaluation error.
    func templateCompare(_ other: InventoryValue) -> Int? {
        switch (self, other) {
        case (.int(let left), .int(let right)): return left < right ? -1 : left == right ? 0 : 1
        case (.string(let left), .string(let right)):
            if left.utf8.elementsEqual(right.utf8) { return 0 }
            return PythonOrder.precedes(left, right) ? -1 : 1
        default:
            guard let left = numericValue, let right = other.numericValue, !left.isNaN, !right.isNaN else { return nil }
            return left < right ? -1 : left == right ? 0 : 1
        }
    }

    private var numericValue: Double? {
        switch self {
        case .int(let number): Double(number)
        case .float(let number): number
        default: nil
        }
    }
}
