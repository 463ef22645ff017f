import Foundation

/// Reads an inventory file's text, turning each way that can fail into an `InventoryError`.
enum InventoryFile {
    static func read(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            // Ansible users pass one host as `-i web1,`; without the comma it reads as a file name.
            let hint = path.contains("/") ? "" : " (for a single host, write '\(path),')"
            throw InventoryError(source: path, message: "no such file" + hint)
        }
        guard !isDirectory.boolValue else {
            throw InventoryError(source: path, message: "is a directory; inventory directories are not supported")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw InventoryError(source: path, message: "cannot be read: permission denied")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InventoryError(source: path, message: "cannot be read")
        }
        return try decodeUTF8(data, path: path)
    }

    private static func decodeUTF8(_ data: Data, path: String) throws -> String {
        guard let text = String(validating: data, as: UTF8.self) else {
            let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            let badLine = lines.firstIndex { String(validating: $0, as: UTF8.self) == nil } ?? 0
            throw InventoryError(source: path, line: badLine + 1, message: "not valid UTF-8 text")
        }
        return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }
}
