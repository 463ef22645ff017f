/// The criteria of a `Match` line, read with readconf.c's strdelim (so `host=web*` and
/// double-quoted patterns work, single quotes do not).
struct SSHMatchCondition: Sendable {
    enum Criterion: Sendable, Equatable {
        /// Matches; the last criterion, after at most one other.
        case all
        /// True only on the final pass, which these request (`final`) or CanonicalizeHostname forces.
        case canonical, final
        /// Patterns against the host to connect to, after HostName (case-insensitive).
        case host(String)
        /// Patterns against the host as given (case-insensitive).
        case originalHost(String)
        /// Patterns against the remote user as set so far, else the local user.
        case user(String)
        /// Patterns against the local user.
        case localUser(String)
        /// `exec` and the criteria of newer OpenSSH releases: Muster cannot evaluate them.
        case unsupported(String)
    }

    struct Term: Sendable {
        let criterion: Criterion
        let negated: Bool
        let location: SSHConfigLocation
    }

    let terms: [Term]

    /// Criteria of releases after 9.2, recognised so a newer ssh's config is not refused.
    private static let newerCriteria: Set<String> = ["localnetwork", "tagged", "command", "version", "sessiontype"]

    init(_ line: SSHConfigLine) throws(SSHConfigError) {
        var reader = Reader(line: line)
        var terms: [Term] = []
        var counted = 0
        while let token = reader.next(), !token.text.isEmpty {
            if token.text.hasPrefix("#") {
                reader.skipRest()
                break
            }
            let negated = token.text.hasPrefix("!")
            let name = SSHHostPattern.asciiLowercased(String(token.text.dropFirst(negated ? 1 : 0)))
            if name == "all" {
                try reader.expectNothingAfterAll(at: token, criteriaBefore: counted)
                terms.append(Term(criterion: .all, negated: negated, location: token.location))
                break
            }
            counted += 1
            let criterion: Criterion
            switch name {
            case "final": criterion = .final
            case "canonical": criterion = .canonical
            default:
                guard let patterns = reader.next(), !patterns.text.isEmpty, !patterns.text.hasPrefix("#") else {
                    throw SSHConfigError(at: line.endLocation, "expected patterns after Match \(token.text)")
                }
                criterion = try Self.criterion(named: name, patterns: patterns.text, at: token)
            }
            terms.append(Term(criterion: criterion, negated: negated, location: token.location))
        }
        if let rest = reader.restOffset {
            throw SSHConfigError(at: line.location(ofByte: rest), "unexpected text after the Match criteria")
        }
        guard !terms.isEmpty else { throw SSHConfigError(at: line.keyword.location, "Match needs at least one criterion") }
        self.terms = terms
    }

    /// Reads a Match line's tokens in order with strdelim.
    private struct Reader {
        let line: SSHConfigLine
        private var cursor: Int?
        private var columns: SSHConfigColumnCounter

        init(line: SSHConfigLine) {
            self.line = line
            cursor = line.argumentsOffset
            columns = SSHConfigColumnCounter(bytes: line.bytes, place: line.place)
        }

        /// Where unread text starts, if any is left.
        var restOffset: Int? {
            cursor.flatMap { $0 < line.bytes.count ? $0 : nil }
        }

        mutating func next() -> SSHConfigArgument? {
            guard let start = cursor, let (piece, next) = SSHConfigLineSplitter.delimitedToken(in: line.bytes, from: start)
            else { return nil }
            cursor = next
            return columns.argument(piece)
        }

        /// A comment ends the line.
        mutating func skipRest() {
            cursor = nil
        }

        /// `all` may follow one other criterion and nothing but a comment may follow it.
        mutating func expectNothingAfterAll(at token: SSHConfigArgument, criteriaBefore counted: Int)
            throws(SSHConfigError)
        {
            guard counted <= 1 else {
                throw SSHConfigError(at: token.location, "Match all cannot follow more than one other criterion")
            }
            guard let following = next() else { return }
            if following.text.hasPrefix("#") {
                skipRest()
            } else if !following.text.isEmpty {
                throw SSHConfigError(at: following.location, "Match all must be the last criterion")
            }
        }
    }

    private static func criterion(named name: String, patterns: String, at token: SSHConfigArgument) throws(SSHConfigError)
        -> Criterion
    {
        switch name {
        case "host": return .host(patterns)
        case "originalhost": return .originalHost(patterns)
        case "user": return .user(patterns)
        case "localuser": return .localUser(patterns)
        case "exec": return .unsupported("exec")
        case _ where newerCriteria.contains(name): return .unsupported(name)
        default: throw SSHConfigError(at: token.location, "unknown Match criterion \"\(token.text)\"")
        }
    }
}
