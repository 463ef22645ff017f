/// What a keyword of ssh_config(5) means to Muster. Keywords are case-insensitive; the table
/// holds OpenSSH 9.2's client keywords with Debian's additions, and those of later releases.
enum SSHConfigKeyword: Sendable, Hashable {
    case host, match, include
    case hostName, user, port, identityFile, identitiesOnly, proxyJump, userKnownHostsFile
    case strictHostKeyChecking, connectTimeout, serverAliveInterval, serverAliveCountMax
    /// Honoured because it decides which unknown keywords are errors.
    case ignoreUnknown
    /// Not supported, but each changes a supported result: ProxyCommand (even `none`) blocks a
    /// later ProxyJump, HostKeyAlias is `%k`, and CanonicalizeHostname makes ssh read the config twice.
    case proxyCommand, hostKeyAlias, canonicalizeHostname
    /// A keyword Muster does not act on, named as ssh_config(5) spells it for the warning.
    case unsupported(String)
    /// A keyword OpenSSH itself accepts and ignores (deprecated or compiled out).
    case obsolete

    init?(lowercased keyword: String) {
        guard let known = Self.catalogue[keyword] else { return nil }
        self = known
    }

    private static let catalogue: [String: SSHConfigKeyword] = {
        var table: [String: SSHConfigKeyword] = [
            "host": .host, "match": .match, "include": .include, "hostname": .hostName, "user": .user, "port": .port,
            "identityfile": .identityFile, "identityfile2": .identityFile, "identitiesonly": .identitiesOnly,
            "proxyjump": .proxyJump, "userknownhostsfile": .userKnownHostsFile,
            "stricthostkeychecking": .strictHostKeyChecking, "connecttimeout": .connectTimeout,
            "serveraliveinterval": .serverAliveInterval, "serveralivecountmax": .serverAliveCountMax,
            // Debian's keepalive patch spells ServerAliveInterval these two ways as well.
            "protocolkeepalives": .serverAliveInterval, "setuptimeout": .serverAliveInterval,
            "ignoreunknown": .ignoreUnknown, "proxycommand": .proxyCommand, "hostkeyalias": .hostKeyAlias,
            "canonicalizehostname": .canonicalizeHostname,
        ]
        for name in unsupportedNames { table[name.lowercased()] = .unsupported(name) }
        for (alias, name) in unsupportedAliases { table[alias] = .unsupported(name) }
        for name in obsoleteNames { table[name] = .obsolete }
        return table
    }()

    private static let unsupportedNames = [
        "AddKeysToAgent", "AddressFamily", "BatchMode", "BindAddress", "BindInterface", "CanonicalDomains",
        "CanonicalizeFallbackLocal", "CanonicalizeMaxDots", "CanonicalizePermittedCNAMEs", "CASignatureAlgorithms",
        "CertificateFile", "CheckHostIP", "Ciphers", "ClearAllForwardings", "Compression", "ConnectionAttempts",
        "ControlMaster", "ControlPath", "ControlPersist", "DynamicForward", "EnableEscapeCommandline",
        "EnableSSHKeysign", "EscapeChar", "ExitOnForwardFailure", "FingerprintHash", "ForkAfterAuthentication",
        "ForwardAgent", "ForwardX11", "ForwardX11Timeout", "ForwardX11Trusted", "GatewayPorts",
        "GlobalKnownHostsFile", "GSSAPIAuthentication", "GSSAPIClientIdentity", "GSSAPIDelegateCredentials",
        "GSSAPIKeyExchange", "GSSAPIKexAlgorithms", "GSSAPIRenewalForcesRekey", "GSSAPIServerIdentity",
        "GSSAPITrustDNS", "HashKnownHosts", "HostbasedAcceptedAlgorithms", "HostbasedAuthentication",
        "HostKeyAlgorithms", "IdentityAgent", "IPQoS", "KbdInteractiveAuthentication", "KbdInteractiveDevices",
        "KexAlgorithms", "KnownHostsCommand", "LocalCommand", "LocalForward", "LogLevel", "LogVerbose", "MACs",
        "NoHostAuthenticationForLocalhost", "NumberOfPasswordPrompts", "PasswordAuthentication",
        "PermitLocalCommand", "PermitRemoteOpen", "PKCS11Provider", "PreferredAuthentications", "ProxyUseFdpass",
        "PubkeyAcceptedAlgorithms", "PubkeyAuthentication", "RekeyLimit", "RemoteCommand", "RemoteForward",
        "RequestTTY", "RequiredRSASize", "RevokedHostKeys", "SecurityKeyProvider", "SendEnv", "SessionType", "SetEnv",
        "StdinNull", "StreamLocalBindMask", "StreamLocalBindUnlink", "SyslogFacility", "TCPKeepAlive", "Tunnel",
        "TunnelDevice", "UpdateHostKeys", "VerifyHostKeyDNS", "VisualHostKey", "XAuthLocation",
        // Added after OpenSSH 9.2: a newer ssh than Debian 12's accepts them.
        "ChannelTimeout", "ObscureKeystrokeTiming", "RefuseConnection", "Tag", "WarnWeakCrypto",
    ]

    private static let unsupportedAliases = [
        "challengeresponseauthentication": "KbdInteractiveAuthentication",
        "skeyauthentication": "KbdInteractiveAuthentication", "tisauthentication": "KbdInteractiveAuthentication",
        "dsaauthentication": "PubkeyAuthentication", "keepalive": "TCPKeepAlive", "smartcarddevice": "PKCS11Provider",
        "hostbasedkeytypes": "HostbasedAcceptedAlgorithms", "pubkeyacceptedkeytypes": "PubkeyAcceptedAlgorithms",
    ]

    private static let obsoleteNames = [
        "protocol", "cipher", "fallbacktorsh", "globalknownhostsfile2", "rhostsauthentication", "userknownhostsfile2",
        "useroaming", "usersh", "useprivilegedport", "useblacklistedkeys", "afstokenpassing", "kerberosauthentication",
        "kerberostgtpassing", "rsaauthentication", "rhostsrsaauthentication", "compressionlevel",
    ]
}
