import MusterSSH

/// One distributed copy in one batch: the hosts that reach the task meet here, group by
/// group (their value of the grouping variable), and each group's copy runs once all of
/// its hosts that are under way have either arrived or dropped out (failed earlier,
/// skipped the task, were interrupted).
///
/// "Under way": with fewer forks than hosts, a host that has not started yet is not
/// waited for; it arrives later and forms a later round of its group with whoever
/// arrives with it. Hosts without the variable copy directly at once.
public actor DistributionRound {
    public let distribution: CopyDistribution
    private let groupOf: [String: String]
    private let position: [String: Int]
    private let ledger: RelayLedger
    private let onEvent: @Sendable (String) -> Void

    private var started: Set<String> = []
    private var done: Set<String> = []
    private var waiting: [String: [(CopyRequest, CheckedContinuation<Result<CopyDelivery, Error>, Never>)]] = [:]
    private var running: [String: [Task<Void, Never>]] = [:]
    private var cancelled: Set<String> = []

    /// `hosts`: the batch, in its order (a group's relay is its first host in this order).
    /// `groupOf`: each host's value of the grouping variable (hosts without it left out).
    /// `forks`: how many of `hosts` start at once (and so are under way from the start).
    /// `onEvent`: one line when a group's copy starts (relay and hosts), for the log.
    public init(
        distribution: CopyDistribution, hosts: [String], groupOf: [String: String], forks: Int, ledger: RelayLedger,
        onEvent: @escaping @Sendable (String) -> Void
    ) {
        self.distribution = distribution
        self.groupOf = groupOf
        self.position = Dictionary(hosts.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        self.started = Set(hosts.prefix(max(1, forks)))
        self.ledger = ledger
        self.onEvent = onEvent
    }

    /// The host is under way: its group's copy waits for it to arrive or drop out.
    public func start(_ hosts: [String]) { started.formUnion(hosts) }

    /// The host will not arrive (or already has): its group need not wait for it.
    public func finish(_ host: String) {
        guard done.insert(host).inserted else { return }
        if let group = groupOf[host] { launchIfReady(group) }
    }

    /// The host's copy, direct or through its group's relay; returns when it is done.
    /// The second Ctrl-C cancels the group's transfer (its cleanup still runs).
    public nonisolated func copy(_ request: CopyRequest) async throws -> CopyDelivery {
        guard let group = groupOf[request.host] else {
            await finish(request.host)
            return try await request.direct(because: "no \(distribution.groupBy) variable")
        }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                Task { await self.arrive(request, group: group, continuation) }
            }
        } onCancel: {
            Task { await self.cancel(group) }
        }
        return try result.get()
    }

    private func arrive(_ request: CopyRequest, group: String, _ continuation: CheckedContinuation<Result<CopyDelivery, Error>, Never>) {
        started.insert(request.host)
        done.insert(request.host)
        waiting[group, default: []].append((request, continuation))
        launchIfReady(group)
    }

    private func launchIfReady(_ group: String) {
        guard let waiting = waiting[group], !waiting.isEmpty else { return }
        let pending = started.subtracting(done).filter { groupOf[$0] == group }
        guard pending.isEmpty else { return }
        self.waiting[group] = nil
        let arrivals = waiting.sorted { position[$0.0.host, default: .max] < position[$1.0.host, default: .max] }
        let copy = RelayCopy(
            label: "\(distribution.groupBy)=\(group)", requests: arrivals.map(\.0), ledger: ledger, onEvent: onEvent)
        let continuations = arrivals.map(\.1)
        let hosts = arrivals.map(\.0.host)
        let task = Task {
            let deliveries = await copy.run()
            for (host, continuation) in zip(hosts, continuations) {
                continuation.resume(returning: deliveries[host] ?? .failure(CopyFailure(description: "\(host): no result")))
            }
        }
        running[group, default: []].append(task)
        if cancelled.contains(group) { task.cancel() }
    }

    private func cancel(_ group: String) {
        cancelled.insert(group)
        for task in running[group] ?? [] { task.cancel() }
    }
}
