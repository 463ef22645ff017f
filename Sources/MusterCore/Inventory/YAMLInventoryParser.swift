import Yams

/// Reads Ansible's YAML inventory format as its `yaml` plugin does: top-level keys are groups;
/// a group may have `hosts:`, `children:` and `vars:`, each a mapping (or one name as a string);
/// host keys may carry ranges and a port (`web[01:50].dc1:2222`); values keep their YAML types.
/// What Ansible skips with a warning (unknown keys, groups that are not mappings) becomes an
/// `InventoryWarning`; what it fails on becomes an `InventoryError` at the key's line and column.
struct YAMLInventoryParser {
    private let path: String
    private var builder: InventoryBuilder
    private var rangeBudget = HostRange.Budget()

    /// Whether Ansible's `yaml` plugin takes the document: a non-empty mapping that is not an
    /// inventory plugin's configuration. Anything else is left to the INI reader, as in Ansible.
    static func isInventory(_ root: Node?) -> Bool {
        guard case .mapping(let mapping) = root, !mapping.isEmpty else { return false }
        return mapping["plugin"] == nil
    }

    static func parse(_ root: Node, path: String, into builder: inout InventoryBuilder) throws {
        guard case .mapping(let mapping) = root else { return }
        var parser = YAMLInventoryParser(path: path, builder: builder)
        let groups = try parser.located { try YAMLValue.entries(of: mapping) }
        for entry in groups { _ = try parser.parseGroup(entry) }
        builder = parser.builder
    }

    /// Adds the group and what it holds; returns its name, which a parent then links as a child.
    private mutating func parseGroup(_ entry: YAMLValue.Entry) throws -> String {
        guard case .string(let group) = entry.key, !group.isEmpty else {
            let quoted = entry.key.description.isEmpty ? "it" : "'\(entry.key)'"
            throw error("a group name must be text; quote \(quoted)", at: entry.keyMark)
        }
        guard let sections = try located({ try sectionEntries(entry.value) }) else {
            let problem = "which is not a group definition (a mapping of hosts, children and vars)"
            warn("skipping '\(group)', \(problem)", at: entry.keyMark)
            return group
        }
        builder.addGroup(group)
        for section in sections {
            let key = section.name
            guard ["vars", "children", "hosts"].contains(key) else {
                let valid = "only vars, children and hosts are valid"
                warn("skipping unexpected key '\(key)' in group '\(group)'; \(valid)", at: section.keyMark)
                continue
            }
            guard let entries = try located({ try sectionEntries(section.value, stringIsOneName: true) }) else {
                throw error("'\(key)' of group '\(group)' must be a mapping", at: section.keyMark)
            }
            switch key {
            case "vars": try parseGroupVariables(entries, group: group)
            case "children": try parseChildren(entries, parent: group)
            default: try parseHosts(entries, group: group)
            }
        }
        return group
    }

    private mutating func parseGroupVariables(_ entries: [YAMLValue.Entry], group: String) throws {
        for entry in entries {
            let value = try sourced(entry, group: group)
            do {
                try builder.setVariable(entry.name, to: value, forGroup: group)
            } catch {
                throw self.error(error.message, at: entry.value.mark)
            }
        }
    }

    private mutating func parseChildren(_ entries: [YAMLValue.Entry], parent: String) throws {
        for entry in entries {
            let child = try parseGroup(entry)
            guard builder.hasGroup(child) else {
                throw error("group '\(child)' under '\(parent)' is not defined", at: entry.keyMark)
            }
            do {
                try builder.addChild(child, to: parent)
            } catch {
                throw self.error(error.message, at: entry.keyMark)
            }
        }
    }

    /// Each key is a host pattern (`web[01:03]:2222`); its value the hosts' variables, or empty.
    private mutating func parseHosts(_ entries: [YAMLValue.Entry], group: String) throws {
        for entry in entries {
            guard case .string(let pattern) = entry.key else {
                throw error("host name \(entry.key) must be text; enclose numbers in quotes", at: entry.keyMark)
            }
            let (names, port) = try expand(pattern, at: entry.keyMark)
            guard let variables = try located({ try hostVariables(entry.value) }) else {
                throw error("the variables of host '\(pattern)' must be a mapping", at: entry.value.mark)
            }
            var sourcedVariables: [(String, SourcedValue)] = []
            for variable in variables {
                sourcedVariables.append((variable.name, try sourced(variable, group: nil)))
            }
            let origin = VariableOrigin(source: path, line: entry.keyMark?.line, column: entry.keyMark?.column)
            for name in names {
                builder.addHost(name, port: port, origin: origin, to: group)
                for (key, value) in sourcedVariables { builder.setVariable(key, to: value, forHost: name) }
            }
        }
    }

    private mutating func expand(_ pattern: String, at mark: Mark?) throws -> ([String], Int?) {
        do throws(InventoryParseFailure) {
            let address = try HostAndPort.parse(pattern)
            guard !address.host.isEmpty else { throw InventoryParseFailure(message: "expected a host name", offset: 0) }
            return (try HostRange.expand(address.host, budget: &rangeBudget), address.port)
        } catch {
            throw InventoryError(
                source: path, line: mark?.line, column: mark.map { $0.column + error.offset }, message: error.message)
        }
    }

    /// A section's entries; nil when it is neither a mapping nor empty. Ansible reads a string
    /// under `hosts:`, `children:` or `vars:` as one name with nothing under it.
    private func sectionEntries(_ node: Node, stringIsOneName: Bool = false) throws(YAMLValue.Failure) -> [YAMLValue.Entry]? {
        if case .mapping(let mapping) = node { return try YAMLValue.entries(of: mapping) }
        switch try YAMLValue.value(of: node) {
        case .null: return []
        case .string(let name) where stringIsOneName:
            return [YAMLValue.Entry(key: .string(name), keyMark: node.mark, value: Node("~", .implicit, .plain))]
        default: return nil
        }
    }

    /// Ansible takes any false value (`~`, `""`, `0`, `[]`) as no variables.
    private func hostVariables(_ node: Node) throws(YAMLValue.Failure) -> [YAMLValue.Entry]? {
        if case .mapping(let mapping) = node { return try YAMLValue.entries(of: mapping) }
        switch try YAMLValue.value(of: node) {
        case .null, .string(""), .int(0), .float(0), .bool(false), .list([]): return []
        default: return nil
        }
    }

    private func sourced(_ entry: YAMLValue.Entry, group: String?) throws -> SourcedValue {
        let origin = VariableOrigin(source: path, line: entry.keyMark?.line, column: entry.keyMark?.column, group: group)
        return SourcedValue(value: try located { try YAMLValue.value(of: entry.value) }, origin: origin)
    }

    private mutating func warn(_ message: String, at mark: Mark?) {
        builder.warnings.append(InventoryWarning(source: path, line: mark?.line, column: mark?.column, message: message))
    }

    private func error(_ message: String, at mark: Mark?) -> InventoryError {
        InventoryError(source: path, line: mark?.line, column: mark?.column, message: message)
    }

    /// Runs a conversion, placing its failure in this file.
    private func located<Result>(_ convert: () throws -> Result) throws -> Result {
        do {
            return try convert()
        } catch let failure as YAMLValue.Failure {
            throw InventoryError(source: path, line: failure.line, column: failure.column, message: failure.message)
        }
    }
}
