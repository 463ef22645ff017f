/// A mistake in a playbook or in the variables it is run with: where it is and what
/// was expected. Found before any host is contacted; the CLI exits with status 2.
public struct PlaybookError: Error, Sendable, Hashable, CustomStringConvertible, BadInput {
    /// The playbook or vars file as given, or `-e` for command-line variables.
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
        SourceLocation.describe(source: source, line: line, column: column) + ": " + message
    }
}
