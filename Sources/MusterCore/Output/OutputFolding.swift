/// Hosts whose results share one key, such as identical stdout, stderr and exit status.
public struct FoldedGroup<Key: Hashable> {
    public let key: Key
    /// In the order the hosts were given.
    public let hosts: [String]

    public init(key: Key, hosts: [String]) {
        self.key = key
        self.hosts = hosts
    }
}

extension FoldedGroup: Sendable where Key: Sendable {}
extension FoldedGroup: Equatable {}
extension FoldedGroup: Hashable {}

/// Groups per-host results so identical output is printed once with its hosts, as ClusterShell's `clubak` does.
public enum OutputFolding {
    /// Groups come in order of their key's first appearance; hosts keep their input order.
    public static func fold<Key: Hashable>(_ items: [(host: String, key: Key)]) -> [FoldedGroup<Key>] {
        var keys: [Key] = []
        var hostsByKey: [Key: [String]] = [:]
        for item in items {
            if hostsByKey[item.key] == nil { keys.append(item.key) }
            hostsByKey[item.key, default: []].append(item.host)
        }
        return keys.map { FoldedGroup(key: $0, hosts: hostsByKey[$0]!) }
    }
}
