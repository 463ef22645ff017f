import Foundation
import MusterSSH

/// Takes the play's hosts through preflight and then stage by stage, batch by batch,
/// and returns every host's result. Inputs are checked before this runs (`RunPlan`), so
/// everything here is about hosts, not about the playbook's text.
public struct PlaybookEngine: Sendable {
    public let plan: RunPlan
    public let connections: [String: FleetTarget]
    public let settings: RunSettings
    public let stop: StopSignal
    public let onEvent: @Sendable (RunEvent) -> Void
    let loops: IOLoopGroup
    let files = LocalFiles()

    public init(
        plan: RunPlan, connections: [String: FleetTarget], settings: RunSettings, stop: StopSignal = StopSignal(),
        loops: IOLoopGroup = IOLoopGroup(), onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) {
        self.plan = plan
        self.connections = connections
        self.settings = settings
        self.stop = stop
        self.loops = loops
        self.onEvent = onEvent
    }

    public func run() async -> RunResult {
        let clock = ContinuousClock()
        let start = clock.now
        let pool = SessionPool(targets: connections, loops: loops)
        var state = RunState(plan: plan)
        await preflight(&state, pool: pool)
        if stop.isRequested {
            state.stop = .interrupted  // findings cut short by Ctrl-C are no verdict
        } else if state.stop == nil, !settings.preflightOnly {
            if settings.checkMode {
                await planOnly(&state, pool: pool)
                if stop.isRequested { state.stop = .interrupted }
            } else {
                await rollout(&state, pool: pool)
            }
        }
        await takeBackRelayCredentials(&state)
        await pool.closeAll()
        return RunResult(
            playbook: plan.playbook.path, hosts: plan.targets.map { state.hosts[$0]! }, references: plan.references.map { state.references[$0]! },
            batches: state.batches, ignoredChecks: state.ignoredChecks, stop: state.stop, checkMode: settings.checkMode,
            duration: start.duration(to: clock.now))
    }

    /// The run's last word on relay credentials: what a distributed copy could not
    /// remove itself (a relay that died, Ctrl-C twice) is removed now over fresh
    /// connections, and what still cannot be is a failure of the host it is left on.
    private func takeBackRelayCredentials(_ state: inout RunState) async {
        let failures = await state.relays.sweep(targets: connections, loops: loops)
        for (host, message) in failures {
            guard state.hosts[host] != nil else { continue }
            state.hosts[host]!.tasks.append(
                TaskResult(task: "relay cleanup", stage: "cleanup", batch: 0, status: .failed, message: message))
            if state.hosts[host]!.state == .ok || state.hosts[host]!.state == .notRun {
                state.hosts[host]!.state = .failed
                state.hosts[host]!.failure = "relay cleanup: \(message)"
            } else {
                state.hosts[host]!.failure = (state.hosts[host]!.failure ?? "") + "; relay cleanup: \(message)"
            }
            onEvent(.stopping("\(host): relay cleanup: \(message)"))
        }
    }

    /// Runs `body` for every item, at most `forks` at once, results in input order.
    func forEach<T: Sendable>(_ items: [String], _ body: @escaping @Sendable (String) async -> T) async -> [T] {
        await withTaskGroup(of: (Int, T).self) { group in
            var results = [T?](repeating: nil, count: items.count)
            var next = 0
            for _ in 0..<min(settings.forks, items.count) {
                let index = next
                group.addTask { (index, await body(items[index])) }
                next += 1
            }
            for await (index, result) in group {
                results[index] = result
                if next < items.count {
                    let index = next
                    group.addTask { (index, await body(items[index])) }
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }
}

/// The run's mutable state, owned by the engine's one task between batches.
struct RunState {
    var hosts: [String: HostRun]
    var references: [String: HostRun]
    var scopes: [String: HostScope]
    var batches: [BatchRecord] = []
    var ignoredChecks: [String] = []
    var stop: RunStop?
    let runOnce = RunOnce()
    /// Relay credentials lent out by distributed copies and not yet taken back.
    let relays = RelayLedger()

    init(plan: RunPlan) {
        hosts = Dictionary(uniqueKeysWithValues: plan.targets.map { ($0, HostRun(host: $0)) })
        references = Dictionary(uniqueKeysWithValues: plan.references.map { ($0, HostRun(host: $0)) })
        scopes = plan.scopes
    }

    /// Hosts still in the rollout: not failed, unreachable or blocked.
    func active(_ hosts: [String]) -> [String] {
        hosts.filter { self.hosts[$0]?.state == .ok }
    }
}
