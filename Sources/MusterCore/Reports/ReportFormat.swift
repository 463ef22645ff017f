import Foundation

/// The file formats `--report` writes.
public enum ReportFormat: String, Sendable, CaseIterable {
    case json, junit, csv, html

    /// The format a report file's name asks for (`.json`, `.xml`, `.csv`, `.html`/`.htm`),
    /// so `--report out.xml` needs no `--report-format`.
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "json": self = .json
        case "xml": self = .junit
        case "csv": self = .csv
        case "html", "htm": self = .html
        default: return nil
        }
    }

    /// The format for `path`: the explicit name if given (nil if unknown), else the extension.
    public static func resolve(path: String, explicit: String?) -> ReportFormat? {
        if let explicit { return ReportFormat(rawValue: explicit.lowercased()) }
        return ReportFormat(fileExtension: (path as NSString).pathExtension)
    }
}

/// A finished run plus what `RunResult` does not carry itself: which command ran and when.
/// Every format is rendered from this one value.
public struct RunReport: Sendable {
    public var result: RunResult
    /// `run`, `check`, `exec` or `push`.
    public var command: String
    public var started: Date

    /// Without a start time, the earliest task's start stands in (or now minus the duration).
    public init(result: RunResult, command: String, started: Date? = nil) {
        self.result = result
        self.command = command
        let earliest = (result.hosts + result.references).flatMap(\.tasks).map(\.started).min()
        self.started = started ?? earliest ?? Date(timeIntervalSinceNow: -result.duration.seconds)
    }

    /// Seconds from the run's start, for timelines.
    func offset(_ date: Date) -> Double { max(0, date.timeIntervalSince(started)) }

    public func rendered(as format: ReportFormat) throws -> String {
        switch format {
        case .json: return try JSONRunReport(self).encoded()
        case .junit: return JUnitReport(self).rendered()
        case .csv: return CSVReport(self).rendered()
        case .html: return HTMLReport(self).rendered()
        }
    }
}

/// Writes a report file whole or not at all: a reader (a CI job, a browser) never sees
/// half a file, and a failed write leaves an earlier report in place.
public enum ReportWriter {
    public static func write(_ result: RunResult, command: String, started: Date? = nil, to path: String, format: ReportFormat) throws {
        try write(RunReport(result: result, command: command, started: started), to: path, format: format)
    }

    public static func write(_ report: RunReport, to path: String, format: ReportFormat) throws {
        let data = Data(try report.rendered(as: format).utf8)
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try data.write(to: temporary, options: .withoutOverwriting)
            // Reports are for sharing (CI artifacts, web servers): 0644 whatever the umask.
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: temporary.path)
            guard rename(temporary.path, url.path) == 0 else {
                throw ReportError("\(path): cannot write the report: \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary.path)
            if let error = error as? ReportError { throw error }
            throw ReportError("\(path): cannot write the report: \(error.localizedDescription)")
        }
    }
}

public struct ReportError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
