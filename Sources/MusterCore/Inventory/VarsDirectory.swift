/// The variables in the `group_vars/` and `host_vars/` directories beside an inventory source
/// or a playbook, found as Ansible's `host_group_vars` plugin finds them.
struct VarsDirectory: Sendable, Hashable {
    /// Only the names that have files; a group's values are placed with the group's name.
    var groupVars: [String: SourcedVariables] = [:]
    var hostVars: [String: SourcedVariables] = [:]

    /// Reads the files for the given groups and hosts only, as Ansible never opens the others.
    static func load(beside root: String, groups: [String], hosts: [String]) throws -> VarsDirectory {
        VarsDirectory(
            groupVars: try variables(in: InventoryPath.join(root, "group_vars"), for: groups, areGroups: true),
            hostVars: try variables(in: InventoryPath.join(root, "host_vars"), for: hosts, areGroups: false))
    }

    /// For each name, its files merged in order, later files replacing earlier values.
    private static func variables(in directory: String, for names: [String], areGroups: Bool) throws -> [String:
        SourcedVariables]
    {
        guard let entries = InventoryPath.sortedEntries(of: directory) else { return [:] }
        let present = Set(entries)
        var found: [String: SourcedVariables] = [:]
        for name in names {
            var merged: SourcedVariables = [:]
            for file in files(for: name, in: directory, present: present) {
                merged.merge(try VarsFile.read(file, group: areGroups ? name : nil)) { _, later in later }
            }
            if !merged.isEmpty { found[name] = merged }
        }
        return found
    }

    /// The first of `name`, `name.yml`, `name.yaml` and `name.json` that exists, and only that one:
    /// with both `web/` and `web.yml`, Ansible reads the directory alone.
    private static func files(for name: String, in directory: String, present: Set<String>) -> [String] {
        for candidate in [name, name + ".yml", name + ".yaml", name + ".json"] where present.contains(candidate) {
            let path = InventoryPath.join(directory, candidate)
            return InventoryPath.kind(of: path) == .directory ? filesInside(path) : [path]
        }
        return []
    }

    /// Files in name order, descending into subdirectories without an extension; hidden files,
    /// `~` backups and extensions other than `.yml`, `.yaml` and `.json` are skipped.
    private static func filesInside(_ directory: String) -> [String] {
        (InventoryPath.sortedEntries(of: directory) ?? []).flatMap { entry -> [String] in
            guard !entry.hasPrefix("."), !entry.hasSuffix("~") else { return [] }
            let path = InventoryPath.join(directory, entry)
            let fileExtension = InventoryPath.pythonExtension(of: entry)
            switch InventoryPath.kind(of: path) {
            case .directory where fileExtension.isEmpty: return filesInside(path)
            case .file where ["", ".yml", ".yaml", ".json"].contains(fileExtension): return [path]
            default: return []
            }
        }
    }
}
