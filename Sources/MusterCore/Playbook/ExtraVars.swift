import Foundation
import Yams

/// `-e` values as Ansible takes them: `key=value` pairs (text; several in one argument are
/// separated by spaces, quoted values keep theirs), `@file.yml` (a YAML or JSON mapping), or
/// an inline YAML/JSON mapping. Later ones win.
public enum ExtraVars {
    public static func parse(_ arguments: [String], relativeTo directory: String) throws(PlaybookError) -> [String: InventoryValue] {
        var vars: [String: InventoryValue] = [:]
        for argument in arguments {
            if argument.hasPrefix("@") {
                let path = String(argument.dropFirst())
                let full = path.hasPrefix("/") ? path : directory + "/" + path
                let text: String
                do { text = try String(contentsOfFile: full, encoding: .utf8) } catch {
                    throw PlaybookError(source: "-e \(argument)", message: "cannot read \(path): \(error.localizedDescription)")
                }
                try merge(text, source: path, into: &vars)
            } else if argument.hasPrefix("{") {
                try merge(argument, source: "-e", into: &vars)
            } else {
                guard let words = words(argument) else {
                    throw PlaybookError(source: "-e", message: "unbalanced quotes in '\(argument)'")
                }
                if words.isEmpty { throw PlaybookError(source: "-e", message: "expected key=value, @FILE or a mapping, not ''") }
                for word in words {
                    guard let equals = word.firstIndex(of: "="), VariableName.isValid(String(word[..<equals])) else {
                        throw PlaybookError(source: "-e", message: "expected key=value, @FILE or a mapping, not '\(word)'")
                    }
                    vars[String(word[..<equals])] = .string(unquote(String(word[word.index(after: equals)...])))
                }
            }
        }
        return vars
    }

    /// `a=1 b="two words"` split as Ansible's `parse_kv` splits it: at whitespace outside
    /// quotes, the quotes kept for `unquote`. Nil when a quote is not closed.
    private static func words(_ text: String) -> [String]? {
        var words: [String] = []
        var current: String?
        var quote: Character?
        for character in text {
            if let open = quote {
                current!.append(character)
                if character == open { quote = nil }
            } else if character.isWhitespace {
                if let word = current { words.append(word) }
                current = nil
            } else {
                if character == "'" || character == "\"" { quote = character }
                current = (current ?? "") + String(character)
            }
        }
        guard quote == nil else { return nil }
        if let word = current { words.append(word) }
        return words
    }

    /// A value wholly in matching quotes loses them, as Ansible's `unquote` does.
    private static func unquote(_ value: String) -> String {
        guard value.count >= 2, let first = value.first, first == "'" || first == "\"", value.last == first else { return value }
        return String(value.dropFirst().dropLast())
    }

    private static func merge(_ text: String, source: String, into vars: inout [String: InventoryValue]) throws(PlaybookError) {
        let node: Node?
        do { node = try YAMLDocument.compose(text, path: source) } catch let error as InventoryError {
            throw PlaybookError(source: source, line: error.line, column: error.column, message: error.message)
        } catch { throw PlaybookError(source: source, message: "\(error)") }
        guard let node else { return }
        let reader = YAMLReader(source: source)
        guard case .mapping(let mapping) = node else { throw reader.error("extra variables must be a mapping of name: value", at: node) }
        let entries: [YAMLValue.Entry]
        do { entries = try YAMLValue.entries(of: mapping) } catch { throw reader.position(mapping.mark).error(error.message) }
        for entry in entries {
            guard case .string(let name) = entry.key, VariableName.isValid(name) else {
                throw reader.position(entry.keyMark).error("'\(entry.name)' is not a valid variable name")
            }
            vars[name] = try reader.value(entry.value)
        }
    }
}
