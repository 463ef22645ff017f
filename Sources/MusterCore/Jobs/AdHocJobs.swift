import Foundation
import MusterSSH

/// The jobs behind `muster exec` and `muster push`.
public enum AdHocJobs {
    /// Runs `command` through the login shell; the host is ok when it exits 0.
    public static func exec(_ command: String, timeout: Duration?) -> FleetRunner.Job {
        { session in
            let result = try await session.exec(command, timeout: timeout)
            var outcome = HostResult.Outcome(
                status: result.succeeded ? .ok : .failed, changed: false,
                exitStatus: result.exitStatus, exitSignal: result.exitSignal,
                stdout: result.stdoutText, stderr: result.stderrText)
            if let signal = result.exitSignal {
                outcome.message = "killed by signal \(signal)"
            } else if let status = result.exitStatus, status != 0 {
                outcome.message = "exit status \(status)"
            }
            return outcome
        }
    }

    /// Uploads `file` to `destination`, verified and atomic; unchanged files are not sent.
    public static func push(
        _ file: LocalFile, to destination: String, mode: Int, owner: String?,
        timeout: Duration?
    ) -> FleetRunner.Job {
        { session in
            let outcome = try await session.upload(file, to: destination, mode: mode, owner: owner, timeout: timeout)
            let message =
                switch outcome {
                case .unchanged: "unchanged (sha256 \(file.sha256.prefix(12))…)"
                case .attributesChanged: "content unchanged; mode/owner set"
                case .uploaded(let bytes): "uploaded \(ByteCount.format(bytes)), sha256 \(file.sha256.prefix(12))… verified"
                }
            return HostResult.Outcome(status: .ok, changed: outcome.changed, message: message)
        }
    }
}

/// Human-readable byte counts (binary units, as `ls -h` prints them).
public enum ByteCount {
    public static func format(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
