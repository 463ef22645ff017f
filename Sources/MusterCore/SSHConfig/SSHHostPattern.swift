import MusterSSH

/// Host patterns as OpenSSH's match.c reads them: `*` and `?` wildcards over bytes (so `?` is
/// one byte of a UTF-8 character), matching the whole name.
enum SSHHostPattern {
    /// match_pattern: the one matcher MusterSSH also uses for known_hosts.
    static func matches(_ name: some Collection<UInt8>, _ pattern: some Collection<UInt8>) -> Bool {
        WildcardPattern.matches(name, pattern)
    }

    /// A `Host` line: some pattern matches and no `!pattern` does. Patterns are whole words and
    /// case-sensitive, and commas are literal.
    static func hostLineMatches(_ host: String, patterns: [String]) -> Bool {
        var matched = false
        for pattern in patterns {
            let negated = pattern.utf8.first == UInt8(ascii: "!")
            guard matches(host.utf8, pattern.utf8.dropFirst(negated ? 1 : 0)) else { continue }
            if negated { return false }
            matched = true
        }
        return matched
    }

    /// match_pattern_list, as `Match` criteria and IgnoreUnknown use: comma-separated patterns,
    /// some matching and none negated-matching. With `lowercasing`, patterns are lowercased
    /// (callers lowercase the name). A pattern of 1023 bytes or more fails the whole list.
    static func listMatches(_ name: String, list: String, lowercasing: Bool) -> Bool {
        let list = Array(list.utf8)
        var matched = false
        var index = 0
        while index < list.count {  // a trailing comma ends the list without an empty pattern
            let negated = list[index] == UInt8(ascii: "!")
            if negated { index += 1 }
            let end = list[index...].firstIndex(of: UInt8(ascii: ",")) ?? list.count
            guard end - index < 1023 else { return false }
            let pattern = lowercasing ? list[index..<end].map(asciiLowercased) : Array(list[index..<end])
            index = end + 1
            guard matches(name.utf8, pattern) else { continue }
            if negated { return false }
            matched = true
        }
        return matched
    }

    static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map(asciiLowercased), as: UTF8.self)
    }
}
