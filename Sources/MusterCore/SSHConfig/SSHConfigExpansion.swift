/// Expands a path or name from the config the way ssh does just before using it: `~` (from the
/// password database), then `%` tokens and, where ssh allows them, `${VAR}` in one pass.
struct SSHConfigExpansion {
    /// Token letters and their values; `%%` is always a percent sign.
    let tokens: [UInt8: String]
    /// Tokens ssh knows here that Muster cannot compute (`%C`, a hash of the connection).
    var unsupportedTokens: Set<UInt8> = []
    /// Environment variables for `${NAME}`; nil where ssh does not expand them (HostName).
    var variables: [String: String]?

    func expand(_ argument: SSHConfigArgument) throws(SSHConfigError) -> String {
        let text = Array(argument.text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < text.count {
            let byte = text[index]
            if let variables, byte == UInt8(ascii: "$"), index + 1 < text.count, text[index + 1] == UInt8(ascii: "{") {
                let nameStart = index + 2
                guard let close = text[nameStart...].firstIndex(of: UInt8(ascii: "}")) else {
                    throw error(in: argument, at: index, "${ is not closed with }")
                }
                let name = String(decoding: text[nameStart..<close], as: UTF8.self)
                guard !name.isEmpty else { throw error(in: argument, at: index, "${} names no environment variable") }
                guard let value = variables[name] else {
                    throw error(in: argument, at: index, "environment variable \(name) is not set")
                }
                output += value.utf8
                index = close + 1
            } else if byte == UInt8(ascii: "%") {
                guard index + 1 < text.count else { throw error(in: argument, at: index, "a lone % must be written %%") }
                output += try value(ofToken: text[index + 1], in: argument, at: index).utf8
                index += 2
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private func value(ofToken token: UInt8, in argument: SSHConfigArgument, at offset: Int) throws(SSHConfigError) -> String {
        if token == UInt8(ascii: "%") { return "%" }
        if let value = tokens[token] { return value }
        let name = "%" + String(decoding: [token], as: UTF8.self)
        if unsupportedTokens.contains(token) {
            throw error(in: argument, at: offset, "Muster does not support the token \(name) here")
        }
        let known = (tokens.keys.map { "%" + String(decoding: [$0], as: UTF8.self) } + ["%%"]).sorted().joined(separator: " ")
        throw error(in: argument, at: offset, "unknown token \(name); ssh knows \(known) here")
    }

    /// An error at a byte of the argument's text, counted in characters from where the argument starts.
    private func error(in argument: SSHConfigArgument, at offset: Int, _ message: String) -> SSHConfigError {
        let characters = argument.text.utf8.prefix(offset).reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        let location = argument.location
        return SSHConfigError(
            at: SSHConfigLocation(path: location.path, line: location.line, column: location.column + characters), message)
    }
}

extension SSHConfigEnvironment {
    /// tilde_expand: `~` and `~/path` are in this user's home from the password database,
    /// `~name/path` in that user's.
    func tildeExpanded(_ argument: SSHConfigArgument) throws(SSHConfigError) -> SSHConfigArgument {
        let text = argument.text
        guard text.hasPrefix("~") else { return argument }
        let userName = text.dropFirst().prefix { $0 != "/" }
        let path = text.dropFirst(1 + userName.count).drop { $0 == "/" }
        let home = userName.isEmpty ? homeDirectory : homeDirectoryOfUser(String(userName))
        guard let home else { throw SSHConfigError(at: argument.location, "no user named \(userName) for ~\(userName)") }
        let expanded = home + (home.hasSuffix("/") ? "" : "/") + path
        // Keep columns of what follows `~` pointing into the line as written.
        let shift = expanded.unicodeScalars.count - text.unicodeScalars.count
        let location = argument.location
        return SSHConfigArgument(
            text: expanded, location: SSHConfigLocation(path: location.path, line: location.line, column: location.column - shift))
    }
}
