import Foundation

/// The path operations the inventory directory rules are written in, with Python's meanings where
/// Ansible's rules depend on them.
enum InventoryPath {
    enum Kind {
        case file, directory
    }

    /// nil when nothing is there; links are followed, as `os.path.isdir` does.
    static func kind(of path: String) -> Kind? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        return isDirectory.boolValue ? .directory : .file
    }

    /// `os.path.splitext`'s extension: from the last `.` of the name, ignoring leading dots
    /// (`.bashrc` and `hosts` have none, `web.yml` has `.yml`).
    static func pythonExtension(of name: String) -> String {
        let body = name.drop { $0 == "." }
        guard let dot = body.lastIndex(of: ".") else { return "" }
        return String(body[dot...])
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory == "." ? name : directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The directory a file is in, `.` for a bare name.
    static func directory(of path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }

    /// A directory's entries in Python's sorted order; nil when it cannot be listed.
    static func sortedEntries(of directory: String) -> [String]? {
        try? FileManager.default.contentsOfDirectory(atPath: directory).sorted(by: PythonOrder.precedes)
    }
}
