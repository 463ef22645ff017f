import ArgumentParser
import Foundation
import MusterCore
import MusterState

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List recorded runs, newest first.",
        discussion: """
            A run whose muster process is gone without finishing (killed, crashed) shows as interrupted.

            Example: muster runs --limit 5
            """
    )

    @Option(
        name: .customLong("state"),
        help: ArgumentHelp("The run history database (default: $XDG_STATE_HOME/muster/muster.db).", valueName: "path"))
    var state: String?

    @Option(help: ArgumentHelp("How many runs to list.", valueName: "n"))
    var limit = 20

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let path = state ?? StateStore.defaultPath()
        guard FileManager.default.fileExists(atPath: path) else {
            Console.out("no runs recorded: \(path) does not exist\n")
            return
        }
        let store = try StateStore(path: path)
        let runs = try store.runs(limit: limit)
        guard !runs.isEmpty else {
            Console.out("no runs recorded in \(store.path)\n")
            return
        }
        let colors = TerminalColors.forOutput(STDOUT_FILENO)
        var rows = [["ID", "WHEN", "COMMAND", "PLAYBOOK", "HOSTS", "OK", "FAILED", "UNREACHABLE", "STATUS"]]
        for run in runs {
            rows.append([
                String(run.id), RunTime.text(run.started), run.command, run.playbook.isEmpty ? "-" : RunTime.displayPath(run.playbook),
                String(run.hosts),
                String(run.hosts(.ok)), String(run.hosts(.failed)), String(run.hosts(.unreachable)), run.status.rawValue,
            ])
        }
        let numeric: Set<Int> = [0, 4, 5, 6, 7]
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
        for (index, row) in rows.enumerated() {
            var cells = row.indices.map { column -> String in
                let cell = row[column]
                let pad = column == row.count - 1 ? "" : String(repeating: " ", count: widths[column] - cell.count)
                return numeric.contains(column) ? pad + cell : cell + pad
            }
            if index > 0 { cells[cells.count - 1] = RunTime.paint(runs[index - 1].status, cells[cells.count - 1], colors: colors) }
            Console.out(cells.joined(separator: "  ") + "\n")
        }
    }
}

/// How the history commands show times, paths and statuses.
enum RunTime {
    static func text(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: date)
    }

    /// Relative to the current directory when the playbook lies under it.
    static func displayPath(_ path: String) -> String {
        let here = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(here) ? String(path.dropFirst(here.count)) : path
    }

    static func paint(_ status: RunStatus, _ text: String, colors: TerminalColors) -> String {
        switch status {
        case .ok: return colors.paint(text, .green)
        case .failed, .blocked: return colors.paint(text, .red)
        case .interrupted, .running: return colors.paint(text, .yellow)
        }
    }
}
