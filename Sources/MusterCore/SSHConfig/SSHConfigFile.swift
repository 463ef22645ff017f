/// An OpenSSH client config, read the way ssh reads it: every line is checked when the file is
/// loaded (Include files with it), and `resolve` gives the settings ssh would use for one host.
public struct SSHConfigFile: Sendable {
    /// The file read, as given.
    public let path: String
    public let environment: SSHConfigEnvironment
    let directives: [SSHConfigDirective]

    /// Config text read as if it were the file at `path` (relative Includes still live in `~/.ssh`).
    public init(parsing text: String, path: String, environment: SSHConfigEnvironment = .current()) throws(SSHConfigError) {
        try self.init(bytes: Array(text.utf8), path: path, environment: environment)
    }

    init(bytes: [UInt8], path: String, environment: SSHConfigEnvironment) throws(SSHConfigError) {
        self.path = path
        self.environment = environment
        directives = try SSHConfigParser(environment: environment).parse(bytes, path: path)
    }

    /// The file given with `ssh -F`: it must be readable, and `none` means no config at all.
    public static func load(path: String, environment: SSHConfigEnvironment = .current()) throws(SSHConfigError)
        -> SSHConfigFile
    {
        if SSHHostPattern.asciiLowercased(path) == "none" { return try SSHConfigFile(parsing: "", path: path, environment: environment) }
        let bytes: [UInt8]?
        do throws(SSHConfigFiles.Failure) {
            bytes = try SSHConfigFiles.contents(of: path, ownerID: nil)
        } catch {
            throw SSHConfigError(path: path, message: SSHConfigParser.describe(error, path: path))
        }
        guard let bytes else { throw SSHConfigError(path: path, message: "no such config file") }
        return try SSHConfigFile(bytes: bytes, path: path, environment: environment)
    }

    /// `~/.ssh/config`, as ssh reads it without `-F`: a missing or unreadable file is no config,
    /// but one that others could have written is refused.
    public static func loadUserConfig(environment: SSHConfigEnvironment = .current()) throws(SSHConfigError) -> SSHConfigFile {
        let home = environment.homeDirectory
        let path = home + (home.hasSuffix("/") ? "" : "/") + ".ssh/config"
        var bytes: [UInt8] = []
        do throws(SSHConfigFiles.Failure) {
            bytes = try SSHConfigFiles.contents(of: path, ownerID: environment.userID) ?? []
        } catch {
            if case .unsafe = error { throw SSHConfigError(path: path, message: SSHConfigParser.describe(error, path: path)) }
        }
        return try SSHConfigFile(bytes: bytes, path: path, environment: environment)
    }

    /// The settings ssh would use to connect to `host`.
    ///
    /// `user` and `port` (an inventory's `ansible_user` and `ansible_port`) act as ssh's `-l` and
    /// `-p`, and `arguments` as the rest of its command line. ssh applies its command line before
    /// any config file and keeps the first value it obtains for each keyword, so command-line
    /// options beat the config file; Ansible puts the inventory's user and port before
    /// `ansible_ssh_common_args`, so they beat those too.
    public func resolve(host: String, user: String? = nil, port: Int? = nil, arguments: SSHArguments = SSHArguments())
        throws(SSHConfigError) -> SSHHostSettings
    {
        var evaluation = SSHConfigEvaluation(hostArgument: host, environment: environment)
        evaluation.values.user = user.map { SSHConfigValue($0, from: .given) }
        evaluation.values.port = port.map { SSHConfigValue($0, from: .given) }
        var commandLineActive = true
        try evaluation.apply(arguments.directives, active: &commandLineActive, neverMatch: false)
        var active = true
        try evaluation.apply(directives, active: &active, neverMatch: false)
        let hostName = SSHNumericHost.normalized(try evaluation.hostName())
        if evaluation.needsFinalPass {
            evaluation.startFinalPass(hostName: hostName)
            active = true
            try evaluation.apply(directives, active: &active, neverMatch: false)
        }
        return try evaluation.settings(hostName: hostName)
    }
}
