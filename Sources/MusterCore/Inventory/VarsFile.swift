import Yams

/// One `group_vars`/`host_vars` file: YAML or JSON holding a mapping of variable names to values.
enum VarsFile {
    /// The file's variables, each placed at its key. As in Ansible, an empty file (or one holding
    /// only a false value such as `~` or `[]`) sets nothing, and anything else but a mapping is an error.
    static func read(_ path: String, group: String?) throws -> SourcedVariables {
        guard let root = try YAMLDocument.compose(InventoryFile.read(path), path: path) else { return [:] }
        do throws(YAMLValue.Failure) {
            guard case .mapping(let mapping) = root else {
                guard try YAMLValue.value(of: root).isFalse else {
                    throw YAMLValue.Failure(message: "expected a mapping of variable names to values", mark: root.mark)
                }
                return [:]
            }
            var variables: SourcedVariables = [:]
            for entry in try YAMLValue.entries(of: mapping) {
                let origin = VariableOrigin(
                    source: path, line: entry.keyMark?.line, column: entry.keyMark?.column, group: group)
                variables[entry.name] = SourcedValue(
                    value: try YAMLValue.value(of: entry.value), origin: origin)
            }
            return variables
        } catch {
            throw InventoryError(source: path, line: error.line, column: error.column, message: error.message)
        }
    }
}
