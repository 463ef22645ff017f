import Foundation

/// `muster report --drift`: what changed on each host between two gatherings.
public enum FactsDrift {
    public struct Change: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var what: String

        public var description: String { "\(host): \(what)" }
    }

    /// Limits for changes that matter even when nothing was "changed".
    public struct Limits: Sendable {
        public var clockSeconds: Double = 60
        public var diskFreeMB: Int = 1024

        public init() {}
    }

    /// Compares each host's facts with its previous gathering: versions, services, OS and
    /// kernel changes, clock drift over the limit, free disk falling under the limit, and
    /// hosts that answered before but are gone or unreachable now.
    public static func changes(from previous: [FleetFacts], to current: [FleetFacts], limits: Limits = Limits()) -> [Change] {
        let before = Dictionary(previous.map { ($0.host, $0) }, uniquingKeysWith: { $1 })
        let now = Dictionary(current.map { ($0.host, $0) }, uniquingKeysWith: { $1 })
        var changes: [Change] = []
        for old in previous.sorted(by: { $0.host < $1.host }) where now[old.host] == nil {
            changes.append(Change(host: old.host, what: "gone: no longer in the inventory's facts"))
        }
        for new in current.sorted(by: { $0.host < $1.host }) {
            guard let old = before[new.host] else {
                changes.append(Change(host: new.host, what: "new host"))
                continue
            }
            if let reason = new.unreachable {
                if old.unreachable == nil { changes.append(Change(host: new.host, what: "disappeared: \(reason)")) }
                continue
            }
            if old.unreachable != nil { changes.append(Change(host: new.host, what: "reachable again")) }
            func compare(_ name: String, _ from: String?, _ to: String?) {
                if from != to { changes.append(Change(host: new.host, what: "\(name) \(from ?? "none") -> \(to ?? "none")")) }
            }
            compare("UMS version", old.umsVersion, new.umsVersion)
            compare("OS", old.os, new.os)
            compare("kernel", old.kernel, new.kernel)
            for service in Set(old.services.keys).union(new.services.keys).sorted() {
                compare(service, old.services[service], new.services[service])
            }
            if let offset = new.clockOffset, abs(offset) > limits.clockSeconds {
                changes.append(Change(host: new.host, what: String(format: "clock %+.1f s off the controller (limit %g s)", offset, limits.clockSeconds)))
            }
            for (path, free) in new.diskFreeMB.sorted(by: { $0.key < $1.key }) where free < limits.diskFreeMB {
                if (old.diskFreeMB[path] ?? Int.max) >= limits.diskFreeMB {
                    changes.append(Change(host: new.host, what: "free disk at \(path) fell to \(free) MB (limit \(limits.diskFreeMB) MB)"))
                }
            }
        }
        return changes
    }
}
