/// What ssh takes from the local machine while reading a config: the user (from the password
/// database, not `$HOME`), the host name and environment variables. Tests pass their own.
public struct SSHConfigEnvironment: Sendable {
    /// The local user's name: `%u` and `Match localuser`, and the remote user when none is set.
    public var userName: String
    /// The local user's id: `%i`, and the owner (besides root) that included files must have.
    public var userID: UInt32
    /// The home directory from the password database, which ssh uses for `~` and `%d`.
    public var homeDirectory: String
    /// The local host name: `%l`, and `%L` up to its first dot.
    public var hostName: String
    /// Environment variables for `${NAME}`. `HOME` is where `Include` finds `~`, because
    /// ssh expands Include paths with glob(3), which reads `$HOME` rather than the password database.
    public var variables: [String: String]
    /// Home directories of other users, for `~name/` paths.
    public var homeDirectoryOfUser: @Sendable (String) -> String?

    public init(
        userName: String, userID: UInt32, homeDirectory: String, hostName: String, variables: [String: String],
        homeDirectoryOfUser: @escaping @Sendable (String) -> String? = { _ in nil }
    ) {
        self.userName = userName
        self.userID = userID
        self.homeDirectory = homeDirectory
        self.hostName = hostName
        self.variables = variables
        self.homeDirectoryOfUser = homeDirectoryOfUser
    }

    /// Where `Include` finds `~`: `$HOME`, else the password database's home, as glob(3) does.
    var includeHomeDirectory: String {
        variables["HOME"] ?? homeDirectory
    }
}
