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
                if batchIndex > 0, let pause = stage.pause, !(await self.pause(pause, stage: stage.name, batch: batchIndex + 1)) {
                    state.stop = .declined(stage: stage.name, batch: batchIndex + 1)
                    return
                }
                onEvent(.batchStarted(stage: stage.name, number: batchIndex + 1, of: batches.count, hosts: hosts))
                let record = await runBatch(hosts, number: batchIndex + 1, stage: stage, stageIndex: stageIndex, state: &state, pool: pool)
                state.batches.append(record)
                onEvent(.batchFinished(record))
                if stop.isRequested {
                    state.stop = .interrupted
                    return
                }
                if let reason = BatchPlan.stopReason(
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
        let outcomes = await forEach(hosts) { host in
            await runTasks(
                stage.tasks, keyPrefix: "\(stageIndex).tasks", host: host, scope: scopes[host]!, stage: stage.name, batch: number,
                pool: pool, runOnce: runOnce)
        }
        var failed: [String] = []
        var healthy: [String] = []
        for (host, outcome) in zip(hosts, outcomes) {
            state.scopes[host] = outcome.scope
            state.hosts[host]!.record(outcome)
            if state.hosts[host]!.state == .ok { healthy.append(host) } else { failed.append(host) }
        }
        if !stage.health.isEmpty, !healthy.isEmpty {
            let healthScopes = state.scopes
            let gates = await forEach(healthy) { host in
                await runTasks(
                    stage.health, keyPrefix: "\(stageIndex).health", host: host, scope: healthScopes[host]!, stage: stage.name,
                    batch: number, pool: pool, runOnce: runOnce, namePrefix: "health: ")
            }
            for (host, outcome) in zip(healthy, gates) {
                state.scopes[host] = outcome.scope
                state.hosts[host]!.record(outcome)
                if state.hosts[host]!.state != .ok { failed.append(host) }
            }
        }
        return BatchRecord(stage: stage.name, number: number, hosts: hosts, failed: failed, duration: start.duration(to: clock.now))
    }

    /// A host's tasks in order until one fails or the operator asks to stop.
    func runTasks(
        _ tasks: [TaskSpec], keyPrefix: String, host: String, scope: HostScope, stage: String, batch: Int, pool: SessionPool,
        runOnce: RunOnce, namePrefix: String = ""
    ) async -> HostOutcome {
        var outcome = HostOutcome(scope: scope)
        let session: SSHSession
        do { session = try await pool.session(for: host) } catch {
            let result = TaskResult(task: namePrefix + "connect", stage: stage, batch: batch, status: .unreachable, message: Self.message(error))
            outcome.results.append(result)
            onEvent(.taskFinished(host: host, result: result))
            return outcome
        }
        let user = connections[host]?.endpoint.user ?? "root"
        for (index, task) in tasks.enumerated() {
            if stop.isRequested {
                outcome.notStarted = tasks[index...].map { namePrefix + $0.name }
                break
            }
            onEvent(.taskStarted(host: host, task: namePrefix + task.name))
            var taskSession = session
            if let delegate = task.delegateTo {
                do { taskSession = try await delegatedSession(delegate, scope: outcome.scope, pool: pool) } catch {
                    let result = TaskResult(
                        task: namePrefix + task.name, stage: stage, batch: batch, status: .failed, message: "delegate_to: \(Self.message(error))")
                    outcome.results.append(result)
                    onEvent(.taskFinished(host: host, result: result))
                    break
                }
            }
            let context = TaskContext(
                host: host, loginUser: user, session: taskSession, scope: outcome.scope, stage: stage, batch: batch,
                baseDirectory: plan.baseDirectory, files: files)
            var (result, registered) =
                if task.runOnce {
                    await runOnce.result(for: "\(keyPrefix).\(index)") { await TaskExecutor(context: context).run(task) }
                } else {
                    await TaskExecutor(context: context).run(task)
                }
            result.task = namePrefix + result.task
            if let name = task.register, let registered { outcome.scope.set(name, registered) }
            outcome.results.append(result)
            onEvent(.taskFinished(host: host, result: result))
            if result.status == .unreachable {
                await pool.discard(host)
                break
            }
            if result.status == .failed, !result.ignored { break }
        }
        return outcome
    }

    /// The session of the host a task is delegated to; only hosts of this run qualify.
    private func delegatedSession(_ delegate: TemplateText, scope: HostScope, pool: SessionPool) async throws -> SSHSession {
        let name = try Renderer(scope: scope).text(delegate)
        guard plan.targets.contains(name) || plan.references.contains(name) else {
            throw delegate.position.error("'\(name)' is neither a target nor a reference host of this run")
        }
        return try await pool.session(for: name)
    }

    /// Waits between batches: a fixed time, or the operator's confirmation.
    private func pause(_ pause: Pause, stage: String, batch: Int) async -> Bool {
        switch pause {
        case .duration(let duration):
            onEvent(.pausing("pausing \(DurationText.describe(duration)) before batch \(batch) of stage '\(stage)'"))
            do { try await Task.sleep(for: duration) } catch { return false }
            return !stop.isRequested
        case .prompt(let prompt):
            onEvent(.pausing("waiting for confirmation before batch \(batch) of stage '\(stage)'"))
            let confirm = settings.confirm
            return await withCheckedContinuation { continuation in
                Thread { continuation.resume(returning: confirm(prompt)) }.start()
            }
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
