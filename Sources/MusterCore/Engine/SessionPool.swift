import MusterSSH

/// One SSH session per host for the whole run: preflight, every stage and every task
/// reuse it. Connecting twice at once to the same host shares the one attempt.
actor SessionPool {
    private let targets: [String: FleetTarget]
    private let loops: IOLoopGroup
    private var sessions: [String: Task<SSHSession, Error>] = [:]

    init(targets: [String: FleetTarget], loops: IOLoopGroup) {
        self.targets = targets
        self.loops = loops
    }

    func session(for host: String) async throws -> SSHSession {
        if let existing = sessions[host] { return try await existing.value }
        guard let target = targets[host] else { throw SSHError(.connect, "\(host): no connection settings") }
        let loop = loops.nextLoop()
        let attempt = Task {
            try await SSHSession.connect(to: target.endpoint, credentials: target.credentials, options: target.options, on: loop)
        }
        sessions[host] = attempt
        return try await attempt.value
    }

    /// Forgets a host's session (after it broke) so that the next use reconnects.
    func discard(_ host: String) async {
        guard let attempt = sessions.removeValue(forKey: host) else { return }
        if let session = try? await attempt.value { await session.close() }
    }

    func closeAll() async {
        let all = sessions.values
        sessions = [:]
        for attempt in all {
            if let session = try? await attempt.value { await session.close() }
        }
    }
}
