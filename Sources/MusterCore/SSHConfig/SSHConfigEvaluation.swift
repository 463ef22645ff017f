/// Reads a config's directives for one host the way ssh's readconf.c does: `Host` lines match
/// the host as given, `Match host` the name after HostName, an included file starts in the
/// state of its Include line and cannot change it, and when `Match final` appears (or
/// CanonicalizeHostname is on) everything is read a second time with `final` true.
struct SSHConfigEvaluation {
    let hostArgument: String
    let environment: SSHConfigEnvironment
    var values = SSHConfigAccumulator()
    private(set) var warnings: [SSHConfigWarning] = []
    /// Set by a `Match final` anywhere in the first pass.
    private(set) var wantsFinalPass = false
    /// The host name to connect to, once the first pass has fixed it; `Match host` uses it then.
    private var finalHostName: String?

    init(hostArgument: String, environment: SSHConfigEnvironment) {
        self.hostArgument = hostArgument
        self.environment = environment
    }

    /// Whether ssh would read the config again (`Match final`, or CanonicalizeHostname on).
    var needsFinalPass: Bool {
        wantsFinalPass || values.canonicalizeHostname == true
    }

    mutating func startFinalPass(hostName: String) {
        finalHostName = hostName
    }

    /// Applies directives in order. `active` is whether the lines now apply; under `neverMatch`
    /// (a file included from a block that does not apply) no Host or Match line can turn them on.
    mutating func apply(_ directives: [SSHConfigDirective], active: inout Bool, neverMatch: Bool) throws(SSHConfigError) {
        for directive in directives {
            switch directive {
            case .host(let patterns):
                active = !neverMatch && SSHHostPattern.hostLineMatches(hostArgument, patterns: patterns)
            case .match(let condition):
                let matched = try matches(condition, canApply: !neverMatch)
                active = !neverMatch && matched
            case .include(let files):
                let including = active
                for file in files {
                    try apply(file.directives, active: &active, neverMatch: neverMatch || !including)
                    active = including
                }
            case .setting(let setting, let location):
                if active { try values.apply(setting, at: location) }
            case .unknownKeyword(let keyword):
                try rejectUnlessIgnored(keyword)
            }
        }
    }

    /// The host name to connect to: HostName with `%h` (the host as given) expanded, else that host.
    func hostName() throws(SSHConfigError) -> String {
        guard let hostName = values.hostName else { return hostArgument }
        return try SSHConfigExpansion(tokens: [UInt8(ascii: "h"): hostArgument]).expand(hostName)
    }

    /// match_cfg_line: every criterion must hold. Criteria Muster cannot evaluate (`exec`) make
    /// the block not match, with a warning when the other criteria so far matched.
    private mutating func matches(_ condition: SSHMatchCondition, canApply: Bool) throws(SSHConfigError) -> Bool {
        var result = true
        for term in condition.terms {
            let holds: Bool
            switch term.criterion {
            case .all:
                return result && !term.negated
            case .canonical, .final:
                wantsFinalPass = wantsFinalPass || term.criterion == .final
                holds = finalHostName != nil
            case .host(let patterns):
                let host = if let finalHostName { finalHostName } else { try hostName() }
                holds = SSHHostPattern.listMatches(SSHHostPattern.asciiLowercased(host), list: patterns, lowercasing: true)
            case .originalHost(let patterns):
                let host = SSHHostPattern.asciiLowercased(hostArgument)
                holds = SSHHostPattern.listMatches(host, list: patterns, lowercasing: true)
            case .user(let patterns):
                holds = SSHHostPattern.listMatches(values.user?.value ?? environment.userName, list: patterns, lowercasing: false)
            case .localUser(let patterns):
                holds = SSHHostPattern.listMatches(environment.userName, list: patterns, lowercasing: false)
            case .unsupported(let name):
                if result, canApply { warn("Match \(name) is not supported by Muster; this block does not apply", at: term.location) }
                result = false
                continue
            }
            if holds == term.negated { result = false }
        }
        return result
    }

    /// parse_token: an unknown keyword is an error unless IgnoreUnknown, as set so far, lists it.
    private func rejectUnlessIgnored(_ keyword: SSHConfigArgument) throws(SSHConfigError) {
        let name = SSHHostPattern.asciiLowercased(keyword.text)
        if let ignored = values.ignoreUnknown, SSHHostPattern.listMatches(name, list: ignored, lowercasing: true) { return }
        throw SSHConfigError(
            at: keyword.location, "unknown keyword \"\(keyword.text)\"; ssh refuses it unless IgnoreUnknown lists it")
    }

    private mutating func warn(_ message: String, at location: SSHConfigLocation) {
        let warning = SSHConfigWarning(origin: location.origin, message: message)
        if !warnings.contains(warning) { warnings.append(warning) }
    }
}
