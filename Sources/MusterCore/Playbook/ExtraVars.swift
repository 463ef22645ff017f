import Foundation
import Yams

/// `-e` values as Ansible takes them: `key=value` (text), `@file.yml` (a YAML or JSON
/// mapping), or an inline YAML/JSON mapping. Later ones win.
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
                guard let equals = argument.firstIndex(of: "="), VariableName.isValid(String(argument[..<equals])) else {
                    throw PlaybookError(source: "-e", message: "expected key=value, @FILE or a mapping, not '\(argument)'")
                }
                vars[String(argument[..<equals])] = .string(String(argument[argument.index(after: equals)...]))
            }
        }
        return vars
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
