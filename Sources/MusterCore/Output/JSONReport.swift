import Foundation

/// The machine-readable form of a run (`--format json`): one document on stdout.
public struct JSONReport: Encodable {
    struct Host: Encodable {
        let host: String
        let status: HostResult.Status
        let changed: Bool
        let exit_status: Int32?
        let signal: String?
        let stdout: String
        let stderr: String
        let message: String?
        let duration_s: Double
    }

    let schema = "muster.adhoc/1"
    let command: String
    let hosts: [Host]
    let summary: RunSummary
    let elapsed_s: Double

    public init(command: String, results: [HostResult], elapsed: Duration) {
        self.command = command
        self.hosts = results.map {
            Host(
                host: $0.host, status: $0.status, changed: $0.outcome.changed, exit_status: $0.outcome.exitStatus,
                signal: $0.outcome.exitSignal, stdout: $0.outcome.stdout, stderr: $0.outcome.stderr,
                message: $0.outcome.message, duration_s: ($0.duration.seconds * 1000).rounded() / 1000)
        }
        self.summary = RunSummary(results)
        self.elapsed_s = (elapsed.seconds * 1000).rounded() / 1000
    }

    public func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
