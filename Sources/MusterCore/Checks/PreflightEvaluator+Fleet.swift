import Foundation

/// Checks that compare a target with other hosts or with the controller.
extension PreflightEvaluator {
    /// HA needs the members' clocks within `max_seconds` of each other. Every host with a
    /// clock reading (targets and references) and the controller (offset 0) take part.
    /// A target fails when it is more than the limit from a participant and at least as
    /// far from the median as that participant: one skewed host fails alone rather than
    /// dragging every healthy host with it, and a skewed controller fails nobody.
    func clockSkew(_ parameters: CheckParameters, _ observation: PreflightObservation) -> Outcome {
        let limit = parameters.number("max_seconds") ?? 60
        guard let facts = observation.facts, let offset = facts.clockOffset else {
            return (false, Self.notGathered("the clock", observation.facts ?? HostFacts()))
        }
        var participants: [(name: String, offset: Double)] = [("the controller", 0)]
        for other in observations where other.host.name != observation.host.name {
            if let otherOffset = other.facts?.clockOffset { participants.append((other.host.name, otherOffset)) }
        }
        let median = Self.median(participants.map(\.offset) + [offset])
        let blamed = participants.filter { abs(offset - $0.offset) > limit && abs(offset - median) >= abs($0.offset - median) }
        let own = "clock \(Self.describeOffset(offset))"
        let limitText = "(limit \(limit == limit.rounded() ? String(Int(limit)) : Self.seconds(limit)) s)"
        if let worst = blamed.max(by: { abs(offset - $0.offset) < abs(offset - $1.offset) }), worst.name != "the controller" {
            return (
                false,
                "\(own), \(Self.seconds(abs(offset - worst.offset))) s off \(worst.name) \(limitText);"
                    + " after setting a clock by hand, restart that server's HA services"
            )
        } else if !blamed.isEmpty {
            return (false, "\(own) \(limitText); after setting a clock by hand, restart that server's HA services")
        }
        return (true, "\(own) \(limitText)")
    }

    static func describeOffset(_ offset: Double) -> String {
        let amount = seconds(abs(offset))
        if amount == "0.0" { return "in step with the controller" }
        return offset > 0 ? "\(amount) s ahead of the controller" : "\(amount) s behind the controller"
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    func sameVersion(_ parameters: CheckParameters) -> Outcome {
        let path = parameters.string("bundle") ?? ""
        let file = parameters.string("reference_version_file") ?? CheckParameters.defaultVersionFile
        let version: String
        switch controller.bundles[path] {
        case .present(let bundle)?:
            guard let named = bundle.version else {
                return (false, "cannot tell the version of \(path): expected the name setup-igel-ums-linux_VERSION.bin")
            }
            version = named
        case .missing?: return (false, "bundle \(path) not found on the controller")
        case .unusable(let reason)?: return (false, "bundle \(path) cannot be read: \(reason)")
        case nil: return (false, "bundle \(path) was not examined on the controller")
        }
        guard !references.isEmpty else {
            return (false, "no reference host (first HA server) to compare the bundle version \(version) with")
        }
        var problems: [String] = []
        for reference in references {
            let name = reference.host.name
            guard let facts = reference.facts else {
                problems.append("reference \(name) was not reached")
                continue
            }
            switch facts.versionFiles[file] {
            case .version(let installed)? where installed == version: continue
            case .version(let installed)?: problems.append("bundle \(version) but \(name) runs \(installed)")
            case .missing?: problems.append("\(name) has no UMS installed (no \(file))")
            case .unusable(let reason)?: problems.append("\(name):\(file): \(reason)")
            case nil: problems.append(Self.notGathered("\(name):\(file)", facts))
            }
        }
        if problems.isEmpty {
            return (true, "bundle \(version) matches \(references.map(\.host.name).joined(separator: ", "))")
        }
        return (false, problems.joined(separator: "; "))
    }

    /// Compares digests only; neither the token nor its digest is ever shown. With
    /// `fetch: true` the playbook fetches the current token from the first server, so
    /// the check only makes sure that server has one.
    func token(_ parameters: CheckParameters) -> Outcome {
        let path = parameters.string("file") ?? ""
        let remote = parameters.string("remote_file") ?? CheckParameters.defaultTokenFile
        if parameters.boolean("fetch") == true {
            guard let first = references.first else { return (false, "no reference host (first HA server) to fetch the token from") }
            guard let facts = first.facts else { return (false, "reference \(first.host.name) was not reached") }
            switch facts.tokenDigests[remote] {
            case .sha256?: return (true, "the current token will be fetched from \(first.host.name):\(remote)")
            case .missing?: return (false, "\(first.host.name) has no \(remote) to fetch (restart its igelRMserver service to write one)")
            case .empty?: return (false, "\(first.host.name):\(remote) is empty")
            case .unusable(let reason)?: return (false, "\(first.host.name):\(remote): \(reason)")
            case nil: return (false, Self.notGathered("\(first.host.name):\(remote)", facts))
            }
        }
        let local: String
        switch controller.tokens[path] {
        case .present(let digest)?: local = digest
        case .missing?: return (false, "token file \(path) not found on the controller")
        case .unusable(let reason)?: return (false, "token file \(path) on the controller: \(reason)")
        case nil: return (false, "token file \(path) was not examined on the controller")
        }
        guard let first = references.first else { return (false, "no reference host (first HA server) to compare the token with") }
        let name = first.host.name
        guard let facts = first.facts else { return (false, "reference \(name) was not reached") }
        switch facts.tokenDigests[remote] {
        case .sha256(let digest)? where digest == local: return (true, "\(path) is the network token of \(name)")
        case .sha256?: return (false, "\(path) is not the current network token (it differs from \(name):\(remote))")
        case .missing?: return (false, "\(name) has no \(remote) to compare with")
        case .empty?: return (false, "\(name):\(remote) is empty")
        case .unusable(let reason)?: return (false, "\(name):\(remote): \(reason)")
        case nil: return (false, Self.notGathered("\(name):\(remote)", facts))
        }
    }

    func portReachable(_ parameters: CheckParameters, _ facts: HostFacts) -> Outcome {
        let targets = PortTarget.list(for: parameters, references: references.map(\.host))
        guard !targets.isEmpty else { return (false, "no reference host to connect to") }
        var failures: [String] = []
        for target in targets {
            switch facts.connections[target.label] {
            case .connected?: continue
            case .failed(let reason)?: failures.append("\(target.label) (\(reason))")
            case nil: failures.append("\(target.label) (\(Self.notGathered("result", facts)))")
            }
        }
        if failures.isEmpty { return (true, "connected to " + targets.map(\.label).joined(separator: ", ")) }
        return (false, "cannot connect to " + failures.joined(separator: ", "))
    }

    /// The target's own address (the one SSH arrived on) and every reference's must lie
    /// in one of the target's IPv4 networks.
    func sameSubnet(_ facts: HostFacts) -> Outcome {
        guard let interfaces = facts.interfaces, !interfaces.isEmpty else {
            if !facts.addressesWithoutPrefix.isEmpty { return (false, "no prefix lengths known: ip is missing and hostname -I gives none") }
            return (false, Self.notGathered("IPv4 addresses", facts))
        }
        guard !references.isEmpty else { return (false, "no reference host to compare the network with") }
        let own = facts.sshAddress.flatMap { IPv4Address($0) }
        var members: [(label: String, address: IPv4Address)] = []
        for reference in references {
            let text = reference.facts?.sshAddress ?? reference.host.address
            guard let address = IPv4Address(text) else {
                return (false, "the IPv4 address of \(reference.host.name) is unknown ('\(text)')")
            }
            members.append(("\(reference.host.name) (\(address))", address))
        }
        let candidates = own.map { address in interfaces.filter { $0.contains(address) } } ?? interfaces
        if let shared = candidates.first(where: { network in members.allSatisfy { network.contains($0.address) } }) {
            let me = own.map(\.description) ?? "this host"
            return (true, "\(me) and \(members.map(\.label).joined(separator: ", ")) share \(shared.network)")
        }
        let networks = (candidates.isEmpty ? interfaces : candidates).map(\.network).joined(separator: ", ")
        let outside = members.filter { member in !(candidates.isEmpty ? interfaces : candidates).contains { $0.contains(member.address) } }
        let names = (outside.isEmpty ? members : outside).map(\.label).joined(separator: ", ")
        return (false, "\(names) not in this host's network \(networks)")
    }
}
