import Foundation

/// What `muster facts` knows about one host at one moment: the record `muster report`
/// groups and `--drift` compares.
public struct FleetFacts: Codable, Sendable, Hashable {
    public var host: String
    public var gatheredAt: Date
    /// Nil when the host answered; otherwise why it did not.
    public var unreachable: String?
    public var hostname: String?
    public var os: String?
    public var osID: String?
    public var osVersion: String?
    public var kernel: String?
    /// IPv4 addresses with prefix length (`192.0.2.10/24`).
    public var addresses: [String] = []
    /// Host clock minus controller clock, seconds, round-trip compensated.
    public var clockOffset: Double?
    public var memoryMB: Int?
    public var cpus: Int?
    /// Free megabytes at each path asked for (or its nearest existing parent).
    public var diskFreeMB: [String: Int] = [:]
    /// From umsversion.properties; nil when UMS is not installed.
    public var umsVersion: String?
    /// `running`, `stopped` or `absent` per UMS init script.
    public var services: [String: String] = [:]

    public init(host: String, gatheredAt: Date) {
        self.host = host
        self.gatheredAt = gatheredAt
    }

    /// A named field as text, for grouping and tables (`os`, `ums_version`, `kernel`, …).
    public func field(_ name: String) -> String? {
        switch name {
        case "hostname": hostname
        case "os": os
        case "os_id": osID
        case "os_version": osVersion
        case "kernel": kernel
        case "ums_version": umsVersion ?? (unreachable == nil ? "none" : nil)
        case "cpus": cpus.map(String.init)
        case "memory_mb": memoryMB.map(String.init)
        case "reachable": unreachable == nil ? "yes" : "no"
        default: nil
        }
    }

    public static let fieldNames = ["hostname", "os", "os_id", "os_version", "kernel", "ums_version", "cpus", "memory_mb", "reachable"]
}

extension FleetFacts {
    /// The facts a probe found, in the record's terms.
    init(host: String, gatheredAt: Date, facts: HostFacts, versionFile: String) {
        self.init(host: host, gatheredAt: gatheredAt)
        hostname = facts.hostname
        os = facts.os?.prettyName
        osID = facts.os?.id
        osVersion = facts.os?.versionID
        kernel = facts.kernel
        addresses = facts.interfaces?.map(\.description) ?? facts.addressesWithoutPrefix
        clockOffset = facts.clockOffset.map { ($0 * 1000).rounded() / 1000 }
        memoryMB = facts.memoryKB.map { $0 / 1024 }
        cpus = facts.cpuCount
        for (path, space) in facts.disk {
            if case .free(let kilobytes, _) = space { diskFreeMB[path] = kilobytes / 1024 }
        }
        if case .version(let version)? = facts.versionFiles[versionFile] { umsVersion = version }
        for (service, status) in facts.services {
            services[service] = status == 0 ? "running" : status == 127 ? "absent" : "stopped"
        }
        if let problem = facts.probeProblem { unreachable = problem }
    }
}
