import Foundation

/// Where inventories come from: an `-i` argument, an inline host list, or INI text.
public enum InventorySource {
    /// Reads an `-i` argument the way Ansible decides: text with a comma that is not an
    /// existing path is a host list (`web1,web2:2222,`); anything else is an INI inventory file.
    /// - Throws: `InventoryError` naming the file, line and column, or the host list item.
    public static func load(_ argument: String) throws -> Inventory {
        if argument.contains(","), !FileManager.default.fileExists(atPath: argument) {
            return try parseHostList(argument)
        }
        return try parseINI(InventoryFile.read(argument), path: argument)
    }

    /// Hosts separated by commas, each `name`, `name:port`, `[IPv6]:port` or a bare IPv6
    /// address; all go in `ungrouped`, and a port becomes the host's `ansible_port`.
    public static func parseHostList(_ list: String) throws -> Inventory {
        try HostListParser.parse(list)
    }

    /// INI inventory text; `path` is only used to name the source in errors.
    public static func parseINI(_ text: String, path: String) throws -> Inventory {
        try INIInventoryParser.parse(text, path: path)
    }
}
