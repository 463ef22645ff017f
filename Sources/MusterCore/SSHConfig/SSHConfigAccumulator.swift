/// The values gathered while a host's applicable lines are read: the first value obtained for
/// each keyword wins, as in ssh, except IdentityFile, which collects. Paths stay unexpanded
/// until every line has been read, because their tokens (`%r`, `%p`) depend on later lines.
struct SSHConfigAccumulator {
    /// ssh's limits (SSH_MAX_IDENTITY_FILES, SSH_MAX_HOSTS_FILES).
    static let maximumIdentityFiles = 100
    static let maximumKnownHostsFiles = 32

    /// How the connection is proxied: the first of ProxyJump and ProxyCommand decides, except
    /// that ssh still takes a ProxyCommand after `ProxyJump none` (no hops).
    enum Proxy {
        case jump([SSHJumpHost], SSHConfigLocation)
        case command
    }

    var hostName: SSHConfigArgument?
    var user: SSHConfigValue<String>?
    var port: SSHConfigValue<Int>?
    var identityFiles: [SSHConfigArgument] = []
    var identitiesOnly: SSHConfigValue<Bool>?
    var proxy: Proxy?
    var userKnownHostsFiles: (files: [SSHConfigArgument], origin: SSHConfigOrigin)?
    var strictHostKeyChecking: SSHConfigValue<SSHHostKeyChecking>?
    var connectTimeout: SSHConfigValue<Int>?
    var serverAliveInterval: SSHConfigValue<Int>?
    var serverAliveCountMax: SSHConfigValue<Int>?
    var hostKeyAlias: String?
    var canonicalizeHostname: Bool?
    var ignoreUnknown: String?
    var unsupportedKeywords: [SSHConfigValue<String>] = []

    mutating func apply(_ setting: SSHConfigSetting, at location: SSHConfigLocation) throws(SSHConfigError) {
        let origin = location.origin
        switch setting {
        case .hostName(let name): hostName = hostName ?? name
        case .user(let name): user = user ?? SSHConfigValue(name, from: origin)
        case .port(let number): port = port ?? SSHConfigValue(number, from: origin)
        case .identityFile(let file): try addIdentityFile(file, at: location)
        case .identitiesOnly(let only): identitiesOnly = identitiesOnly ?? SSHConfigValue(only, from: origin)
        case .proxyJump(let hops): proxy = proxy ?? .jump(hops, location)
        case .proxyCommand(let isNone):
            guard proxy == nil || proxyJumpIsNone else { break }
            if !isNone { noteUnsupported("ProxyCommand", from: origin) }
            proxy = .command
        case .userKnownHostsFiles(let files): try setKnownHostsFiles(files, at: location)
        case .strictHostKeyChecking(let policy):
            strictHostKeyChecking = strictHostKeyChecking ?? SSHConfigValue(policy, from: origin)
        case .connectTimeout(let seconds):
            connectTimeout = connectTimeout ?? seconds.map { SSHConfigValue($0, from: origin) }
        case .serverAliveInterval(let seconds):
            serverAliveInterval = serverAliveInterval ?? seconds.map { SSHConfigValue($0, from: origin) }
        case .serverAliveCountMax(let count): serverAliveCountMax = serverAliveCountMax ?? SSHConfigValue(count, from: origin)
        case .hostKeyAlias(let alias):
            noteUnsupported("HostKeyAlias", from: origin)
            hostKeyAlias = hostKeyAlias ?? alias
        case .canonicalizeHostname(let enabled):
            if enabled { noteUnsupported("CanonicalizeHostname", from: origin) }
            canonicalizeHostname = canonicalizeHostname ?? enabled
        case .ignoreUnknown(let patterns): ignoreUnknown = ignoreUnknown ?? patterns
        case .unsupported(let keyword): noteUnsupported(keyword, from: origin)
        }
    }

    private var proxyJumpIsNone: Bool {
        if case .jump(let hops, _) = proxy { hops.isEmpty } else { false }
    }

    /// Identity files collect, skipping one already listed (ssh compares the unexpanded text).
    private mutating func addIdentityFile(_ file: SSHConfigArgument, at location: SSHConfigLocation) throws(SSHConfigError) {
        guard identityFiles.count < Self.maximumIdentityFiles else {
            throw SSHConfigError(at: location, "more than \(Self.maximumIdentityFiles) IdentityFile lines apply, the most ssh takes")
        }
        if !identityFiles.contains(where: { $0.text == file.text }) { identityFiles.append(file) }
    }

    /// The first line's files win, all of them.
    private mutating func setKnownHostsFiles(_ files: [SSHConfigArgument], at location: SSHConfigLocation) throws(SSHConfigError) {
        guard userKnownHostsFiles == nil, !files.isEmpty else { return }
        guard files.count <= Self.maximumKnownHostsFiles else {
            throw SSHConfigError(at: location, "more than \(Self.maximumKnownHostsFiles) UserKnownHostsFile entries, the most ssh takes")
        }
        userKnownHostsFiles = (files, location.origin)
    }

    private mutating func noteUnsupported(_ keyword: String, from origin: SSHConfigOrigin) {
        if !unsupportedKeywords.contains(where: { $0.value == keyword }) {
            unsupportedKeywords.append(SSHConfigValue(keyword, from: origin))
        }
    }
}
