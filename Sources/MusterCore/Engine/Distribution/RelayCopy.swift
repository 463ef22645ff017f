import Foundation
import MusterSSH

/// One group's copy (the hosts of one datacenter in one batch): the file crosses the
/// WAN once, to a relay, which sends it on to the group's other hosts in parallel.
///
/// 1. Every host says what it has; hosts with the content get nothing (mode and owner
///    are corrected as a direct copy would).
/// 2. The relay is the group's first host in batch order that has an IP address; it
///    gets the file by the normal verified push (or already has it).
/// 3. The relay makes a key pair of the round's own; each other host that needs the
///    file gets a `restrict,from=,expiry-time=,command=` line for it (`RelayAccess`).
/// 4. The relay sends to those hosts at once over OpenSSH; each host's copy lands on a
///    staged path, and the controller installs it through the host's own session,
///    verified by SHA-256 exactly as a direct upload is.
/// 5. Every line and the relay's key directory are removed and the removal checked.
///
/// Whatever fails on the relay's side sends the affected hosts the file directly, and
/// each host's `CopyDelivery.path` says which way its content came.
struct RelayCopy: Sendable {
    /// `datacenter=dc1`, for messages.
    let label: String
    /// The group's hosts that reached the task, in batch order.
    let requests: [CopyRequest]
    let ledger: RelayLedger
    let onEvent: @Sendable (String) -> Void

    typealias Results = [String: Result<CopyDelivery, Error>]

    func run() async -> Results {
        let access = RelayAccess()
        let results = await transfer(access)
        // Not cancellable: whatever the transfer lent out is taken back, Ctrl-C or not.
        // What still fails stays in the ledger; the run's end retries and reports it.
        await Task { await self.cleanUp(access) }.value
        return results
    }

    private func transfer(_ access: RelayAccess) async -> Results {
        var results: Results = [:]
        let states = await parallel(requests) { request in
            await Result(catching: { try await request.session.remoteFile(request.destination, timeout: request.timeout) })
        }
        var present: [CopyRequest] = []
        var needing: [CopyRequest] = []
        for (request, state) in zip(requests, states) {
            switch state {
            case .failure(let error): results[request.host] = .failure(error)
            case .success(let file?) where file.sha256 == request.file.sha256: present.append(request)
            case .success: needing.append(request)
            }
        }
        results.merge(await direct(present), uniquingKeysWith: { $1 })
        let reachable = requests.filter { present.contains(host: $0.host) || needing.contains(host: $0.host) }
        guard let relay = reachable.first(where: { RelayAccess.isIPAddress($0.session.endpoint.address) }) else {
            let reason = needing.count > 1 ? "no host of \(label) has an IP address to relay from" : nil
            return results.merging(await direct(needing, because: reason), uniquingKeysWith: { $1 })
        }
        let others = needing.filter { $0.host != relay.host }
        guard !others.isEmpty else { return results.merging(await direct(needing), uniquingKeysWith: { $1 }) }

        var fallback: [(CopyRequest, String)] = []
        var targets: [(CopyRequest, RelayScripts.Target)] = []
        for request in others {
            let staged = access.stagedPath(for: request.destination)
            if let key = await request.session.verifiedHostKey, RelayAccess.isLineSafe(staged) {
                let endpoint = request.session.endpoint
                let hostKey = SSHKeyBlob.algorithm(of: key) + " " + Data(key).base64EncodedString()
                targets.append(
                    (request, RelayScripts.Target(user: endpoint.user, address: endpoint.address, port: endpoint.port, hostKey: hostKey)))
            } else {
                let why =
                    RelayAccess.isLineSafe(staged)
                    ? "no verified host key to give the relay (host key policy off)" : "destination path unusable in authorized_keys"
                fallback.append((request, why))
            }
        }
        let relayAddress = relay.session.endpoint.address
        let (sent, relayResult) = await relaySend(
            access, relay: relay, relayAddress: relayAddress, targets: targets, relayNeedsFile: needing.contains(host: relay.host))
        if let relayResult { results[relay.host] = relayResult }
        for (request, outcome) in zip(targets.map(\.0), sent) {
            if let reason = outcome {
                fallback.append((request, reason))
            } else {
                results[request.host] = .success(
                    CopyDelivery(outcome: .uploaded(bytes: request.file.size), path: CopyPath.relay(relay.host)))
            }
        }
        let reasons = Dictionary(fallback.map { ($0.0.host, $0.1) }, uniquingKeysWith: { first, _ in first })
        let fallbackResults = await parallel(fallback.map(\.0)) { request in
            await Result(catching: { try await request.direct(because: reasons[request.host]) })
        }
        for (request, result) in zip(fallback.map(\.0), fallbackResults) { results[request.host] = result }
        return results
    }

    /// Steps 2–4 for `targets`: nil for each host whose relayed copy is installed, else
    /// why it must go direct; and the relay's own copy when it needed one
    /// (`relayNeedsFile`). The relay's key is made and authorized on the targets first,
    /// so that a relay still without the file passes it on while it receives it.
    private func relaySend(
        _ access: RelayAccess, relay: CopyRequest, relayAddress: String, targets: [(CopyRequest, RelayScripts.Target)],
        relayNeedsFile: Bool
    ) async -> ([String?], Result<CopyDelivery, Error>?) {
        let pushRelay = { (writer: String?) in
            await Result(catching: { try await relay.direct(because: "relay for \(label)", writer: writer) })
        }
        let plainRelay = { relayNeedsFile ? await pushRelay(nil) : nil }
        guard !targets.isEmpty else { return ([], await plainRelay()) }
        let failed = { (why: String) in [String?](repeating: "relay \(relay.host) failed: \(why)", count: targets.count) }
        await ledger.record(.init(host: relay.host, credential: .relayDirectory(access)))
        let prepared = await Result(catching: {
            try await relay.session.exec(RelayScripts.prepare(access, targets: targets.map(\.1)), timeout: .seconds(60))
        })
        let publicKey: String
        switch prepared {
        case .failure(let error): return (failed(Self.message(error)), await plainRelay())
        case .success(let result):
            guard result.succeeded else { return (failed(OutputTail.lastLine(result.stderrText) ?? result.ending), await plainRelay()) }
            guard let key = RelayAccess.validatedPublicKey(result.stdoutText) else {
                return (failed("its ssh-keygen printed no ed25519 public key"), await plainRelay())
            }
            publicKey = key
        }
        // Each host lets the relay's key write its staged file, and nothing else.
        let authorized =
            await parallel(targets.map(\.0)) { request in
                let staged = access.stagedPath(for: request.destination)
                await ledger.record(.init(host: request.host, credential: .authorization(access, stagedPath: staged)))
                let script = RelayScripts.authorize(access, publicKey: publicKey, relayAddress: relayAddress, stagedPath: staged)
                switch await Result(catching: { try await request.session.exec(script, timeout: .seconds(60)) }) {
                case .success(let result) where result.succeeded: return nil
                case .success(let result):
                    return "cannot authorize the relay's key: " + (OutputTail.lastLine(result.stderrText) ?? result.ending)
                case .failure(let error): return "cannot authorize the relay's key: " + Self.message(error)
                }
            } as [String?]
        let sending = zip(targets, authorized).filter { $0.1 == nil }.map(\.0)
        var reasons = authorized
        guard !sending.isEmpty else { return (reasons, await plainRelay()) }
        onEvent("DISTRIBUTE \(label): relay \(relay.host) sends \(relay.destination) to \(NodeSet.fold(sending.map(\.0.host)))")
        var relayResult: Result<CopyDelivery, Error>?
        let report: Result<CommandResult, Error>
        if relayNeedsFile {
            // The relay passes the stream on as it arrives; its sends' results come after.
            relayResult = await pushRelay(RelayScripts.sendWhileReceiving(access, relayAddress: relayAddress, targets: sending.map(\.1)))
            switch relayResult! {
            case .failure(let error):
                report = .failure(error)
                // The relay's own copy does not depend on its sends (no FIFOs, no GNU tee, …).
                relayResult = await pushRelay(nil)
            case .success: report = await Result(catching: { try await relay.session.exec(RelayScripts.results(access), timeout: relay.timeout) })
            }
        } else {
            let script = RelayScripts.send(access, source: relay.destination, relayAddress: relayAddress, targets: sending.map(\.1))
            report = await Result(catching: { try await relay.session.exec(script, timeout: relay.timeout) })
        }
        var statuses: [String: String] = [:]
        switch report {
        case .failure(let error):
            for (request, _) in sending { statuses[request.host] = "relay \(relay.host) failed: \(Self.message(error))" }
        case .success(let result):
            let reported = RelayScripts.sendResults(result.stdoutText)
            for (index, (request, _)) in sending.enumerated() where reported[index]?.status != 0 {
                let why =
                    reported[index].map { $0.error.isEmpty ? "ssh exit status \($0.status)" : $0.error }
                    ?? OutputTail.lastLine(result.stderrText) ?? result.ending
                statuses[request.host] = "relay \(relay.host) failed: \(why)"
            }
        }
        let failures = statuses
        // The relay's key is no longer needed: removed before any install.
        _ = await ledger.remove(.init(host: relay.host, credential: .relayDirectory(access)), with: relay.session)
        let installed =
            await parallel(sending.map(\.0)) { request in
                let staged = access.stagedPath(for: request.destination)
                var reason = failures[request.host]
                if reason == nil {
                    do {
                        _ = try await request.session.installStaged(
                            staged, sha256: request.file.sha256, size: request.file.size, to: request.destination, mode: request.mode,
                            owner: request.owner, timeout: request.timeout)
                    } catch { reason = "relay \(relay.host): \(Self.message(error))" }
                }
                _ = await ledger.remove(
                    .init(host: request.host, credential: .authorization(access, stagedPath: staged)), with: request.session)
                return reason
            } as [String?]
        for (index, (request, _)) in targets.enumerated() where reasons[index] == nil {
            reasons[index] = installed[sending.firstIndex { $0.0.host == request.host }!]
        }
        return (reasons, relayResult)
    }

    /// Removes what the round still has open, over the group's own sessions.
    private func cleanUp(_ access: RelayAccess) async {
        for entry in await ledger.entries(of: access) {
            guard let session = requests.first(where: { $0.host == entry.host })?.session else { continue }
            _ = await ledger.remove(entry, with: session)
        }
    }

    private func direct(_ requests: [CopyRequest], because reason: String? = nil) async -> Results {
        let results = await parallel(requests) { request in await Result(catching: { try await request.direct(because: reason) }) }
        return Dictionary(uniqueKeysWithValues: zip(requests.map(\.host), results))
    }

    private func parallel<T: Sendable>(_ items: [CopyRequest], _ body: @escaping @Sendable (CopyRequest) async -> T) async -> [T] {
        await withTaskGroup(of: (Int, T).self) { group in
            for (index, item) in items.enumerated() { group.addTask { (index, await body(item)) } }
            var results = [T?](repeating: nil, count: items.count)
            for await (index, value) in group { results[index] = value }
            return results.map { $0! }
        }
    }

    static func message(_ error: Error) -> String { PlaybookEngine.message(error) }
}

extension Result where Failure == Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

extension [CopyRequest] {
    func contains(host: String) -> Bool { contains { $0.host == host } }
}
