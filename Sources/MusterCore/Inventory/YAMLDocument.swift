internal import CYaml  // Yams's libyaml, to check a document's shape without recursion
import Yams

/// Reads one YAML (or JSON) document with Yams (libyaml, as Ansible's loader), keeping the node
/// tree so that every key keeps its line. libyaml's syntax errors become `InventoryError`s at their place.
enum YAMLDocument {
    /// The document's root node; nil for a document with no content (empty, or only comments).
    static func compose(_ text: String, path: String) throws -> Node? {
        let yaml = JSONText.asYAML(text)
        try checkShape(yaml, path: path)
        do {
            return try Parser(yaml: yaml).singleRoot()
        } catch let error as YamlError {
            throw inventoryError(error, path: path)
        }
    }

    /// Limits checked in libyaml's events, which it makes without recursion, before Yams
    /// composes the document. Yams composes, and the inventory code reads, one level of nesting
    /// per call, so a few thousand `[` would overflow the stack; and every alias is read as a
    /// copy of its anchor's node, so anchors of aliases of anchors ("billion laughs") would
    /// never finish.
    static let maximumNesting = 500
    static let maximumAliasedNodes = 100_000

    /// Syntax errors are left for Yams to report.
    private static func checkShape(_ yaml: String, path: String) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(yaml.utf8)
        try bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var open: [(anchor: String?, nodes: Int)] = []  // the collections being read
            var anchoredNodes: [String: Int] = [:]
            var aliasedNodes = 0
            // A node of `nodes` nodes, counting each alias as a copy, ends in the innermost collection.
            func close(_ nodes: Int, anchor: UnsafeMutablePointer<yaml_char_t>?) {
                if let anchor { anchoredNodes[String(cString: anchor)] = nodes }
                if !open.isEmpty { open[open.count - 1].nodes += nodes }
            }
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                let mark = event.start_mark
                func failure(_ message: String) -> InventoryError {
                    InventoryError(source: path, line: mark.line + 1, column: mark.column + 1, message: message)
                }
                switch event.type {
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    let anchor =
                        event.type == YAML_SEQUENCE_START_EVENT
                        ? event.data.sequence_start.anchor : event.data.mapping_start.anchor
                    open.append((anchor.map { String(cString: $0) }, 1))
                    guard open.count <= maximumNesting else {
                        throw failure("invalid YAML: collections nested more than \(maximumNesting) deep")
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    let collection = open.removeLast()
                    if let anchor = collection.anchor { anchoredNodes[anchor] = collection.nodes }
                    close(collection.nodes, anchor: nil)
                case YAML_SCALAR_EVENT:
                    close(1, anchor: event.data.scalar.anchor)
                case YAML_ALIAS_EVENT:
                    let nodes = anchoredNodes[String(cString: event.data.alias.anchor)] ?? 1
                    aliasedNodes += nodes
                    guard aliasedNodes <= maximumAliasedNodes else {
                        throw failure("invalid YAML: aliases repeat more than \(maximumAliasedNodes) nodes")
                    }
                    close(nodes, anchor: nil)
                case YAML_STREAM_END_EVENT: return
                default: break
                }
            }
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
