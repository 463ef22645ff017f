extension SSHConfigSetting {
    /// Reads a keyword line's arguments as readconf.c does for that keyword, refusing what it
    /// refuses. Nil for keywords OpenSSH itself ignores.
    init?(_ keyword: SSHConfigKeyword, line: SSHConfigLine) throws(SSHConfigError) {
        switch keyword {
        case .host, .match, .include, .obsolete: return nil
        case .hostName: self = .hostName(try line.onlyArgument())
        case .user: self = .user(try line.onlyArgument().text)
        case .identityFile: self = .identityFile(try line.onlyArgument())
        case .hostKeyAlias: self = .hostKeyAlias(try line.onlyArgument().text)
        case .ignoreUnknown: self = .ignoreUnknown(try line.onlyArgument().text)
        case .port: self = .port(try Self.port(line.onlyArgument()))
        case .identitiesOnly: self = .identitiesOnly(try Self.choice(line, ["yes": true, "true": true, "no": false, "false": false]))
        case .strictHostKeyChecking: self = .strictHostKeyChecking(try Self.choice(line, Self.hostKeyCheckingWords))
        case .canonicalizeHostname:
            let words = ["yes": true, "true": true, "always": true, "no": false, "false": false]
            self = .canonicalizeHostname(enabled: try Self.choice(line, words))
        case .connectTimeout: self = .connectTimeout(try Self.seconds(line.onlyArgument(), for: line.keyword))
        case .serverAliveInterval: self = .serverAliveInterval(try Self.seconds(line.onlyArgument(), for: line.keyword))
        case .serverAliveCountMax: self = .serverAliveCountMax(try Self.count(line.onlyArgument(), for: line.keyword))
        case .userKnownHostsFile: self = .userKnownHostsFiles(try Self.fileList(line))
        case .proxyJump: self = .proxyJump(try Self.jumpHosts(line))
        case .proxyCommand: self = .proxyCommand(isNone: SSHHostPattern.asciiLowercased(Self.command(line)) == "none")
        case .unsupported(let name): self = .unsupported(name)
        }
    }

    /// StrictHostKeyChecking's words mapped onto Muster's policies; `ask` is `strict` because
    /// Muster never prompts.
    private static let hostKeyCheckingWords: [String: SSHHostKeyChecking] = [
        "yes": .strict, "true": .strict, "ask": .strict, "accept-new": .acceptNew, "no": .off, "false": .off, "off": .off,
    ]

    private static func port(_ argument: SSHConfigArgument) throws(SSHConfigError) -> Int {
        guard let port = SSHConfigNumbers.port(argument.text), port > 0 else {
            throw SSHConfigError(
                at: argument.location, "expected a port number from 1 to 65535 or a service name, not \"\(argument.text)\"")
        }
        return port
    }

    /// One of a keyword's words, in any case.
    private static func choice<Value>(_ line: SSHConfigLine, _ words: [String: Value]) throws(SSHConfigError) -> Value {
        let argument = try line.onlyArgument()
        guard let value = words[SSHHostPattern.asciiLowercased(argument.text)] else {
            let expected = words.keys.sorted().joined(separator: ", ")
            throw SSHConfigError(at: argument.location, "expected one of \(expected) after \(line.keyword.text), not \"\(argument.text)\"")
        }
        return value
    }

    /// A time in seconds (`30`, `5m`, `1h30m`), or nil for `none`.
    private static func seconds(_ argument: SSHConfigArgument, for keyword: SSHConfigArgument) throws(SSHConfigError) -> Int? {
        if argument.text == "none" { return nil }
        guard let seconds = SSHConfigNumbers.seconds(argument.text) else {
            throw SSHConfigError(
                at: argument.location,
                "expected a time such as 30, 30s, 5m or 1h30m, or none, after \(keyword.text), not \"\(argument.text)\"")
        }
        return seconds
    }

    private static func count(_ argument: SSHConfigArgument, for keyword: SSHConfigArgument) throws(SSHConfigError) -> Int {
        switch SSHConfigNumbers.integer(argument.text, in: 0...Int(Int32.max)) {
        case .success(let count): return count
        case .failure(let problem):
            let reason = problem == .tooLarge ? "a number up to \(Int32.max)" : "a whole number, 0 or more"
            throw SSHConfigError(at: argument.location, "expected \(reason) after \(keyword.text), not \"\(argument.text)\"")
        }
    }

    /// UserKnownHostsFile's files: none, or any number of non-empty paths.
    private static func fileList(_ line: SSHConfigLine) throws(SSHConfigError) -> [SSHConfigArgument] {
        for word in line.words {
            if word.text.isEmpty { throw SSHConfigError(at: word.location, "expected a file name, not an empty one") }
            if SSHHostPattern.asciiLowercased(word.text) == "none", line.words.count > 1 {
                throw SSHConfigError(at: word.location, "none must be the only value of \(line.keyword.text)")
            }
        }
        return line.words
    }

    private static func jumpHosts(_ line: SSHConfigLine) throws(SSHConfigError) -> [SSHJumpHost] {
        let value = command(line)
        guard let hops = SSHJumpHost.hops(inProxyJump: value) else {
            throw SSHConfigError(
                at: line.location(ofByte: line.argumentsOffset),
                "expected none or jump hosts as [user@]host[:port] separated by commas, not \"\(value)\"")
        }
        return hops
    }

    /// The raw text after the keyword and any `=`, as ProxyJump and ProxyCommand read it.
    private static func command(_ line: SSHConfigLine) -> String {
        String(decoding: line.rawArguments.drop { SSHConfigLineSplitter.isWhitespace($0) || $0 == SSHByte.equals }, as: UTF8.self)
    }
}

extension SSHConfigLine {
    /// The single argument most keywords take: present, not empty, and alone.
    func onlyArgument() throws(SSHConfigError) -> SSHConfigArgument {
        guard let first = words.first, !first.text.isEmpty else {
            throw SSHConfigError(at: words.first?.location ?? location(ofByte: argumentsOffset), "expected a value after \(keyword.text)")
        }
        if words.count > 1 {
            throw SSHConfigError(
                at: words[1].location, "unexpected second value for \(keyword.text); quote a value that contains spaces")
        }
        return first
    }
}
