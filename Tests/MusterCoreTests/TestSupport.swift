import Foundation
import MusterCore

/// Where fixture files live, found from this source file so no bundle resources are needed.
func fixturePath(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
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

    func host(_ name: String) -> InventoryHost? {
        hosts.first { $0.name == name }
    }

    /// The inventory in the shape `ansible-inventory --list` prints, to compare with recorded output:
    /// groups with hosts or children, and the variables of hosts that have any.
    var ansibleListing: InventoryValue {
        var document: [String: InventoryValue] = [:]
        for group in groups.values {
            var entry: [String: InventoryValue] = [:]
            if !group.hosts.isEmpty { entry["hosts"] = .list(group.hosts.map(InventoryValue.string)) }
            if !group.children.isEmpty { entry["children"] = .list(group.children.map(InventoryValue.string)) }
            if !entry.isEmpty { document[group.name] = .dict(entry) }
        }
        let hostvars = hosts.filter { !$0.vars.isEmpty }.map { ($0.name, InventoryValue.dict($0.vars)) }
        document["_meta"] = ["hostvars": .dict(Dictionary(uniqueKeysWithValues: hostvars))]
        return .dict(document)
    }
}

/// Recorded `ansible-inventory --list` output, without the `profile` field that only Ansible has.
func recordedAnsibleListing(_ fixture: String) throws -> InventoryValue {
    let data = try Data(contentsOf: URL(fileURLWithPath: fixturePath(fixture)))
    guard case .dict(var document) = try JSONDecoder().decode(InventoryValue.self, from: data),
        case .dict(var meta) = document["_meta"]
    else { throw CocoaError(.fileReadCorruptFile) }
    meta["profile"] = nil
    document["_meta"] = .dict(meta)
    return .dict(document)
}

func names(_ hosts: [InventoryHost]) -> [String] {
    hosts.map(\.name)
}
