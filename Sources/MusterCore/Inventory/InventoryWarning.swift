/// Something Ansible skips with a warning rather than failing on, such as an unknown key in a
/// YAML group (`host:` for `hosts:`); the inventory still loads, and the command line shows these.
/// It names its place exactly as an `InventoryError` does.
public struct InventoryWarning: Sendable, Hashable, CustomStringConvertible {
    public let problem: InventoryError

    public init(source: String, line: Int? = nil, column: Int? = nil, message: String) {
        problem = InventoryError(source: source, line: line, column: column, message: message)
    }

    public var description: String {
        SourceLocation.describe(source: problem.source, line: problem.line, column: problem.column) + ": warning: " + problem.message
    }
}
