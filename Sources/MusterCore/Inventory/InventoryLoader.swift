import Foundation
import Yams

/// Reads `-i` sources into one inventory as Ansible's `InventoryManager` does: each source in
/// turn adds to what earlier ones declared, a directory stands for its files in name order, and
/// `group_vars/`/`host_vars/` beside each source (then beside the playbook) are read at the end.
struct InventoryLoader {
    /// Names Ansible skips in inventory directories: hidden files, the vars directories, and
    /// these endings (`INVENTORY_IGNORE_EXTS`, which `.ini`, `.yml` and `.json` are not among).
    private static let ignoredNames: Set = ["host_vars", "group_vars", "vars_plugins"]
    private static let ignoredEndings = [
        ".pyc", ".pyo", ".swp", ".bak", "~", ".rpm", ".md", ".txt", ".rst", ".orig", ".cfg", ".retry",
    ]

    private var builder = InventoryBuilder()
    /// Where to look for `group_vars/` and `host_vars/`, one entry per path source, repeats kept:
    /// their order is the order of precedence.
    private var varsRoots: [String] = []

    /// A host list (`web1,web2:2222`), a file, or a directory of files.
    mutating func add(_ argument: String) throws {
        if argument.contains(","), InventoryPath.kind(of: argument) == nil {
            try HostListParser.parse(argument, into: &builder)
            return
        }
        switch InventoryPath.kind(of: argument) {
        case nil:
            // Ansible users pass one host as `-i web1,`; without the comma it reads as a file name.
            let hint = argument.contains("/") ? "" : " (for a single host, write '\(argument),')"
            throw InventoryError(source: argument, message: "no such file or directory" + hint)
        case .directory:
            try addDirectory(argument)
            varsRoots.append(argument)
        case .file:
            try addFile(argument)
            varsRoots.append(InventoryPath.directory(of: argument))
        }
    }

    /// Settles groups and memberships, then stacks each host's variables.
    mutating func finish(extraVarsDirectories: [String]) throws -> Inventory {
        builder.reconcile()
        var loaded: [String: VarsDirectory] = [:]
        let directories = try (varsRoots + extraVarsDirectories).map { root in
            if let known = loaded[root] { return known }
            let directory = try VarsDirectory.load(beside: root, groups: builder.groupNames, hosts: builder.hostNames)
            loaded[root] = directory
            return directory
        }
        return builder.build(directories: directories)
    }

    private mutating func addDirectory(_ directory: String) throws {
        guard let entries = InventoryPath.sortedEntries(of: directory) else {
            throw InventoryError(source: directory, message: "cannot be listed")
        }
        for entry in entries where !Self.isIgnored(entry) {
            let path = InventoryPath.join(directory, entry)
            if InventoryPath.kind(of: path) == .directory {
                try addDirectory(path)
            } else {
                try addFile(path)
            }
        }
    }

    private static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || ignoredNames.contains(name) || ignoredEndings.contains { name.hasSuffix($0) }
    }

    /// Tries the formats in Ansible's plugin order: YAML for names without an extension or ending
    /// in `.yml`, `.yaml` or `.json`, taken when the file holds a YAML mapping; INI otherwise.
    /// When neither reads the file, the error is the YAML one for YAML names, else the INI one;
    /// errors inside a YAML inventory are reported as they are.
    private mutating func addFile(_ path: String) throws {
        let text = try InventoryFile.read(path)
        let fileExtension = InventoryPath.pythonExtension(of: (path as NSString).lastPathComponent)
        if fileExtension == ".toml" {
            throw InventoryError(source: path, message: "TOML inventories are not supported; use INI or YAML")
        }
        guard ["", ".yml", ".yaml", ".json"].contains(fileExtension) else {
            return try INIInventoryParser.parse(text, path: path, into: &builder)
        }
        let document = Result { try YAMLDocument.compose(text, path: path) }
        if case .success(let root?) = document, YAMLInventoryParser.isInventory(root) {
            return try YAMLInventoryParser.parse(root, path: path, into: &builder)
        }
        do {
            try INIInventoryParser.parse(text, path: path, into: &builder)
        } catch let iniFailure as InventoryError {
            guard !fileExtension.isEmpty else { throw iniFailure }
            let root = try document.get()  // rethrows a YAML syntax error
            throw InventoryError(
                source: path, line: root?.mark?.line, column: root?.mark?.column, message: Self.notAnInventory(root))
        }
    }

    private static func notAnInventory(_ root: Node?) -> String {
        guard case .mapping(let mapping) = root else { return "expected a mapping of group names at the top of a YAML inventory" }
        return mapping.isEmpty ? "the YAML inventory is empty" : "inventory plugin configurations ('plugin:') are not supported"
    }
}
