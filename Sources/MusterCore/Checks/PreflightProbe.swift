import Foundation
import MusterSSH

/// One host's preflight in one SSH round trip: `command` is a single `/bin/sh -c`
/// script gathering what the host's checks need; `parse` turns its output into facts.
///
/// Build one per host (checks are rendered per host), exec `command`, note the wall
/// clock just before and after the exec, and hand both to `parse`: the clock offset is
/// compensated for the round trip.
public struct PreflightProbe: Sendable {
    let plan: ProbePlan
    /// The script itself, for tests and `--verbose`.
    public let script: String
    /// What to pass to `SSHSession.exec`. Runs through the login shell, which must
    /// take `'...'` quoting across lines (sh, bash, dash, zsh, ksh; not csh or fish).
    public let command: String

    /// `references` are the hosts targets are compared with; a target's probe connects
    /// to their `address` for `port_reachable` `ports`.
    public init(checks: [CheckSpec], role: HostRole, references: [PreflightHost]) {
        plan = ProbePlan(checks: checks, role: role, references: references)
        script = PreflightScript.render(plan)
        command = "/bin/sh -c " + ShellQuote.quote(script)
    }

    /// The probe for `muster facts`: everything about a host in one round trip.
    public init(factsAt diskPaths: [String], versionFile: String, services: [String]) {
        plan = ProbePlan(factsAt: diskPaths, versionFile: versionFile, services: services)
        script = PreflightScript.render(plan)
        command = "/bin/sh -c " + ShellQuote.quote(script)
    }

    public func parse(_ result: CommandResult, sentAt: Date, receivedAt: Date) -> HostFacts {
        let values = Self.decode(result.stdout)
        var facts = HostFacts()
        facts.hostname = values["host.name"]
        facts.kernel = values["host.kernel"]
        for (index, service) in plan.services.enumerated() {
            if let status = values["svc.\(index)"].flatMap({ Int($0) }) { facts.services[service] = status }
        }
        facts.roundTrip = receivedAt.timeIntervalSince(sentAt)
        if values["end"] == nil {
            let status = result.ending
            let stderr = result.stderrText.split(whereSeparator: \.isNewline).last.map { ": \($0)" } ?? ""
            facts.probeProblem = "the probe script did not finish (\(status))\(stderr)"
        }
        if let id = values["os.id"] {
            facts.os = .init(id: id, versionID: values["os.version"] ?? "", prettyName: values["os.pretty"] ?? "")
        }
        facts.memoryKB = values["mem.kb"].flatMap { Int($0) }
        facts.cpuCount = values["cpus"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        facts.clockOffset = Self.clockOffset(start: values["clock.start"], end: values["clock.end"], sentAt: sentAt, receivedAt: receivedAt)
        for (index, path) in plan.diskPaths.enumerated() {
            if let kb = values["df.\(index)"].flatMap(Self.availableKilobytes) {
                facts.disk[path] = .free(kilobytes: kb, checkedPath: values["df.\(index).path"] ?? path)
            } else if let error = values["df.\(index).err"] ?? values["df.\(index)"] {
                facts.disk[path] = .unknown(Self.reason(error, otherwise: "df printed nothing usable"))
            }
        }
        for (index, test) in plan.writeTests.enumerated() {
            if values["w.\(index)"] != nil {
                facts.writable[test.key] = .writable
            } else if let error = values["w.\(index).err"] {
                facts.writable[test.key] = .notWritable(Self.reason(error, otherwise: "cannot create a file"))
            }
        }
        if values["dmi.none"] != nil || values["dmi.vendor"] != nil { facts.dmiChecked = true }
        if let vendor = values["dmi.vendor"] { facts.dmi = .init(vendor: vendor, product: values["dmi.product"] ?? "") }
        if let output = values["ip.addr"] {
            facts.interfaces = Self.interfaces(fromIPOutput: output)
        } else if let output = values["ip.hostname"] {
            facts.addressesWithoutPrefix = output.split(whereSeparator: \.isWhitespace).map(String.init)
        }
        if let connection = values["ssh.conn"] {
            let fields = connection.split(separator: " ")
            if fields.count >= 3 { facts.sshAddress = String(fields[2]) }
        }
        for (index, path) in plan.versionFiles.enumerated() {
            if values["ver.\(index).missing"] != nil {
                facts.versionFiles[path] = .missing
            } else if let error = values["ver.\(index).err"] {
                facts.versionFiles[path] = .unusable(Self.reason(error, otherwise: "unreadable"))
            } else if let lines = values["ver.\(index)"] {
                facts.versionFiles[path] = Self.version(fromProperties: lines).map { .version($0) } ?? .unusable("no version= line")
            }
        }
        for (index, path) in plan.tokenFiles.enumerated() {
            if values["tok.\(index).missing"] != nil {
                facts.tokenDigests[path] = .missing
            } else if values["tok.\(index).empty"] != nil {
                facts.tokenDigests[path] = .empty
            } else if let error = values["tok.\(index).err"] {
                facts.tokenDigests[path] = .unusable(Self.reason(error, otherwise: "cannot hash it"))
            } else if let output = values["tok.\(index)"] {
                let digest = String(output.prefix(64)).lowercased()
                let isHex = digest.count == 64 && digest.allSatisfy(\.isHexDigit)
                facts.tokenDigests[path] = isHex ? .sha256(digest) : .unusable("no sha256 from sha256sum or openssl")
            }
        }
        for (index, target) in plan.connections.enumerated() {
            guard let value = values["tcp.\(index)"] else { continue }
            facts.connections[target.label] = Self.connection(fromStatusLine: value)
        }
        return facts
    }

    // MARK: Pieces of parsing, static so tests can feed them directly

    /// `muster:KEY:LENGTH:VALUE` records into key → text, read in sequence so that values
    /// may hold newlines; anything else (a login banner) is skipped line by line.
    static func decode(_ output: [UInt8]) -> [String: String] {
        var values: [String: String] = [:]
        let marker = Array("muster:".utf8)
        let colon = UInt8(ascii: ":")
        let newline = UInt8(ascii: "\n")
        var index = 0
        func skipLine() {
            while index < output.count, output[index] != newline { index += 1 }
            index += 1
        }
        while index < output.count {
            guard output[index...].starts(with: marker) else {
                skipLine()
                continue
            }
            var cursor = index + marker.count
            guard let keyEnd = output[cursor...].firstIndex(of: colon) else { break }
            let key = String(decoding: output[cursor..<keyEnd], as: UTF8.self)
            cursor = keyEnd + 1
            guard let lengthEnd = output[cursor...].firstIndex(of: colon),
                let length = Int(String(decoding: output[cursor..<lengthEnd], as: UTF8.self)),
                lengthEnd + 1 + length < output.count, output[lengthEnd + 1 + length] == newline
            else {
                skipLine()
                continue
            }
            values[key] = String(decoding: output[(lengthEnd + 1)..<(lengthEnd + 1 + length)], as: UTF8.self)
            index = lengthEnd + 2 + length
        }
        return values
    }

    /// Host minus controller: the host read its clock at `start` and again at `end`;
    /// of the round trip, the part not spent running the script is split evenly
    /// between the way there and back. `%N` unsupported (`1700000000.N`) → whole seconds.
    /// The "Available" column of `df -Pk` output (its last line), or a bare number.
    static func availableKilobytes(_ output: String) -> Int? {
        if let number = Int(output.trimmingCharacters(in: .whitespaces)) { return number }
        guard let line = output.split(whereSeparator: \.isNewline).last else { return nil }
        let fields = line.split(whereSeparator: \.isWhitespace)
        return fields.count >= 4 ? Int(fields[3]) : nil
    }

    static func clockOffset(start: String?, end: String?, sentAt: Date, receivedAt: Date) -> Double? {
        guard let start = start.flatMap(epochSeconds) else { return nil }
        let roundTrip = max(0, receivedAt.timeIntervalSince(sentAt))
        let running = min(roundTrip, max(0, (end.flatMap(epochSeconds) ?? start) - start))
        let controllerAtStart = sentAt.timeIntervalSince1970 + (roundTrip - running) / 2
        return start - controllerAtStart
    }

    static func epochSeconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let value = Double(trimmed) { return value }
        return trimmed.split(separator: ".").first.flatMap { Double($0) }
    }

    /// `inet A/P` out of `ip -o -4 addr show` lines.
    static func interfaces(fromIPOutput output: String) -> [IPv4Interface] {
        output.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard let inet = fields.firstIndex(of: "inet"), inet + 1 < fields.count else { return nil }
            return IPv4Interface(fields[inet + 1])
        }
    }

    /// The value of the first `version=` (or `version:`) line of a properties file.
    static func version(fromProperties lines: String) -> String? {
        for line in lines.split(whereSeparator: \.isNewline) {
            let trimmed = line.drop(while: \.isWhitespace)
            guard trimmed.hasPrefix("version"), let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            guard trimmed[..<separator].trimmingCharacters(in: .whitespaces) == "version" else { continue }
            let value = trimmed[trimmed.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            if !value.isEmpty { return value }
        }
        return nil
    }

    /// `STATUS OUTPUT` from a connection test.
    static func connection(fromStatusLine value: String) -> HostFacts.Connection {
        let status = value.prefix { $0 != " " }
        let output = value.drop { $0 != " " }.dropFirst()
        switch Int(status) {
        case 0: return .connected
        case 124: return .failed("timed out after 3 s")
        default: return .failed(reason(String(output), otherwise: "connection failed (exit status \(status))"))
        }
    }

    /// The system's words from an error line: `sh: 1: cannot create /root/x: Read-only
    /// file system` → `Read-only file system`; the last line counts.
    static func reason(_ output: String, otherwise fallback: String) -> String {
        guard let line = output.split(whereSeparator: \.isNewline).last.map(String.init), !line.isEmpty else { return fallback }
        guard let range = line.range(of: ": ", options: .backwards) else { return line }
        let tail = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
        return tail.isEmpty ? line : tail
    }
}
