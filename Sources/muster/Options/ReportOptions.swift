import ArgumentParser
import Foundation
import MusterCore

/// `--report FILE [--report-format F]` on run, check, exec and push. Checked while the
/// command line is parsed, so a typo costs nothing: no host has been contacted yet.
struct ReportOptions: ParsableArguments {
    @Option(
        name: .customLong("report"),
        help: ArgumentHelp("Also write a report of the run to this file (.json, .xml for JUnit, .csv, .html).", valueName: "file"))
    var report: String?

    @Option(
        name: .customLong("report-format"),
        help: ArgumentHelp("The report's format when the file name does not say: json, junit, csv or html.", valueName: "format"))
    var reportFormat: String?

    func validate() throws {
        guard let report else {
            if reportFormat != nil { throw ValidationError("--report-format needs --report FILE") }
            return
        }
        if let reportFormat, ReportFormat(rawValue: reportFormat.lowercased()) == nil {
            throw ValidationError("--report-format must be json, junit, csv or html, not '\(reportFormat)'")
        }
        guard ReportFormat.resolve(path: report, explicit: reportFormat) != nil else {
            throw ValidationError(
                "--report \(report): name the format with --report-format json|junit|csv|html or use a .json, .xml, .csv or .html file")
        }
        // The run may take an hour; find out now, not after it, that the report cannot be written.
        let directory = (report as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        let parent = directory.isEmpty ? "." : directory
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue, access(parent, W_OK) == 0
        else {
            throw ValidationError("--report \(report): \(parent) is not a writable directory")
        }
    }

    /// Writes the report if one was asked for. A failure is printed, not fatal: the run
    /// happened, and its exit status must still say how it went.
    func write(_ result: RunResult, command: String, started: Date) {
        guard let report, let format = ReportFormat.resolve(path: report, explicit: reportFormat) else { return }
        do {
            try ReportWriter.write(result, command: command, started: started, to: report, format: format)
        } catch {
            Console.err("muster: \(error)\n")
        }
    }
}
