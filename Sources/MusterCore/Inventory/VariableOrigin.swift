/// Where a variable's value was written, so `muster inventory --resolve` can point at the line
/// that won: the INI host line or `[group:vars]` line, the YAML key, or the key in a
/// `group_vars/`/`host_vars/` file.
public struct VariableOrigin: Sendable, Hashable, CustomStringConvertible {
    /// The file's path (inventory paths as given; vars files under the directory given), or `host list`.
    public let source: String
    /// 1-based line; nil for host lists.
    public let line: Int?
    /// 1-based column where the key (or host) starts, when known.
    public let column: Int?
    /// The group the value was set for; nil when it was set for the host itself.
    public let group: String?

    public init(source: String, line: Int? = nil, column: Int? = nil, group: String? = nil) {
        self.source = source
        self.line = line
        self.column = column
        self.group = group
    }

    /// `group_vars/web.yml:3:1 (group web)`.
    public var description: String {
        SourceLocation.describe(source: source, line: line, column: column) + (group.map { " (group \($0))" } ?? "")
    }
}

/// A value together with where it was set; the unit every precedence step works on.
struct SourcedValue: Sendable, Hashable {
    let value: InventoryValue
    let origin: VariableOrigin
}

/// The variables one place sets: a group or host in an inventory file, or one vars file.
typealias SourcedVariables = [String: SourcedValue]

/// The `file:line:column` form shared by errors, warnings and origins, leaving out what is unknown.
enum SourceLocation {
    static func describe(source: String, line: Int?, column: Int?) -> String {
        [source, line.map(String.init), column.map(String.init)].compactMap { $0 }.joined(separator: ":")
    }
}
