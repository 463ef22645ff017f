#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads config text into directives, line by line as readconf.c does, reading included
/// files as it meets them. Every line is checked whether or not it will apply to a host, so a
/// mistake anywhere in the config is reported, as ssh reports it.
struct SSHConfigParser {
    /// ssh stops at this many nested includes (READCONF_MAX_DEPTH).
    static let maximumIncludeDepth = 16

    let environment: SSHConfigEnvironment
    /// The files being read, outermost first, to name an Include that loops back.
    private var openFiles: [String] = []

    init(environment: SSHConfigEnvironment) {
        self.environment = environment
    }

    func parse(_ bytes: [UInt8], path: String) throws(SSHConfigError) -> [SSHConfigDirective] {
        var parser = self
        parser.openFiles.append(path)
        var directives: [SSHConfigDirective] = []
        var lineNumber = 0
        var start = 0
        while start < bytes.count {  // as getline(3): a last line without a newline still counts
            let end = bytes[start...].firstIndex(of: SSHByte.newline) ?? bytes.count
            lineNumber += 1
            if let line = try SSHConfigLine(bytes[start..<end], at: SSHConfigPlace(path: path, line: lineNumber)),
                let directive = try parser.directive(for: line)
            {
                directives.append(directive)
            }
            start = end + 1
        }
        return directives
    }

    /// What one line means, or nil for a keyword OpenSSH itself ignores.
    func directive(for line: SSHConfigLine) throws(SSHConfigError) -> SSHConfigDirective? {
        let keyword = SSHConfigKeyword(lowercased: SSHHostPattern.asciiLowercased(line.keyword.text))
        switch keyword {
        case .host:
            if let empty = line.words.first(where: { $0.text.isEmpty }) {
                throw SSHConfigError(at: empty.location, "expected a host pattern, not an empty one")
            }
            return .host(line.words.map(\.text))
        case .match:
            return .match(try SSHMatchCondition(line))
        case .include:
            var files: [SSHConfigIncludedFile] = []
            for argument in line.words { files += try includedFiles(argument) }
            return .include(files)
        default:
            return try Self.settingDirective(for: line, keyword: keyword)
        }
    }

    /// A line that is neither Host, Match nor Include: a setting, an unknown keyword, or nil
    /// for a keyword OpenSSH ignores.
    static func settingDirective(for line: SSHConfigLine, keyword: SSHConfigKeyword?) throws(SSHConfigError) -> SSHConfigDirective? {
        guard let keyword else { return .unknownKeyword(line.keyword) }
        return try SSHConfigSetting(keyword, line: line).map { .setting($0, line.keyword.location) }
    }

    /// The files one Include argument names, parsed. Relative paths are in `~/.ssh`, and `~` is
    /// `$HOME`, as in ssh (which hands Include paths to glob(3)). Names that match nothing are skipped.
    private func includedFiles(_ argument: SSHConfigArgument) throws(SSHConfigError) -> [SSHConfigIncludedFile] {
        guard !argument.text.isEmpty else { throw SSHConfigError(at: argument.location, "expected a file name, not an empty one") }
        let anchored = argument.text.hasPrefix("/") || argument.text.hasPrefix("~") ? argument.text : "~/.ssh/\(argument.text)"
        let paths: [String]
        do throws(SSHConfigFiles.Failure) {
            paths = try SSHConfigFiles.paths(matching: includeTildeExpanded(anchored))
        } catch {
            throw SSHConfigError(at: argument.location, Self.describe(error, path: anchored))
        }
        var files: [SSHConfigIncludedFile] = []
        for path in paths {
            guard let directives = try parseIncluded(path, from: argument) else { continue }
            files.append(SSHConfigIncludedFile(path: path, directives: directives))
        }
        return files
    }

    private func parseIncluded(_ path: String, from argument: SSHConfigArgument) throws(SSHConfigError) -> [SSHConfigDirective]? {
        let canonical = Self.canonicalPath(path)
        if let loopStart = openFiles.firstIndex(where: { Self.canonicalPath($0) == canonical }) {
            let loop = (openFiles[loopStart...] + [path]).joined(separator: " → ")
            throw SSHConfigError(at: argument.location, "Include loops back to a file that includes it: \(loop)")
        }
        guard openFiles.count <= Self.maximumIncludeDepth else {
            throw SSHConfigError(
                at: argument.location, "Include nests more than \(Self.maximumIncludeDepth) files deep, the most ssh reads")
        }
        let bytes: [UInt8]?
        do throws(SSHConfigFiles.Failure) {
            bytes = try SSHConfigFiles.contents(of: path, ownerID: environment.userID)
        } catch {
            throw SSHConfigError(at: argument.location, Self.describe(error, path: path))
        }
        return try bytes.map { (bytes) throws(SSHConfigError) in try parse(bytes, path: path) }
    }

    static func describe(_ failure: SSHConfigFiles.Failure, path: String) -> String {
        switch failure {
        case .unreadable(let reason): "cannot read \"\(path)\": \(reason)"
        case .unsafe: "\"\(path)\" must belong to you or root and be writable by nobody else; ssh refuses it"
        case .globFailed: "cannot list the files \"\(path)\" names"
        }
    }

    /// glob(3)'s GLOB_TILDE: `~` and `~/…` are in `$HOME`, `~name/…` in that user's home.
    private func includeTildeExpanded(_ path: String) -> String {
        guard path.hasPrefix("~") else { return path }
        let name = path.dropFirst().prefix { $0 != "/" }
        let home = name.isEmpty ? environment.includeHomeDirectory : environment.homeDirectoryOfUser(String(name))
        return home.map { $0 + path.dropFirst(1 + name.count) } ?? path
    }

    /// The path with links resolved, to recognise a file included again under another name.
    private static func canonicalPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
