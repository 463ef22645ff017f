import Foundation
import MusterSSH

/// One host of a run: its inventory name and how to reach it.
public struct FleetTarget: Sendable {
    public var endpoint: SSHEndpoint
    public var credentials: SSHCredentials
    /// Per host, since ssh config and inventory variables may differ between hosts.
    public var options: SSHClientOptions
    /// ProxyJump hops, in order: the first reached directly, each next through the one before.
    public var jumpHosts: [FleetTarget]
    public var name: String { endpoint.name }

    public init(endpoint: SSHEndpoint, credentials: SSHCredentials, options: SSHClientOptions, jumpHosts: [FleetTarget] = []) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.options = options
        self.jumpHosts = jumpHosts
    }
}

/// Something that happened on the way, for live progress displays.
public enum FleetEvent: Sendable {
    case started(host: String)
    case finished(HostResult)
}

/// Runs one job per host over SSH, at most `forks` hosts in flight, one session per
/// host reused for every step of its job.
///
/// The work of each host happens on an `IOLoop` (inside `SSHSession`); the tasks here
/// only start sessions and collect results, so 1,000 hosts in flight cost 1,000 small
/// tasks, not 1,000 threads.
public struct FleetRunner: Sendable {
    public var forks: Int
    public let loops: IOLoopGroup

    public init(forks: Int, loops: IOLoopGroup = IOLoopGroup()) {
        self.forks = max(1, forks)
        self.loops = loops
    }

    /// A host's job: given its open session, do the work and say how it went.
    public typealias Job = @Sendable (SSHSession) async throws -> HostResult.Outcome

    /// Runs `job` on every target and returns the results in target order.
    public func run(
        _ targets: [FleetTarget], onEvent: @escaping @Sendable (FleetEvent) -> Void = { _ in },
        job: @escaping Job
    ) async -> [HostResult] {
        let connector = FleetConnector(loops: loops)
        let results = await withTaskGroup(of: (Int, HostResult).self) { group in
            var results = [HostResult?](repeating: nil, count: targets.count)
            var next = 0
            func startNext() {
                guard next < targets.count else { return }
                let index = next
                next += 1
                group.addTask { (index, await runOne(targets[index], connector: connector, onEvent: onEvent, job: job)) }
            }
            for _ in 0..<min(forks, targets.count) { startNext() }
            for await (index, result) in group {
                results[index] = result
                onEvent(.finished(result))
                startNext()
            }
            return results.map { $0! }
        }
        await connector.closeAll()
        return results
    }

    private func runOne(
        _ target: FleetTarget, connector: FleetConnector, onEvent: @Sendable (FleetEvent) -> Void, job: Job) async -> HostResult {
        onEvent(.started(host: target.name))
        let clock = ContinuousClock()
        let start = clock.now
        func finish(_ outcome: HostResult.Outcome) -> HostResult {
            HostResult(host: target.name, outcome: outcome, duration: start.duration(to: clock.now))
        }
        let session: SSHSession
        do {
            session = try await connector.connect(target)
        } catch {
            return finish(.unreachable(message: Self.message(error)))
        }
        let outcome: HostResult.Outcome
        do {
            outcome = try await job(session)
        } catch let error as SSHError where error.kind == .disconnected || error.kind == .connect {
            outcome = .unreachable(message: error.message)
        } catch {
            outcome = .failed(message: Self.message(error))
        }
        await session.close()
        return finish(outcome)
    }

    static func message(_ error: Error) -> String {
        String(describing: error)
    }
}
