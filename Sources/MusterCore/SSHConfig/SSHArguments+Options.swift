extension SSHArguments {
    /// Options of ssh 9.2 that take a value (from its getopt string); its other letters are flags.
    private static let optionsWithValue = Set("bceilmopBDEFIJLOQRSwW")

    /// One `-xyz` word: flags, then at most one option whose value is the rest of the word or the next word.
    mutating func takeOptions(
        in word: SSHArgumentWords.Word, followedBy remaining: inout ArraySlice<SSHArgumentWords.Word>, source: String
    ) throws(SSHConfigError) {
        var letters = word.text.dropFirst()
        while let letter = letters.popFirst() {
            guard Self.optionsWithValue.contains(letter) else {
                unsupported.append("-\(letter)")
                continue
            }
            let attached = SSHArgumentWords.Word(text: String(letters), column: word.column + word.text.count - letters.count)
            guard let value = letters.isEmpty ? remaining.popFirst() : attached else {
                throw SSHConfigError(path: source, column: word.column, message: "expected a value after -\(letter)")
            }
            try take(letter, value, source: source)
            return
        }
    }

    /// Applies one option that takes a value, as ssh.c's option loop does.
    private mutating func take(_ letter: Character, _ value: SSHArgumentWords.Word, source: String) throws(SSHConfigError) {
        let location = SSHConfigLocation(path: source, line: nil, column: value.column)
        let argument = SSHConfigArgument(text: value.text, location: location)
        switch letter {
        case "o": try addConfigLine(value, source: source)
        case "F": configFile = value.text
        case "l": directives.append(.setting(.user(value.text), location))
        case "i": directives.append(.setting(.identityFile(argument), location))
        case "p":
            guard let port = SSHConfigNumbers.port(value.text), port > 0 else {
                throw SSHConfigError(at: location, "expected a port number from 1 to 65535 or a service name, not \"\(value.text)\"")
            }
            directives.append(.setting(.port(port), location))
        case "J":
            if let earlier = proxyOption { throw SSHConfigError(at: location, "-J cannot follow \(earlier); ssh takes one proxy") }
            guard let hops = SSHJumpHost.hops(inProxyJump: value.text) else {
                throw SSHConfigError(
                    at: location, "expected none or jump hosts as [user@]host[:port] separated by commas, not \"\(value.text)\"")
            }
            proxyOption = "-J"
            directives.append(.setting(.proxyJump(hops), location))
        default:
            unsupported.append("-\(letter) \(value.text)")
        }
    }

    /// `-o Keyword=value` or `-o "Keyword value"`: a config line that always applies. Host,
    /// Match and Include make no sense there and ssh refuses them.
    private mutating func addConfigLine(_ value: SSHArgumentWords.Word, source: String) throws(SSHConfigError) {
        let place = SSHConfigPlace(path: source, line: nil, firstColumn: value.column)
        guard let line = try SSHConfigLine(Array(value.text.utf8)[...], at: place) else { return }
        let keyword = SSHConfigKeyword(lowercased: SSHHostPattern.asciiLowercased(line.keyword.text))
        if keyword == .host || keyword == .match || keyword == .include {
            throw SSHConfigError(at: line.keyword.location, "\(line.keyword.text) cannot be given with -o")
        }
        if keyword == .proxyJump || keyword == .proxyCommand { proxyOption = proxyOption ?? "-o \(value.text)" }
        if let directive = try SSHConfigParser.settingDirective(for: line, keyword: keyword) { directives.append(directive) }
    }
}
