import Foundation
import MusterSSH
import Synchronization

/// Gathers `FleetFacts` from many hosts, one exec per host, `forks` hosts at a time.
public struct FactsGatherer: Sendable {
    public static let umsServices = ["igelUMSwatchdog", "igelUMSbroker", "igelRMserver"]
    public static let defaultVersionFile = "/opt/IGEL/RemoteManager/umsversion.properties"

    public var diskPaths: [String]
    public var versionFile: String
    public var forks: Int

    public init(diskPaths: [String] = ["/", "/opt", "/root"], versionFile: String = defaultVersionFile, forks: Int = 50) {
        self.diskPaths = diskPaths
        self.versionFile = versionFile
        self.forks = forks
    }

    /// Facts for every target, in target order; unreachable hosts get a record saying why.
    public func gather(_ targets: [FleetTarget], onEvent: @escaping @Sendable (FleetEvent) -> Void = { _ in }) async -> [FleetFacts] {
        let probe = PreflightProbe(factsAt: diskPaths, versionFile: versionFile, services: Self.umsServices)
        let versionFile = self.versionFile
        let gathered = Mutex<[String: FleetFacts]>([:])
        let results = await FleetRunner(forks: forks).run(targets, onEvent: onEvent) { session in
            let sent = Date()
            let result = try await session.exec(probe.command, timeout: .seconds(60))
            let facts = probe.parse(result, sentAt: sent, receivedAt: Date())
            let record = FleetFacts(host: session.endpoint.name, gatheredAt: sent, facts: facts, versionFile: versionFile)
            gathered.withLock { $0[record.host] = record }
            return record.unreachable == nil ? .init(status: .ok) : .failed(message: record.unreachable!)
        }
        let now = Date()
        return results.map { result in
            if let record = gathered.withLock({ $0[result.host] }) { return record }
            var record = FleetFacts(host: result.host, gatheredAt: now)
            record.unreachable = result.outcome.message ?? "unreachable"
            return record
        }
    }
}
