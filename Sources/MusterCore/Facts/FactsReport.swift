import Foundation

/// `muster report`: the latest facts per host, grouped by inventory variables or fact
/// fields (datacenter × ums_version, say), with a count per group.
public struct FactsReport: Sendable {
    public struct Group: Sendable {
        /// One value per grouping key, in the order the keys were given.
        public var key: [String]
        public var hosts: [FleetFacts]
    }

    public var keys: [String]
    public var groups: [Group]
    /// Selected hosts with no facts gathered yet (`muster report` on stored facts).
    public var noFacts: [String]

    /// `variable(host, name)` gives a host's inventory variable; fact fields come first.
    public init(_ facts: [FleetFacts], groupBy keys: [String], noFacts: [String] = [], variable: (String, String) -> String?) {
        self.keys = keys
        self.noFacts = noFacts
        var groups: [[String]: [FleetFacts]] = [:]
        var order: [[String]] = []
        for record in facts {
            let key = keys.map { record.field($0) ?? variable(record.host, $0) ?? "-" }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(record)
        }
        self.groups = order.sorted { $0.lexicographicallyPrecedes($1) }.map { Group(key: $0, hosts: groups[$0]!) }
    }

    public func table() -> String {
        var lines: [String] = []
        for group in groups {
            let title = zip(keys, group.key).map { "\($0)=\($1)" }.joined(separator: "  ")
            lines.append("\(title.isEmpty ? "all hosts" : title): \(group.hosts.count) host\(group.hosts.count == 1 ? "" : "s")")
            for record in group.hosts { lines.append("  " + Self.summary(record)) }
        }
        if !noFacts.isEmpty {
            lines.append("no facts yet: \(noFacts.count) host\(noFacts.count == 1 ? "" : "s")")
            for host in noFacts { lines.append("  \(host)  no facts yet") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One row per host with its group's key columns first.
    public func csv() -> String {
        let header =
            keys + ["host", "gathered", "reachable", "os", "kernel", "ums_version", "services", "clock_offset_s", "memory_mb", "cpus"]
        var rows = [header]
        for group in groups {
            for record in group.hosts {
                rows.append(
                    group.key + [
                        record.host, ISO8601DateFormatter().string(from: record.gatheredAt), record.unreachable == nil ? "yes" : "no",
                        record.os ?? "", record.kernel ?? "", record.umsVersion ?? "", Self.services(record),
                        record.clockOffset.map { String(format: "%.3f", $0) } ?? "", record.memoryMB.map(String.init) ?? "",
                        record.cpus.map(String.init) ?? "",
                    ])
            }
        }
        for host in noFacts {
            rows.append(keys.map { _ in "" } + [host, "", "no facts yet"] + Array(repeating: "", count: header.count - keys.count - 3))
        }
        return rows.map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    public func json() throws -> String {
        struct Document: Encodable {
            let schema = "muster.facts-report/1"
            let keys: [String]
            let groups: [GroupDocument]
            let no_facts: [String]
        }
        struct GroupDocument: Encodable {
            let key: [String: String]
            let count: Int
            let hosts: [FleetFacts]
        }
        let document = Document(
            keys: keys,
            groups: groups.map { group in
                GroupDocument(key: Dictionary(uniqueKeysWithValues: zip(keys, group.key)), count: group.hosts.count, hosts: group.hosts)
            }, no_facts: noFacts)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }

    /// A self-contained page: one table per group.
    public func html() -> String {
        var body = "<h1>Fleet report</h1>\n"
        for group in groups {
            let title = zip(keys, group.key).map { "\($0)=\($1)" }.joined(separator: ", ")
            body += "<h2>\(HTMLText.escape(title.isEmpty ? "all hosts" : title)) (\(group.hosts.count))</h2>\n<table>\n"
            body +=
                "<tr><th>host</th><th>os</th><th>kernel</th><th>UMS</th><th>services</th><th>clock offset</th><th>memory</th><th>cpus</th></tr>\n"
            for record in group.hosts {
                let state: String = record.unreachable.map { "unreachable: \($0)" } ?? record.os ?? ""
                let offset: String = record.clockOffset.map { String(format: "%+.3f s", $0) } ?? ""
                let memory: String = record.memoryMB.map { "\($0) MB" } ?? ""
                let cpus: String = record.cpus.map(String.init) ?? ""
                let cells: [String] = [
                    record.host, state, record.kernel ?? "", record.umsVersion ?? "", Self.services(record), offset, memory, cpus,
                ]
                body += "<tr>" + cells.map { "<td>\(HTMLText.escape($0))</td>" }.joined() + "</tr>\n"
            }
            body += "</table>\n"
        }
        if !noFacts.isEmpty {
            body += "<h2>No facts yet (\(noFacts.count))</h2>\n<ul>\n"
            body += noFacts.map { "<li>\(HTMLText.escape($0))</li>\n" }.joined()
            body += "</ul>\n"
        }
        return """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>Muster fleet report</title>
            <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}</style>
            </head><body>
            \(body)</body></html>

            """
    }

    static func summary(_ record: FleetFacts) -> String {
        if let unreachable = record.unreachable { return "\(record.host)  unreachable: \(unreachable)" }
        let offset = record.clockOffset.map { String(format: "%+.1fs", $0) } ?? "?"
        return "\(record.host)  \(record.os ?? "?")  kernel \(record.kernel ?? "?")  UMS \(record.umsVersion ?? "none")  "
            + "\(services(record))  clock \(offset)  \(record.memoryMB.map { "\($0) MB" } ?? "?")  \(record.cpus.map { "\($0) cpu" } ?? "?")"
    }

    static func services(_ record: FleetFacts) -> String {
        let present = record.services.filter { $0.value != "absent" }
        if present.isEmpty { return "no UMS services" }
        return present.keys.sorted().map { "\($0) \(present[$0]!)" }.joined(separator: ", ")
    }

    static func csvField(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

enum HTMLText {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
