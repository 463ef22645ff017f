/// Why an inventory could not be loaded, pointing at the place to fix:
/// `inventories/dc.ini:12:7: expected ']' to close the group name`.
public struct InventoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The inventory or vars file's path as given, or `host list`.
    public let source: String
    /// 1-based line, when the problem is on one line.
    public let line: Int?
    /// 1-based column in characters, when the problem is at one place on the line.
    public let column: Int?
    public let message: String

    public init(source: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.source = source
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        SourceLocation.describe(source: source, line: line, column: column) + ": " + message
    }
}
