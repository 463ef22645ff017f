import MusterSSH

/// One SSH session per host for the whole run: preflight, every stage and every task
/// reuse it. Connecting twice at once to the same host shares the one attempt.
///
/// A session runs one task at a time (`withSession`): libssh2 keeps a channel open in
/// progress per session, so a task delegated to a host (or a run_once task) must not
/// open a channel there while that host's own task is opening one.
actor SessionPool {
    private let targets: [String: FleetTarget]
    private let connector: FleetConnector
    private var sessions: [String: Task<SSHSession, Error>] = [:]
    private var busy: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    init(targets: [String: FleetTarget], loops: IOLoopGroup) {
        self.targets = targets
        self.connector = FleetConnector(loops: loops)
    }

    func session(for host: String) async throws -> SSHSession {
        let attempt: Task<SSHSession, Error>
        if let existing = sessions[host] {
            attempt = existing
        } else {
            guard let target = targets[host] else { throw SSHError(.connect, "\(host): no connection settings") }
            attempt = Task { [connector] in try await connector.connect(target) }
            sessions[host] = attempt
        }
        do {
            return try await withTaskCancellationHandler { try await attempt.value } onCancel: { attempt.cancel() }
        } catch {
            // A failed or cancelled attempt is not the host's session: the next use tries again.
            if sessions[host] == attempt { sessions[host] = nil }
            throw error
        }
    }

    /// Runs `body` with the host's session while no other task uses it.
    nonisolated func withSession<T: Sendable>(for host: String, _ body: (SSHSession) async throws -> T) async throws -> T {
        await acquire(host)
        do {
            let result = try await body(try await session(for: host))
            await release(host)
            return result
        } catch {
            await release(host)
            throw error
        }
    }

    private func acquire(_ host: String) async {
        if busy.insert(host).inserted { return }
        await withCheckedContinuation { waiting[host, default: []].append($0) }
    }

    private func release(_ host: String) {
        if var queue = waiting[host], !queue.isEmpty {
            queue.removeFirst().resume()  // the host stays busy: handed over
            waiting[host] = queue
        } else {
            busy.remove(host)
        }
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
        await connector.closeAll()
    }
}
