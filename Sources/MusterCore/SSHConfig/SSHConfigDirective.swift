/// One meaningful line of a config, checked as ssh checks it whether or not it will apply;
/// which lines apply is decided per host, when the config is resolved.
enum SSHConfigDirective: Sendable {
    /// `Host` patterns, kept as written (`!` included).
    case host([String])
    case match(SSHMatchCondition)
    /// The files an `Include` line expanded to, in order, each already parsed.
    case include([SSHConfigIncludedFile])
    case setting(SSHConfigSetting, SSHConfigLocation)
    /// A keyword OpenSSH does not know: an error unless IgnoreUnknown, as set when the line
    /// is reached, names it.
    case unknownKeyword(SSHConfigArgument)
}

struct SSHConfigIncludedFile: Sendable {
    let path: String
    let directives: [SSHConfigDirective]
}

/// A keyword line's value, parsed and validated.
enum SSHConfigSetting: Sendable {
    /// Kept unexpanded: `%h` is the host given, known only when resolving.
    case hostName(SSHConfigArgument)
    case user(String)
    case port(Int)
    case identityFile(SSHConfigArgument)
    case identitiesOnly(Bool)
    /// No hops for `none`.
    case proxyJump([SSHJumpHost])
    case proxyCommand(isNone: Bool)
    /// `none` stays a file named none here, as ssh keeps it.
    case userKnownHostsFiles([SSHConfigArgument])
    case strictHostKeyChecking(SSHHostKeyChecking)
    /// Seconds; nil for `none`, which leaves the value to a later line.
    case connectTimeout(Int?)
    case serverAliveInterval(Int?)
    case serverAliveCountMax(Int)
    case hostKeyAlias(String)
    case canonicalizeHostname(enabled: Bool)
    case ignoreUnknown(String)
    /// A keyword Muster does not act on, by its ssh_config(5) name.
    case unsupported(String)
}
