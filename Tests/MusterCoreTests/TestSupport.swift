import Foundation
import MusterCore

/// Where fixture files live, found from this source file so no bundle resources are needed.
func fixturePath(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
}

/// A fresh directory per test, removed afterwards.
final class TemporaryDirectory {
    let path = NSTemporaryDirectory() + "muster-inventory-\(UUID().uuidString)"

    init() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `name` (which may hold `/`) under the directory and returns its full path.
    @discardableResult
    func write(_ name: String, _ contents: Data) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(to: URL(fileURLWithPath: file))
        return file
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    /// The directory's inventory as Muster loads it, with `-i` arguments relative to the directory.
    func load(_ sources: String..., playbookDir: String? = nil) throws -> Inventory {
        try InventorySource.load(
            sources.map { path + "/" + $0 }, extraVarsDirectories: playbookDir.map { [path + "/" + $0] } ?? [])
    }
}

func parseINI(_ text: String, path: String = "test.ini") throws -> Inventory {
    try InventorySource.parseINI(text, path: path)
}

/// The error an INI text is rejected with, as users read it.
func iniError(_ text: String, path: String = "test.ini") -> String? {
    do {
        _ = try parseINI(text, path: path)
        return nil
    } catch {
        return "\(error)"
    }
}

func parseYAML(_ text: String, path: String = "test.yml") throws -> Inventory {
    try InventorySource.parseYAML(text, path: path)
}

/// The error a YAML inventory is rejected with, as users read it.
func yamlError(_ text: String, path: String = "test.yml") -> String? {
    do {
        _ = try parseYAML(text, path: path)
        return nil
    } catch {
        return "\(error)"
    }
}

func hostListError(_ list: String) -> String? {
    do {
        _ = try InventorySource.parseHostList(list)
        return nil
    } catch {
        return "\(error)"
    }
}

extension Inventory {
    var hostNames: [String] { hosts.map(\.name) }
}

/// Recorded `ansible-inventory --list` output as data, without the `profile` field that only Ansible prints.
func recordedAnsibleListing(_ fixture: String) throws -> InventoryValue {
    try withoutProfile(JSONReader.parse(String(contentsOfFile: fixturePath(fixture), encoding: .utf8)))
}

/// `ansible-inventory --list` output as data, without `_meta.profile`, Ansible's serialization marker.
func withoutProfile(_ listing: InventoryValue) -> InventoryValue {
    guard case .dict(var document) = listing, case .dict(var meta) = document["_meta"] else { return listing }
    meta["profile"] = nil
    document["_meta"] = .dict(meta)
    return .dict(document)
}

func names(_ hosts: [InventoryHost]) -> [String] {
    hosts.map(\.name)
}
