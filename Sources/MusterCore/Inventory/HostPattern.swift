import Foundation

/// An Ansible host pattern such as `webservers:&dc1:!web3`, parsed once and applied to inventories.
///
/// Terms are host names, group names, globs (`web*`, `*.dc1`, `db?`), regular expressions
/// (`~web\d+`), each optionally subscripted (`web[0]`, `web[-1]`, `web[1:3]`). They are joined
/// by `,` or `:`; a leading `&` intersects and `!` excludes. As in Ansible, all unions are taken
/// first, then intersections, then exclusions, whatever their order in the text. `@file` stands
/// for the patterns in a file, one per line, as in Ansible's `--limit @file` (a `.retry` file).
public struct HostPattern: Sendable, CustomStringConvertible {
    /// The pattern as written.
    public let description: String
    private let unions: [HostPatternTerm]
    private let intersections: [HostPatternTerm]
    private let exclusions: [HostPatternTerm]

    /// - Throws: `HostPatternError` for an empty pattern, an unbalanced `[`, a bad regular expression,
    ///   an operator with nothing after it, or an `@file` that cannot be read.
    public init(_ text: String) throws {
        let parts = try Self.split(text).flatMap { part in
            part.hasPrefix("@") ? try LimitFile.patterns(in: String(part.dropFirst()), pattern: text) : [part]
        }
        guard !parts.isEmpty else { throw HostPatternError(pattern: text, message: "the pattern is empty") }
        var unions: [HostPatternTerm] = []
        var intersections: [HostPatternTerm] = []
        var exclusions: [HostPatternTerm] = []
        for part in parts {
            let body = part.first == "&" || part.first == "!" ? part.dropFirst() : part[...]
            guard !body.isEmpty else {
                throw HostPatternError(pattern: text, message: "expected a host, group or pattern after '\(part)'")
            }
            let term: HostPatternTerm
            do {
                term = try HostPatternTerm(body)
            } catch {
                throw HostPatternError(pattern: text, message: "\(error.message) in '\(body)'")
            }
            switch part.first {
            case "&": intersections.append(term)
            case "!": exclusions.append(term)
            default: unions.append(term)
            }
        }
        description = text
        // As in Ansible, a pattern of only `&` and `!` terms starts from all hosts.
        self.unions = unions.isEmpty ? [.all] : unions
        self.intersections = intersections
        self.exclusions = exclusions
    }

    /// The matching hosts, each once, in Ansible's order: the union terms' hosts in the order of
    /// the terms, then narrowed by intersections and exclusions; empty when nothing matches.
    public func select(from inventory: Inventory) -> [InventoryHost] {
        var seen: Set<String> = []
        var selected = unions.flatMap { $0.hosts(in: inventory) }.filter { seen.insert($0.name).inserted }
        for term in intersections {
            let kept = Set(term.hosts(in: inventory).map(\.name))
            selected.removeAll { !kept.contains($0.name) }
        }
        for term in exclusions {
            let removed = Set(term.hosts(in: inventory).map(\.name))
            selected.removeAll { removed.contains($0.name) }
        }
        return selected
    }

    /// Ansible's split: on commas if there are any; otherwise on colons outside brackets, unless
    /// the whole pattern reads as one address (`::1`, `web1:8080`, which then matches no host).
    private static func split(_ text: String) -> [String] {
        let parts: [Substring]
        if text.contains(",") {
            parts = text.split(separator: ",")
        } else if (try? HostAndPort.parse(text))?.port != nil || HostAndPort.isIPv6Address(text) {
            parts = [text[...]]
        } else {
            var depth = 0
            parts = text.split { character in
                if character == "[" { depth += 1 }
                if character == "]" { depth = max(0, depth - 1) }
                return character == ":" && depth == 0
            }
        }
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// Why a host pattern could not be parsed: `host pattern 'web[': unbalanced '[' in 'web['`.
public struct HostPatternError: Error, Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    public let message: String

    public init(pattern: String, message: String) {
        self.pattern = pattern
        self.message = message
    }

    public var description: String {
        "host pattern '\(pattern)': \(message)"
    }
}
