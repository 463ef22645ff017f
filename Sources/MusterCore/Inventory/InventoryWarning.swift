/// Something Ansible skips with a warning rather than failing on, such as an unknown key in a
/// YAML group (`host:` for `hosts:`); the inventory still loads, and the command line shows these.
public struct InventoryWarning: Sendable, Hashable, CustomStringConvertible {
    public let source: String
    public let line: Int?
    public let column: Int?
    public let message: String

    public init(source: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.source = source
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        SourceLocation.describe(source: source, line: line, column: column) + ": warning: " + message
    }
}
