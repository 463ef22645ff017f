import Foundation
import MusterSSH

extension PlaybookEngine {
    /// Stage by stage, batch by batch. A host that fails drops out of later tasks and
    /// stages; a batch whose failures cross the stage's limits ends the rollout.
    func rollout(_ state: inout RunState, pool: SessionPool) async {
        await runStages(&state, pool: pool)
        guard let stop = state.stop else { return }
        // Hosts that had work left never got it: say so instead of calling them ok.
        let reason =
            switch stop {
            case .interrupted: "interrupted (Ctrl-C) before its work was done"
            case .batchFailed(let stage, let batch, _): "the rollout stopped after batch \(batch) of stage '\(stage)'"
            case .declined(let stage, let batch): "the operator did not confirm batch \(batch) of stage '\(stage)'"
            case .preflightBlocked: "preflight blocked the rollout"
            }
        for (index, stage) in plan.playbook.stages.enumerated() {
            for host in plan.stageHosts[index] where state.hosts[host]?.state == .ok {
                let ran = state.hosts[host]!.tasks.contains { $0.stage == stage.name }
                if !ran {
                    state.hosts[host]!.state = .notRun
                    state.hosts[host]!.failure = reason
                }
            }
        }
    }

    private func runStages(_ state: inout RunState, pool: SessionPool) async {
        for (stageIndex, stage) in plan.playbook.stages.enumerated() {
            let batches = BatchPlan.batches(state.active(plan.stageHosts[stageIndex]), serial: stage.serial)
            onEvent(.stageStarted(stage: stage.name, batches: batches))
            for (batchIndex, batch) in batches.enumerated() {
                if stop.isRequested {
                    state.stop = .interrupted
                    return
                }
                let hosts = state.active(batch)
                guard !hosts.isEmpty else { continue }
                if batchIndex > 0, let pause = stage.pause {
                    switch await self.pause(pause, stage: stage.name, batch: batchIndex + 1) {
                    case .proceed: break
                    case .declined:
                        state.stop = .declined(stage: stage.name, batch: batchIndex + 1)
                        return
                    case .interrupted:
                        state.stop = .interrupted
                        return
                    }
                }
                onEvent(.batchStarted(stage: stage.name, number: batchIndex + 1, of: batches.count, hosts: hosts))
                let record = await runBatch(hosts, number: batchIndex + 1, stage: stage, stageIndex: stageIndex, state: &state, pool: pool)
                state.batches.append(record)
                onEvent(.batchFinished(record))
                if stop.isRequested {
                    state.stop = .interrupted
                    return
                }
                // Health gates must pass before the next batch starts (unless the stage says continue).
                let unhealthy =
                    record.unhealthy.isEmpty || stage.onBatchFailure == .continue
                    ? nil : "health gates failed on \(NodeSet.fold(record.unhealthy))"
                if let reason = unhealthy
                    ?? BatchPlan.stopReason(
                        failed: record.failed.count, of: record.hosts.count, maxFailPercentage: stage.maxFailPercentage,
                        onBatchFailure: stage.onBatchFailure)
                {
                    state.stop = .batchFailed(stage: stage.name, batch: record.number, reason: reason)
                    onEvent(.stopping("stage '\(stage.name)' batch \(record.number): \(reason); no further batch starts"))
                    return
                }
            }
        }
    }

    /// One batch: every host runs the stage's tasks in order (hosts in parallel), then the
    /// health gates run on the hosts that are still fine.
    private func runBatch(
        _ hosts: [String], number: Int, stage: Stage, stageIndex: Int, state: inout RunState, pool: SessionPool
    ) async -> BatchRecord {
        let clock = ContinuousClock()
        let start = clock.now
        let scopes = state.scopes
        let runOnce = state.runOnce
        let rounds = distributionRounds(stage.tasks, hosts: hosts, state: state)
        let outcomes = await forEach(hosts) { host in
            await runTasks(
                stage.tasks, keyPrefix: "\(stageIndex).tasks", host: host, scope: scopes[host]!, stage: stage.name, batch: number,
                pool: pool, runOnce: runOnce, stageIndex: stageIndex, rounds: rounds)
        }
        var failed: [String] = []
        var healthy: [String] = []
        var unhealthy: [String] = []
        for (host, outcome) in zip(hosts, outcomes) {
            state.scopes[host] = outcome.scope
            state.hosts[host]!.record(outcome)
            if state.hosts[host]!.state == .ok { healthy.append(host) } else { failed.append(host) }
        }
        if !stage.health.isEmpty, !healthy.isEmpty {
            let healthScopes = state.scopes
            let healthRounds = distributionRounds(stage.health, hosts: healthy, state: state)
            let gates = await forEach(healthy) { host in
                await runTasks(
                    stage.health, keyPrefix: "\(stageIndex).health", host: host, scope: healthScopes[host]!, stage: stage.name,
                    batch: number, pool: pool, runOnce: runOnce, namePrefix: "health: ", stageIndex: stageIndex, firstTaskIndex: 1000,
                    rounds: healthRounds)
            }
            for (host, outcome) in zip(healthy, gates) {
                state.scopes[host] = outcome.scope
                state.hosts[host]!.record(outcome)
                if state.hosts[host]!.state != .ok {
                    failed.append(host)
                    unhealthy.append(host)
                }
            }
        }
        return BatchRecord(
            stage: stage.name, number: number, hosts: hosts, failed: failed, unhealthy: unhealthy, duration: start.duration(to: clock.now))
    }

    /// A meeting point per `distribute` copy of `tasks` for this batch's hosts, grouped by
    /// the variable's value as the batch starts. The hosts `forEach` starts at once are
    /// under way from the beginning, so no group starts without one of them.
    private func distributionRounds(_ tasks: [TaskSpec], hosts: [String], state: RunState) -> [Int: DistributionRound] {
        var rounds: [Int: DistributionRound] = [:]
        for (index, task) in tasks.enumerated() {
            guard case .copy(let copy) = task.action, let distribution = copy.distribute else { continue }
            var groupOf: [String: String] = [:]
            for host in hosts { groupOf[host] = state.scopes[host]?.lookup(distribution.groupBy).map(\.description) }
            let round = DistributionRound(
                distribution: distribution, hosts: hosts, groupOf: groupOf, forks: settings.forks, ledger: state.relays
            ) { [onEvent] line in
                onEvent(.distributing(line))
            }
            rounds[index] = round
        }
        return rounds
    }

    /// A host's tasks in order until one fails or the operator asks to stop. A host
    /// leaves every distribution round of `tasks` once past it, so that its group never
    /// waits for a host that will not come.
    func runTasks(
        _ tasks: [TaskSpec], keyPrefix: String, host: String, scope: HostScope, stage: String, batch: Int, pool: SessionPool,
        runOnce: RunOnce, namePrefix: String = "", stageIndex: Int? = nil, firstTaskIndex: Int = 0, rounds: [Int: DistributionRound] = [:]
    ) async -> HostOutcome {
        for round in rounds.values { await round.start([host]) }
        let outcome = await runTasks(
            tasks, keyPrefix: keyPrefix, host: host, scope: scope, stage: stage, batch: batch, pool: pool, runOnce: runOnce,
            namePrefix: namePrefix, stageIndex: stageIndex, firstTaskIndex: firstTaskIndex, distribution: rounds)
        for round in rounds.values { await round.finish(host) }
        return outcome
    }

    private func runTasks(
        _ tasks: [TaskSpec], keyPrefix: String, host: String, scope: HostScope, stage: String, batch: Int, pool: SessionPool,
        runOnce: RunOnce, namePrefix: String, stageIndex: Int?, firstTaskIndex: Int, distribution rounds: [Int: DistributionRound]
    ) async -> HostOutcome {
        var outcome = HostOutcome(scope: scope)
        func record(_ result: TaskResult, index: Int? = nil) {
            var result = result
            result.stageIndex = stageIndex
            result.taskIndex = index.map { firstTaskIndex + $0 }
            outcome.results.append(result)
            onEvent(.taskFinished(host: host, result: result))
        }
        do { _ = try await pool.session(for: host) } catch {
            record(TaskResult(task: namePrefix + "connect", stage: stage, batch: batch, status: .unreachable, message: Self.message(error)))
            return outcome
        }
        let user = connections[host]?.endpoint.user ?? "root"
        for (index, task) in tasks.enumerated() {
            if stop.isRequested {
                outcome.notStarted = tasks[index...].map { namePrefix + $0.name }
                break
            }
            // --resume: what completed before is not done again, except tasks whose registered
            // value later tasks read (they are read-only checks in practice, and cheap).
            if let stageIndex, task.register == nil,
                settings.completedTasks[host]?.contains(TaskKey(stage: stageIndex, task: firstTaskIndex + index)) == true
            {
                record(
                    TaskResult(
                        task: namePrefix + task.name, stage: stage, batch: batch, status: .skipped,
                        message: "completed in run \(settings.resumedRun ?? "resumed")"), index: index)
                await rounds[index]?.finish(host)
                continue
            }
            onEvent(.taskStarted(host: host, task: namePrefix + task.name))
            var sessionHost = host
            if let delegate = task.delegateTo {
                do { sessionHost = try delegatedHost(delegate, scope: outcome.scope) } catch {
                    record(
                        TaskResult(task: namePrefix + task.name, stage: stage, batch: batch, status: .failed, message: "\(error)"),
                        index: index)
                    break
                }
            }
            let scope = outcome.scope
            let round = rounds[index]
            let run: @Sendable (SSHSession) async -> (TaskResult, InventoryValue?) = { session in
                var context = TaskContext(
                    host: host, loginUser: user, session: session, scope: scope, stage: stage, batch: batch,
                    plan: plan, files: files)
                context.onBytesSent = { [onEvent] bytes in onEvent(.bytesSent(host: host, bytes: bytes)) }
                context.distribution = round
                return await TaskExecutor(context: context).run(task)
            }
            var (result, registered): (TaskResult, InventoryValue?)
            do {
                (result, registered) = try await pool.withSession(for: sessionHost) { session in
                    task.runOnce ? await runOnce.result(for: "\(keyPrefix).\(index)") { await run(session) } : await run(session)
                }
            } catch {
                (result, registered) = (
                    TaskResult(task: task.name, stage: stage, batch: batch, status: .unreachable, message: Self.message(error)), nil
                )
            }
            result.task = namePrefix + result.task
            if sessionHost != host, result.status == .unreachable {
                // The delegate is down, not this host: fail the task and keep this host's session.
                result.status = .failed
                result.message = "delegate \(sessionHost) unreachable: \(result.message)"
            }
            if let name = task.register, let registered { outcome.scope.set(name, registered) }
            await round?.finish(host)
            record(result, index: index)
            if result.status == .unreachable || (sessionHost != host && result.message.hasPrefix("delegate ")) {
                await pool.discard(sessionHost)
            }
            if result.status == .unreachable { break }
            if result.status == .failed, !result.ignored { break }
        }
        return outcome
    }

    /// The host a task is delegated to; only hosts of this run qualify.
    private func delegatedHost(_ delegate: TemplateText, scope: HostScope) throws -> String {
        let name = try Renderer(scope: scope).text(delegate)
        guard plan.targets.contains(name) || plan.references.contains(name) else {
            throw delegate.position.error("delegate_to: '\(name)' is neither a target nor a reference host of this run")
        }
        return name
    }

    enum PauseOutcome { case proceed, declined, interrupted }

    /// Waits between batches: a fixed time, or the operator's confirmation. Ctrl-C ends
    /// either wait as an interruption.
    private func pause(_ pause: Pause, stage: String, batch: Int) async -> PauseOutcome {
        switch pause {
        case .duration(let duration):
            onEvent(.pausing("pausing \(DurationText.describe(duration)) before batch \(batch) of stage '\(stage)'"))
            let end = ContinuousClock.now + duration
            while ContinuousClock.now < end, !stop.isRequested {
                do { try await Task.sleep(for: min(.milliseconds(200), end - ContinuousClock.now)) } catch { return .interrupted }
            }
            return stop.isRequested ? .interrupted : .proceed
        case .prompt(let prompt):
            onEvent(.pausing("waiting for confirmation before batch \(batch) of stage '\(stage)'"))
            let confirm = settings.confirm
            let answer = await BlockingWork.run { confirm(prompt) }
            if stop.isRequested { return .interrupted }
            return answer ? .proceed : .declined
        }
    }

    static func message(_ error: Error) -> String {
        (error as? SSHError)?.message ?? String(describing: error)
    }
}

/// What one host did in one batch (or health gate).
struct HostOutcome: Sendable {
    var scope: HostScope
    var results: [TaskResult] = []
    /// Tasks the host did not start because the operator asked to stop.
    var notStarted: [String] = []
}

extension HostRun {
    mutating func record(_ outcome: HostOutcome) {
        tasks += outcome.results
        guard state == .ok else { return }
        if let bad = outcome.results.first(where: { ($0.status == .failed && !$0.ignored) || $0.status == .unreachable }) {
            state = bad.status == .unreachable ? .unreachable : .failed
            failure = "\(bad.task): \(bad.message)"
        } else if !outcome.notStarted.isEmpty {
            state = .notRun
            failure = "interrupted before: " + outcome.notStarted.joined(separator: ", ")
        }
    }
}
