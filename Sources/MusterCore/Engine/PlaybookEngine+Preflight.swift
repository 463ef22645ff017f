import Foundation
import MusterSSH

extension PlaybookEngine {
    /// Every target and reference host at once: connect, run all of the host's checks in
    /// one command, then judge the facts together (clocks, versions and tokens are
    /// compared across hosts). Under `all-or-nothing` one blocked host stops the rollout.
    func preflight(_ state: inout RunState, pool: SessionPool) async {
        let checks = plan.playbook.preflight.checks
        guard !checks.isEmpty else { return }
        onEvent(.preflightStarted(targets: plan.targets.count, references: plan.references.count))
        let references = plan.references.map { PreflightHost(name: $0, address: address(of: $0), role: .reference) }
        let hosts = references + plan.targets.map { PreflightHost(name: $0, address: address(of: $0), role: .target) }
        let scopes = state.scopes
        let observations = await forEach(hosts.map(\.name)) { name -> PreflightObservation in
            let host = hosts.first { $0.name == name }!
            let specs: [CheckSpec]
            do { specs = try renderedChecks(checks, scope: scopes[name]!) } catch {
                return PreflightObservation(host: host, checks: [], outcome: .unreachable("\(error)"))
            }
            let probe = PreflightProbe(checks: specs, role: host.role, references: references)
            do {
                let session = try await pool.session(for: name)
                let sent = Date()
                let result = try await session.exec(probe.command, timeout: .seconds(60))
                return PreflightObservation(host: host, checks: specs, outcome: .facts(probe.parse(result, sentAt: sent, receivedAt: Date())))
            } catch {
                return PreflightObservation(host: host, checks: specs, outcome: .unreachable(Self.message(error)))
            }
        }
        // Hashing the bundle takes a while: not on the cooperative pool.
        let specs = observations.flatMap(\.checks)
        let controller = await BlockingWork.run { ControllerFacts.gather(for: specs) }
        let results = PreflightEvaluator.evaluate(observations, controller: controller)
        for observation in observations where observation.host.role == .reference {
            // References are judged only as targets' counterparts; say when one was not reached.
            if case .unreachable(let message) = observation.outcome {
                let result = CheckResult(name: "ssh_reachable", kind: .sshReachable, severity: .error, status: .failed, message: message)
                state.references[observation.host.name]?.checks = [result]
                state.references[observation.host.name]?.state = .unreachable
                state.references[observation.host.name]?.failure = message
                onEvent(.checksFinished(host: observation.host.name, results: [result], reference: true))
            }
        }
        var blocked: [String] = []
        for host in plan.targets {
            let ignoring = (results[host] ?? []).map { result in
                var result = result
                if result.status == .failed, result.severity == .error, settings.ignorePreflight.contains(result.name) {
                    result.ignored = true
                }
                return result
            }
            state.hosts[host]!.checks = ignoring
            for result in ignoring where result.ignored && !state.ignoredChecks.contains(result.name) {
                state.ignoredChecks.append(result.name)
            }
            onEvent(.checksFinished(host: host, results: ignoring, reference: false))
            if let blocker = ignoring.first(where: \.blocks) {
                blocked.append(host)
                state.hosts[host]!.state = .blocked
                state.hosts[host]!.failure = "preflight \(blocker.name): \(blocker.message)"
            }
        }
        if !blocked.isEmpty, plan.playbook.preflight.policy == .allOrNothing {
            state.stop = .preflightBlocked
            for host in plan.targets where state.hosts[host]!.state == .ok {
                state.hosts[host]!.state = .blocked
                state.hosts[host]!.failure = "held back: all-or-nothing preflight failed on \(NodeSet.fold(blocked))"
            }
        } else if settings.preflightOnly, !blocked.isEmpty {
            state.stop = .preflightBlocked
        }
        onEvent(.preflightFinished(blocked: blocked, policy: plan.playbook.preflight.policy))
    }

    /// The address a host is reached on (what other hosts connect to for port checks).
    private func address(of host: String) -> String {
        connections[host]?.endpoint.address ?? host
    }

    /// Parameters that name files on the controller; relative ones start at the playbook's
    /// directory, as `copy` sources do, so the checked file is the file pushed.
    private static let controllerPathParameters: [CheckKind: String] = [.bundle: "path", .sameVersion: "bundle", .token: "file"]

    /// The checks with their parameters rendered for one host.
    private func renderedChecks(_ checks: [CheckDeclaration], scope: HostScope) throws(PlaybookError) -> [CheckSpec] {
        let renderer = Renderer(scope: scope)
        var specs: [CheckSpec] = []
        for check in checks {
            var parameters: [String: InventoryValue] = [:]
            for (key, value) in check.parameters { parameters[key] = try renderer.render(value, at: check.position) }
            if let key = Self.controllerPathParameters[check.kind], case .string(let path)? = parameters[key] {
                parameters[key] = .string(plan.controllerPath(path))
            }
            specs.append(CheckSpec(name: check.name, kind: check.kind, severity: check.severity, parameters: parameters))
        }
        return specs
    }
}
