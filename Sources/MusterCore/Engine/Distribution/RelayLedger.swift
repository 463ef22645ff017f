import MusterSSH

/// Every relay credential a run has put on a host and not yet removed, so that none is
/// forgotten: an entry is written down before the credential is made, crossed out only
/// once its removal was verified, and whatever is left when the run ends (a failure,
/// Ctrl-C twice, a relay that died) is removed then over fresh connections. What cannot
/// be removed even then is reported as an error naming the host.
public actor RelayLedger {
    public init() {}

    enum Credential: Sendable, Hashable {
        /// The relay's key directory (private key, known_hosts).
        case relayDirectory(RelayAccess)
        /// A target's authorized_keys line for the relay's key, and its staged file.
        case authorization(RelayAccess, stagedPath: String)

        /// Relays first: removing the directory stops sends still running, so that no
        /// target's staged file is written again after its removal.
        var order: Int { if case .relayDirectory = self { 0 } else { 1 } }

        var description: String {
            switch self {
            case .relayDirectory(let access): "relay key directory \(access.relayDirectory)"
            case .authorization(let access, _): "authorized_keys line \(access.marker)"
            }
        }
    }

    struct Entry: Sendable, Hashable {
        var host: String
        var credential: Credential
    }

    private var open: [Entry] = []

    func record(_ entry: Entry) { if !open.contains(entry) { open.append(entry) } }

    /// The round's entries still open, relays first.
    func entries(of access: RelayAccess) -> [Entry] {
        open.filter {
            switch $0.credential {
            case .relayDirectory(let other), .authorization(let other, _): other == access
            }
        }.sorted { $0.credential.order < $1.credential.order }
    }

    func remaining() -> [Entry] { open.sorted { $0.credential.order < $1.credential.order } }

    /// Removes the credential through `session` and crosses the entry out once the host
    /// confirmed it is gone; returns why not otherwise.
    func remove(_ entry: Entry, with session: SSHSession) async -> String? {
        let script =
            switch entry.credential {
            case .relayDirectory(let access): RelayScripts.removeRelayDirectory(access)
            case .authorization(let access, let staged): RelayScripts.revoke(access, stagedPath: staged)
            }
        do {
            let result = try await session.exec(script, timeout: .seconds(60))
            guard result.succeeded else {
                return "\(entry.credential.description) not removed: "
                    + (OutputTail.lastLine(result.stderrText) ?? result.ending)
            }
        } catch {
            return "\(entry.credential.description) not removed: \(PlaybookEngine.message(error))"
        }
        open.removeAll { $0 == entry }
        return nil
    }

    /// The end of a run: removes what is left, relays first, each host over a fresh
    /// connection (through its jump hosts, as any connection of the run). Runs in a task
    /// of its own, so that the second Ctrl-C, which cancels the run, does not cancel the
    /// cleanup. Returns the failures.
    public nonisolated func sweep(targets: [String: FleetTarget], loops: IOLoopGroup) async -> [(host: String, message: String)] {
        await Task { await self.sweepNow(connector: FleetConnector(loops: loops), targets: targets) }.value
    }

    private func sweepNow(connector: FleetConnector, targets: [String: FleetTarget]) async -> [(host: String, message: String)] {
        var failures: [(host: String, message: String)] = []
        var sessions: [String: SSHSession] = [:]
        for entry in remaining() {
            var session = sessions[entry.host]
            if session == nil {
                do {
                    guard let target = targets[entry.host] else { throw SSHError(.connect, "\(entry.host): no connection settings") }
                    session = try await connector.connect(target)
                    sessions[entry.host] = session
                } catch {
                    failures.append((entry.host, "\(entry.credential.description) not removed: \(PlaybookEngine.message(error))"))
                    continue
                }
            }
            if let failure = await remove(entry, with: session!) { failures.append((entry.host, failure)) }
        }
        for session in sessions.values { await session.close() }
        await connector.closeAll()
        return failures
    }
}
