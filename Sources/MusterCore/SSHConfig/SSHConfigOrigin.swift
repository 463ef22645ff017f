/// Where a resolved setting came from, so `muster inventory --resolve` can show why a host
/// connects the way it does.
public enum SSHConfigOrigin: Sendable, Hashable, CustomStringConvertible {
    /// A line of a config file.
    case file(path: String, line: Int)
    /// ssh command-line arguments (`ansible_ssh_common_args`), which ssh applies before any file.
    case arguments
    /// The host, user or port handed to `resolve`, as ssh's own command line gives them.
    case given

    public var description: String {
        switch self {
        case .file(let path, let line): "\(path):\(line)"
        case .arguments: "ssh arguments"
        case .given: "inventory"
        }
    }
}

/// A resolved value and the place that set it.
public struct SSHConfigValue<Value: Sendable & Hashable>: Sendable, Hashable {
    public let value: Value
    public let origin: SSHConfigOrigin

    public init(_ value: Value, from origin: SSHConfigOrigin) {
        self.value = value
        self.origin = origin
    }
}

/// A place in a config file or argument string, kept with parsed values because some
/// problems (an unknown `%` token, say) only show when a host is resolved.
struct SSHConfigLocation: Sendable, Hashable {
    /// The file, or the name of the argument string.
    let path: String
    /// Nil for ssh arguments, which are one string.
    let line: Int?
    let column: Int

    var origin: SSHConfigOrigin {
        line.map { .file(path: path, line: $0) } ?? .arguments
    }
}

/// A word of a config line with its place, for provenance and error columns.
struct SSHConfigArgument: Sendable, Hashable {
    let text: String
    let location: SSHConfigLocation
}
