import Foundation
import MusterSSH

/// The filters after `|`: the handful Ansible playbooks use in commands and conditions.
public enum TemplateFilter: String, Sendable, Hashable, CaseIterable {
    case defaultValue = "default"
    case quote, int, float, string, lower, upper, trim, length, bool, join, basename, dirname
    case regexSearch = "regex_search"
    case first, last

    /// Every name a playbook may write, aliases included, for error messages.
    public static let knownNames: [String] = (allCases.map(\.rawValue) + ["d", "count"]).sorted()

    static func named(_ name: String) -> TemplateFilter? {
        switch name {
        case "d": .defaultValue
        case "count": .length
        default: TemplateFilter(rawValue: name)
        }
    }

    /// How many arguments the filter takes in parentheses.
    var arity: ClosedRange<Int> {
        switch self {
        case .defaultValue: 0...2
        case .int, .float, .join: 0...1
        case .regexSearch: 1...1
        default: 0...0
        }
    }

    /// The filtered value; `default` is handled by the evaluator, which must see undefined values.
    func apply(to value: InventoryValue, _ arguments: [InventoryValue], at offset: Int) throws(TemplateError)
        -> InventoryValue
    {
        switch self {
        case .defaultValue: return value
        case .quote: return .string(ShellQuote.quote(value.description))
        case .int: return Self.integer(value) ?? arguments.first ?? .int(0)
        case .float: return Self.float(value).map(InventoryValue.float) ?? arguments.first ?? .float(0)
        case .string: return .string(value.description)
        case .lower: return .string(value.description.lowercased())
        case .upper: return .string(value.description.uppercased())
        case .trim: return .string(value.description.trimmingCharacters(in: .whitespacesAndNewlines))
        case .length: return .int(try Self.length(value, at: offset))
        case .bool: return .bool(Self.boolean(value))
        case .join: return .string(try Self.join(value, separator: arguments.first, at: offset))
        case .basename: return .string(PosixPath.basename(value.description))
        case .dirname: return .string(PosixPath.dirname(value.description))
        case .regexSearch: return try Self.regexSearch(value, pattern: arguments[0], at: offset)
        case .first, .last: return try Self.end(value, first: self == .first, at: offset)
        }
    }

    /// Python's `int()` as Jinja's `int` filter uses it: nil where Python raises, so the
    /// filter's default (0) applies, as in Ansible.
    static func integer(_ value: InventoryValue) -> InventoryValue? {
        switch value {
        case .int: return value
        case .bool(let flag): return .int(flag ? 1 : 0)
        case .float(let number): return truncated(number)
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if let number = Int(trimmed) { return .int(number) }
            return Double(trimmed).flatMap(truncated)
        default: return nil
        }
    }

    private static func truncated(_ number: Double) -> InventoryValue? {
        Int(exactly: number.rounded(.towardZero)).map(InventoryValue.int)
    }

    static func float(_ value: InventoryValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .float(let number): number
        case .bool(let flag): flag ? 1 : 0
        case .string(let text): Double(text.trimmingCharacters(in: .whitespacesAndNewlines))
        default: nil
        }
    }

    /// Ansible's `bool` filter: only `yes`, `on`, `1` and `true` (any case) and 1 are true.
    static func boolean(_ value: InventoryValue) -> Bool {
        switch value {
        case .bool(let flag): flag
        case .int(let number): number == 1
        case .float(let number): number == 1
        case .string(let text): ["yes", "on", "1", "true"].contains(text.lowercased())
        default: false
        }
    }

    /// Python's `len()`: strings count code points.
    static func length(_ value: InventoryValue, at offset: Int) throws(TemplateError) -> Int {
        switch value {
        case .string(let text): return text.unicodeScalars.count
        case .list(let items): return items.count
        case .dict(let entries): return entries.count
        default: throw .evaluation(offset, "object of type '\(value.typeName)' has no length")
        }
    }

    private static func join(_ value: InventoryValue, separator: InventoryValue?, at offset: Int) throws(TemplateError)
        -> String
    {
        let separator = separator?.description ?? ""
        switch value {
        case .list(let items): return items.map(\.description).joined(separator: separator)
        case .dict(let entries): return entries.map(\.key).joined(separator: separator)
        case .string(let text): return text.unicodeScalars.map(String.init).joined(separator: separator)
        default: throw .evaluation(offset, "cannot join a value of type '\(value.typeName)'")
        }
    }

    /// Ansible's `regex_search` without groups: the first match, or none.
    private static func regexSearch(_ value: InventoryValue, pattern: InventoryValue, at offset: Int)
        throws(TemplateError) -> InventoryValue
    {
        let regex = try compileRegex(pattern, at: offset)
        let text = value.description
        guard let match = try? regex.firstMatch(in: text) else { return .null }
        return .string(String(text[match.range]))
    }

    static func compileRegex(_ pattern: InventoryValue, at offset: Int) throws(TemplateError) -> Regex<AnyRegexOutput> {
        guard case .string(let source) = pattern else {
            throw .evaluation(offset, "regex_search needs a string pattern, not '\(pattern.typeName)'")
        }
        do {
            return try Regex(source)
        } catch {
            throw .evaluation(offset, "invalid regular expression '\(source)': \(error)")
        }
    }

    /// `first` and `last` of an empty sequence are undefined, as in Jinja, so `default` applies.
    private static func end(_ value: InventoryValue, first: Bool, at offset: Int) throws(TemplateError)
        -> InventoryValue
    {
        let name = first ? "first" : "last"
        switch value {
        case .list(let items):
            guard let item = first ? items.first : items.last else { throw .undefined(offset, "\(name) of an empty list") }
            return item
        case .string(let text):
            guard let scalar = first ? text.unicodeScalars.first : text.unicodeScalars.last else {
                throw .undefined(offset, "\(name) of an empty string")
            }
            return .string(String(scalar))
        default:
            throw .evaluation(offset, "cannot take the \(name) item of a value of type '\(value.typeName)'")
        }
    }
}

/// Python's `os.path.basename` and `os.path.dirname`, which Ansible's filters call.
enum PosixPath {
    static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    static func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        let head = path[...slash]
        if head.allSatisfy({ $0 == "/" }) { return String(head) }
        return String(head.reversed().drop { $0 == "/" }.reversed())
    }
}
