import MusterSSH

/// Opens host sessions for one run, directly or through their ProxyJump hosts.
///
/// A jump host's session is opened once per run and carries the tunnels of every host
/// behind it (one connection per bastion, not one per host). A jump host that cannot be
/// reached, or whose connection dies, fails exactly the hosts behind it, with its
/// reason; it is not dialled again for each of them.
actor FleetConnector {
    private let loops: IOLoopGroup
    private var jumpSessions: [String: Task<SSHSession, Error>] = [:]

    init(loops: IOLoopGroup) { self.loops = loops }

    func connect(_ target: FleetTarget) async throws -> SSHSession {
        let jump: SSHSession?
        do {
            jump = try await jumpSession(route: target.jumpHosts[...])
        } catch let error as SSHError {
            throw SSHError(.connect, "\(target.endpoint): cannot reach its jump host: \(error.message)", code: error.code)
        }
        return try await SSHSession.connect(
            to: target.endpoint, credentials: target.credentials, options: target.options, on: loops.nextLoop(), through: jump)
    }

    /// The session to the last hop of `route`, itself reached through the hops before it.
    private func jumpSession(route: ArraySlice<FleetTarget>) async throws -> SSHSession? {
        guard let hop = route.last else { return nil }
        let key = route.map { "\($0.endpoint.user)@\($0.endpoint.address):\($0.endpoint.port)" }.joined(separator: ",")
        let attempt: Task<SSHSession, Error>
        if let existing = jumpSessions[key] {
            attempt = existing
        } else {
            let before = route.dropLast()
            let loop = loops.nextLoop()
            attempt = Task {
                let previous = try await self.jumpSession(route: before)
                return try await SSHSession.connect(
                    to: hop.endpoint, credentials: hop.credentials, options: hop.options, on: loop, through: previous)
            }
            jumpSessions[key] = attempt
        }
        return try await attempt.value
    }

    /// Closes the jump sessions, last hops first; the host sessions must be closed already.
    func closeAll() async {
        let byDepth = jumpSessions.sorted { $0.key.split(separator: ",").count > $1.key.split(separator: ",").count }
        jumpSessions = [:]
        for (_, attempt) in byDepth {
            if let session = try? await attempt.value { await session.close() }
        }
    }
}
