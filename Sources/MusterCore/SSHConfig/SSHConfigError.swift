/// Why an ssh config, or ssh arguments, cannot be used, pointing at the place to fix:
/// `/root/.ssh/config:12:8: expected a port number from 1 to 65535 or a service name, not "abc"`.
/// Muster refuses what OpenSSH refuses, so a host never connects with settings ssh would not use.
public struct SSHConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The config file, or the name of the argument string (`ansible_ssh_common_args`).
    public let path: String
    /// 1-based line, when the problem is on one line of a file.
    public let line: Int?
    /// 1-based column in characters, when the problem is at one place on the line.
    public let column: Int?
    public let message: String

    public init(path: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    init(at location: SSHConfigLocation, _ message: String) {
        self.init(path: location.path, line: location.line, column: location.column, message: message)
    }

    /// `path:line:column: message` for files; an argument string has no lines, so its column is spelled out.
    public var description: String {
        if line == nil, let column { return "\(path), column \(column): \(message)" }
        let place = [path, line.map(String.init), column.map(String.init)].compactMap { $0 }
        return place.joined(separator: ":") + ": " + message
    }
}
