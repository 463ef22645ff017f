import Yams

/// Builds inventory values from YAML nodes the way Ansible's loader (PyYAML's safe constructor
/// plus Ansible's tags) builds Python values: plain scalars typed as YAML 1.1, quoted ones text,
/// merge keys (`<<: *defaults`) applied, and a repeated key keeping its first place with its last value.
enum YAMLValue {
    /// A node that cannot be turned into a value, with where it is.
    struct Failure: Error {
        let message: String
        let line: Int?
        let column: Int?

        init(message: String, mark: Mark?) {
            self.message = message
            line = mark?.line
            column = mark?.column
        }
    }

    /// One mapping entry, its key typed and its value still a node, so callers can place both.
    struct Entry {
        let key: InventoryValue
        /// The key as text, as Ansible's JSON output shows it: `1` for the number 1, `true` for a boolean.
        let name: String
        let keyMark: Mark?
        let value: Node

        init(key: InventoryValue, keyMark: Mark?, value: Node) {
            self.key = key
            name = YAMLValue.keyText(key)
            self.keyMark = keyMark
            self.value = value
        }
    }

    private static let yamlTag = "tag:yaml.org,2002:"

    static func value(of node: Node) throws(Failure) -> InventoryValue {
        switch node {
        case .scalar(let scalar):
            return try value(of: scalar)
        case .sequence(let sequence):
            try expectTag(sequence.tag, among: ["", "!", yamlTag + "seq"], mark: sequence.mark)
            var elements: [InventoryValue] = []
            for element in sequence { elements.append(try value(of: element)) }
            return .list(elements)
        case .mapping(let mapping):
            var entries = InventoryDictionary()
            for entry in try self.entries(of: mapping) { entries[entry.name] = try value(of: entry.value) }
            return .dict(entries)
        }
    }

    /// The entries in PyYAML's order: those merged in with `<<` first, then the mapping's own.
    static func entries(of mapping: Node.Mapping) throws(Failure) -> [Entry] {
        try expectTag(mapping.tag, among: ["", "!", yamlTag + "map"], mark: mapping.mark)
        var merged: [Entry] = []
        var own: [Entry] = []
        for (keyNode, valueNode) in mapping {
            if case .scalar(let key) = keyNode, key.string == "<<", key.style == .plain, key.tag.description.isEmpty {
                merged += try mergedEntries(valueNode)
            } else {
                own.append(Entry(key: try value(of: keyNode), keyMark: keyNode.mark, value: valueNode))
            }
        }
        var positions: [String: Int] = [:]
        var result: [Entry] = []
        for entry in merged + own {
            if let position = positions[entry.name] {
                result[position] = entry
            } else {
                positions[entry.name] = result.count
                result.append(entry)
            }
        }
        return result
    }

    private static func keyText(_ key: InventoryValue) -> String {
        switch key {
        case .string(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .int, .float, .list, .dict: key.description
        }
    }

    /// `<<: *a` merges one mapping; `<<: [*a, *b]` merges several, earlier ones winning.
    private static func mergedEntries(_ node: Node) throws(Failure) -> [Entry] {
        switch node {
        case .mapping(let mapping):
            return try entries(of: mapping)
        case .sequence(let sequence):
            guard sequence.allSatisfy({ $0.mapping != nil }) else {
                throw Failure(message: "expected mappings to merge after '<<'", mark: sequence.mark)
            }
            var result: [Entry] = []
            for case .mapping(let mapping) in sequence.reversed() { result += try entries(of: mapping) }
            return result
        case .scalar(let scalar):
            throw Failure(message: "expected a mapping or a list of mappings to merge after '<<'", mark: scalar.mark)
        }
    }

    private static func value(of scalar: Node.Scalar) throws(Failure) -> InventoryValue {
        let tag = scalar.tag.description
        switch tag {
        case "", "!": return scalar.style == .plain ? YAMLPlainScalar.value(of: scalar.string) : .string(scalar.string)
        case "!unsafe", yamlTag + "str": return .string(scalar.string)
        case yamlTag + "int", yamlTag + "float", yamlTag + "bool", yamlTag + "null":
            let typed = YAMLPlainScalar.value(of: scalar.string)
            guard yamlTag + typed.yamlTypeName == tag else {
                throw Failure(message: "'\(scalar.string)' is not a valid \(tag.dropFirst(yamlTag.count))", mark: scalar.mark)
            }
            return typed
        case "!vault":
            throw Failure(message: "vault-encrypted values are not supported", mark: scalar.mark)
        default:
            throw Failure(message: "unsupported YAML tag '\(tag)'", mark: scalar.mark)
        }
    }

    private static func expectTag(_ tag: Tag, among accepted: [String], mark: Mark?) throws(Failure) {
        guard accepted.contains(tag.description) else {
            throw Failure(message: "unsupported YAML tag '\(tag)'", mark: mark)
        }
    }
}

extension InventoryValue {
    /// The YAML type name (`int`, `str`, ...) for messages and explicit tags.
    fileprivate var yamlTypeName: String {
        switch self {
        case .string: "str"
        case .int: "int"
        case .float: "float"
        case .bool: "bool"
        case .null: "null"
        case .list: "seq"
        case .dict: "map"
        }
    }
}
