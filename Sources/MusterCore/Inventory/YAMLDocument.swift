import Yams

/// Reads one YAML (or JSON) document with Yams (libyaml, as Ansible's loader), keeping the node
/// tree so that every key keeps its line. libyaml's syntax errors become `InventoryError`s at their place.
enum YAMLDocument {
    /// The document's root node; nil for a document with no content (empty, or only comments).
    static func compose(_ text: String, path: String) throws -> Node? {
        do {
            return try Parser(yaml: JSONText.asYAML(text)).singleRoot()
        } catch let error as YamlError {
            throw inventoryError(error, path: path)
        }
    }

    private static func inventoryError(_ error: YamlError, path: String) -> InventoryError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let during = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return InventoryError(
                source: path, line: mark.line, column: mark.column, message: "invalid YAML: \(problem)\(during)")
        case .reader(let problem, _, _, _):
            return InventoryError(source: path, message: "invalid YAML: \(problem)")
        default:
            return InventoryError(source: path, message: "invalid YAML: \(error)")
        }
    }
}
