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
    /// With `round`, through the relay of the host's datacenter where it can (the same
    /// mechanism as a playbook's `distribute` copy).
    public static func push(
        _ file: LocalFile, to destination: String, mode: Int, owner: String?,
        timeout: Duration?, round: DistributionRound? = nil
    ) -> FleetRunner.Job {
        { session in
            let request = CopyRequest(
                host: session.endpoint.name, session: session, file: file, destination: destination, mode: mode, owner: owner,
                timeout: timeout)
            let delivery: CopyDelivery
            do {
                if let round { delivery = try await round.copy(request) } else { delivery = try await request.direct(because: nil) }
            } catch let failure as CopyFailure {
                return .failed(message: failure.description)
            }
            var message =
                switch delivery.outcome {
                case .unchanged: "unchanged (sha256 \(file.sha256.prefix(12))…)"
                case .attributesChanged: "content unchanged; mode/owner set"
                case .uploaded(let bytes): "uploaded \(ByteCount.format(bytes)), sha256 \(file.sha256.prefix(12))… verified"
                }
            if round != nil, delivery.path != CopyPath.unchanged { message += " [\(delivery.path)]" }
            var outcome = HostResult.Outcome(status: .ok, changed: delivery.outcome.changed, message: message)
            outcome.copyPath = delivery.path
            return outcome
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
