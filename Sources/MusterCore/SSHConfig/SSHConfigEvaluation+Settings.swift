extension SSHConfigEvaluation {
    /// The settings ssh would connect with, paths expanded as ssh expands them just before use.
    func settings(hostName: String) throws(SSHConfigError) -> SSHHostSettings {
        var settings = SSHHostSettings(hostName: SSHConfigValue(hostName, from: values.hostName?.location.origin ?? .given))
        settings.user = values.user
        settings.port = values.port
        settings.identitiesOnly = values.identitiesOnly
        settings.strictHostKeyChecking = values.strictHostKeyChecking
        settings.connectTimeout = values.connectTimeout.map { SSHConfigValue(.seconds($0.value), from: $0.origin) }
        settings.serverAliveInterval = values.serverAliveInterval.map { SSHConfigValue(.seconds($0.value), from: $0.origin) }
        settings.serverAliveCountMax = values.serverAliveCountMax
        settings.unsupportedKeywords = values.unsupportedKeywords
        settings.warnings = warnings
        let expansion = pathExpansion(hostName: hostName)
        for file in values.identityFiles {
            settings.identityFiles.append(SSHConfigValue(try expandedPath(file, with: expansion), from: file.location.origin))
        }
        if let (files, origin) = values.userKnownHostsFiles {
            var paths: [String] = []
            let none = files.count == 1 && SSHHostPattern.asciiLowercased(files[0].text) == "none"
            for file in none ? [] : files { paths.append(try expandedPath(file, with: expansion)) }
            settings.userKnownHostsFiles = SSHConfigValue(paths, from: origin)
        }
        if case .jump(let hops, let location) = values.proxy {
            try rejectJumpLoop(through: hops.last, at: location, hostName: hostName)
            settings.proxyJump = SSHConfigValue(hops, from: location.origin)
        }
        return settings
    }

    /// The tokens ssh expands in IdentityFile and UserKnownHostsFile, with `${VAR}`.
    private func pathExpansion(hostName: String) -> SSHConfigExpansion {
        let token = { (letter: Unicode.Scalar) in UInt8(ascii: letter) }
        let tokens: [UInt8: String] = [
            token("L"): String(environment.hostName.prefix { $0 != "." }), token("i"): String(environment.userID),
            token("k"): values.hostKeyAlias.map(SSHHostPattern.asciiLowercased) ?? hostArgument,
            token("l"): environment.hostName, token("n"): hostArgument, token("p"): String(values.port?.value ?? 22),
            token("d"): environment.homeDirectory, token("h"): hostName,
            token("r"): values.user?.value ?? environment.userName, token("u"): environment.userName,
        ]
        return SSHConfigExpansion(tokens: tokens, unsupportedTokens: [token("C")], variables: environment.variables)
    }

    private func expandedPath(_ file: SSHConfigArgument, with expansion: SSHConfigExpansion) throws(SSHConfigError) -> String {
        try expansion.expand(environment.tildeExpanded(file))
    }

    /// ssh refuses a last hop that is the host itself, with the same port and user.
    private func rejectJumpLoop(through last: SSHJumpHost?, at location: SSHConfigLocation, hostName: String)
        throws(SSHConfigError)
    {
        let user = values.user?.value ?? environment.userName
        guard let last, last.host == hostName, (last.port ?? 22) == (values.port?.value ?? 22), (last.user ?? user) == user
        else { return }
        throw SSHConfigError(at: location, "ProxyJump \(last) loops back to the host itself")
    }
}
