import Foundation

/// The file behind `@file` in a host pattern, as Ansible reads it for `--limit @file`: each line,
/// trimmed, is one pattern (a host, a group, `!name`, ...); blank lines are skipped.
enum LimitFile {
    static func patterns(in path: String, pattern: String) throws -> [String] {
        switch InventoryPath.kind(of: path) {
        case nil:
            throw HostPatternError(pattern: pattern, message: "no limit file '\(path)'")
        case .directory:
            throw HostPatternError(pattern: pattern, message: "'\(path)' is a directory; '@' must name a file")
        case .file:
            let text: String
            do {
                text = try InventoryFile.read(path)
            } catch {
                throw HostPatternError(pattern: pattern, message: "limit file \(error)")
            }
            return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
    }
}
