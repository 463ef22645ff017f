/// Where inventories come from: `-i` arguments, inline host lists, or INI or YAML text.
public enum InventorySource {
    /// Reads one `-i` argument; see `load(_:extraVarsDirectories:)`.
    public static func load(_ argument: String) throws -> Inventory {
        try load([argument])
    }

    /// Reads `-i` arguments as Ansible does, each adding to the ones before: text with a comma
    /// that is not an existing path is a host list (`web1,web2:2222,`); a directory stands for
    /// its inventory files in name order; a file is YAML or INI. `group_vars/` and `host_vars/`
    /// beside each source are read, then those in `extraVarsDirectories` (the playbook's
    /// directory), which take precedence.
    /// - Throws: `InventoryError` naming the file, line and column, or the host list item.
    public static func load(_ arguments: [String], extraVarsDirectories: [String] = []) throws -> Inventory {
        var loader = InventoryLoader()
        for argument in arguments { try loader.add(argument) }
        return try loader.finish(extraVarsDirectories: extraVarsDirectories)
    }

    /// Hosts separated by commas, each `name`, `name:port`, `[IPv6]:port` or a bare IPv6
    /// address; all go in `ungrouped`, and a port becomes the host's `ansible_port`.
    public static func parseHostList(_ list: String) throws -> Inventory {
        try parse { builder in try HostListParser.parse(list, into: &builder) }
    }

    /// INI inventory text; `path` is used to name the source in errors and origins.
    public static func parseINI(_ text: String, path: String) throws -> Inventory {
        try parse { builder in try INIInventoryParser.parse(text, path: path, into: &builder) }
    }

    /// YAML inventory text; `path` is used to name the source in errors and origins.
    public static func parseYAML(_ text: String, path: String) throws -> Inventory {
        try parse { builder in
            let root = try YAMLDocument.compose(text, path: path)
            guard let root, YAMLInventoryParser.isInventory(root) else {
                throw InventoryError(source: path, message: "expected a mapping of group names at the top")
            }
            try YAMLInventoryParser.parse(root, path: path, into: &builder)
        }
    }

    private static func parse(_ read: (inout InventoryBuilder) throws -> Void) throws -> Inventory {
        var builder = InventoryBuilder()
        try read(&builder)
        builder.reconcile()
        return builder.build()
    }
}
