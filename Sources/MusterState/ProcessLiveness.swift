import Foundation

/// Whether the process that recorded a run is still at it. A run row without an end
/// whose process is gone was killed (SIGKILL, power loss): it is shown as interrupted.
/// The pid alone could have been reused by now, so on Linux the process's start time
/// (from /proc) is recorded beside it and must match too.
enum ProcessLiveness {
    static let killedReason = "muster ended without finishing the run (killed or crashed)"

    static func isAlive(pid: Int32, started: Int64?) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let started, let now = startTime(of: pid) else { return true }
        return now == started
    }

    /// Field 22 of /proc/PID/stat (clock ticks after boot); nil where there is no /proc.
    static func startTime(of pid: Int32) -> Int64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm)" come fields 3, 4, …; the command name may itself hold spaces or ')'.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? Int64(fields[19]) : nil
    }
}
