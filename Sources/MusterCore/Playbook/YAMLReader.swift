import Foundation
import Yams

/// Reads typed values out of a composed YAML document, turning every mismatch into a
/// `PlaybookError` that points at the node (file:line:column) and says what was expected.
struct YAMLReader {
    let source: String

    func position(_ mark: Mark?) -> SourcePosition {
        SourcePosition(source: source, line: mark?.line, column: mark?.column)
    }

    func error(_ message: String, at node: Node) -> PlaybookError {
        position(node.mark).error(message)
    }

    /// A mapping's entries by key, in order, with only `allowed` keys accepted.
    func fields(_ node: Node, of what: String, allowed: [String]) throws(PlaybookError) -> Fields {
        guard case .mapping(let mapping) = node else { throw error("\(what) must be a mapping", at: node) }
        let entries: [YAMLValue.Entry]
        do { entries = try YAMLValue.entries(of: mapping) } catch { throw position(mapping.mark).error(error.message) }
        var fields = Fields(reader: self, what: what, mark: mapping.mark)
        for entry in entries {
            guard case .string = entry.key, allowed.contains(entry.name) else {
                throw position(entry.keyMark).error(
                    "unknown key '\(entry.name)' in \(what) (expected one of: \(allowed.joined(separator: ", ")))")
            }
            fields.entries[entry.name] = (entry.keyMark, entry.value)
            fields.order.append(entry.name)
        }
        return fields
    }

    func string(_ node: Node, _ what: String) throws(PlaybookError) -> String {
        guard case .scalar(let scalar) = node else { throw error("\(what) must be text, not a \(kind(of: node))", at: node) }
        return scalar.string
    }

    func template(_ node: Node, _ what: String) throws(PlaybookError) -> TemplateText {
        let text = try string(node, what)
        var position = position(node.mark)
        if case .scalar(let scalar) = node {
            switch scalar.style {
            case .singleQuoted, .doubleQuoted: position = position.advanced(by: 1)
            case .literal, .folded:
                // The node starts at the `|` or `>`; the text on the next line, at an indentation
                // not kept. (Folded lines are joined, so later lines of `>` text are approximate.)
                position.line = position.line.map { $0 + 1 }
                position.column = nil
            default: break
            }
        }
        return TemplateText(text, at: position)
    }

    func value(_ node: Node) throws(PlaybookError) -> InventoryValue {
        do { return try YAMLValue.value(of: node) } catch {
            throw PlaybookError(source: source, line: error.line, column: error.column, message: error.message)
        }
    }

    func int(_ node: Node, _ what: String, minimum: Int = Int.min) throws(PlaybookError) -> Int {
        guard case .int(let number) = try value(node) else { throw error("\(what) must be a whole number", at: node) }
        guard number >= minimum else { throw error("\(what) must be at least \(minimum)", at: node) }
        return number
    }

    func bool(_ node: Node, _ what: String) throws(PlaybookError) -> Bool {
        guard case .bool(let flag) = try value(node) else { throw error("\(what) must be true or false", at: node) }
        return flag
    }

    func percent(_ node: Node, _ what: String) throws(PlaybookError) -> Double {
        switch try value(node) {
        case .int(let number) where (0...100).contains(number): return Double(number)
        case .float(let number) where (0...100).contains(number): return number
        default: throw error("\(what) must be a number from 0 to 100", at: node)
        }
    }

    /// `30` (seconds), `500ms`, `30s`, `10m`, `2h`, or combinations such as `1m30s`.
    func duration(_ node: Node, _ what: String) throws(PlaybookError) -> Duration {
        switch try value(node) {
        case .int(let seconds) where seconds >= 0 && seconds <= DurationText.maxMilliseconds / 1000: return .seconds(seconds)
        case .float(let seconds) where seconds >= 0 && seconds * 1000 <= Double(DurationText.maxMilliseconds):
            return .milliseconds(Int64(seconds * 1000))
        case .string(let text):
            if let duration = DurationText.parse(text) { return duration }
            fallthrough
        default:
            throw error("\(what) must be a duration such as 30, 30s, 10m, 1h30m or 500ms", at: node)
        }
    }

    func sequence(_ node: Node, _ what: String) throws(PlaybookError) -> [Node] {
        guard case .sequence(let sequence) = node else { throw error("\(what) must be a list", at: node) }
        return Array(sequence)
    }

    func kind(of node: Node) -> String {
        switch node {
        case .scalar: "scalar"
        case .sequence: "list"
        case .mapping: "mapping"
        }
    }

    /// A mapping's checked entries; `require` and `optional` fetch them by key.
    struct Fields {
        let reader: YAMLReader
        let what: String
        let mark: Mark?
        var entries: [String: (key: Mark?, value: Node)] = [:]
        var order: [String] = []

        subscript(key: String) -> Node? { entries[key]?.value }

        func require(_ key: String) throws(PlaybookError) -> Node {
            guard let node = entries[key]?.value else { throw reader.position(mark).error("\(what) needs '\(key)'") }
            return node
        }

        func keyPosition(_ key: String) -> SourcePosition { reader.position(entries[key]?.key ?? mark) }
        var position: SourcePosition { reader.position(mark) }
    }
}

/// Durations as playbooks write them.
enum DurationText {
    /// The longest duration a playbook may give (about 292 years): whole milliseconds
    /// that fit in an `Int64`, so converting and describing it cannot overflow.
    static let maxMilliseconds = Int64.max / 1000

    static func parse(_ text: String) -> Duration? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var total: Int64 = 0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !digits.isEmpty, let number = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unitText = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unitText.count)
            guard let unit = units.first(where: { $0.0 == unitText.lowercased() }) ?? (unitText.isEmpty && rest.isEmpty ? ("s", 1000) : nil)
            else { return nil }
            let milliseconds = number * Double(unit.1)
            guard milliseconds <= Double(maxMilliseconds - total) else { return nil }
            total += Int64(milliseconds)
        }
        return .milliseconds(total)
    }

    static func describe(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 != 0 { return "\(milliseconds) ms" }
        let seconds = milliseconds / 1000
        if seconds >= 60, seconds % 60 == 0 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }
}
