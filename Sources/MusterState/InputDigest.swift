import Foundation
import MusterSSH

/// Content hashes of a run's inputs, so the history can tell whether a later run used
/// the same playbook and inventory (a resume against changed inputs deserves a warning).
public enum InputDigest {
    /// SHA-256 of a file's bytes, hex; "" when it cannot be read.
    public static func file(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return Digest.hex(Digest.sha256(data))
    }

    /// SHA-256 over the inventory sources in order: a file with the group_vars/ and
    /// host_vars/ beside it, a directory with every file under it (by relative path), a
    /// host list as written. Names go in with contents, so a renamed vars file counts.
    public static func inventory(_ sources: [String]) -> String {
        var bytes: [UInt8] = []
        func add(_ name: String, _ contents: Data?) {
            bytes += Array("\(name)\u{0}\(contents?.count ?? -1)\u{0}".utf8)
            if let contents { bytes += contents }
        }
        func addTree(_ directory: String) {
            guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return }
            let files = (enumerator.allObjects as? [String] ?? []).sorted()
            for file in files {
                let path = directory + "/" + file
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    add(path, FileManager.default.contents(atPath: path))
                }
            }
        }
        for source in sources {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) {
                if isDirectory.boolValue {
                    addTree(source)
                } else {
                    add(source, FileManager.default.contents(atPath: source))
                    let beside = (source as NSString).deletingLastPathComponent
                    for vars in ["group_vars", "host_vars"] { addTree((beside.isEmpty ? "." : beside) + "/" + vars) }
                }
            } else {
                add("hosts", Data(source.utf8))
            }
        }
        return Digest.hex(Digest.sha256(bytes))
    }
}
