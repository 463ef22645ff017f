import Foundation

/// Reads an inventory or vars file's text, turning each way that can fail into an `InventoryError`.
enum InventoryFile {
    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            // Asked only on failure: this runs once per vars file, thousands of times in large fleets.
            let denied = !FileManager.default.isReadableFile(atPath: path)
            throw InventoryError(source: path, message: denied ? "cannot be read: permission denied" : "cannot be read")
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
