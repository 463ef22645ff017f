import Foundation

/// Turns the facts of every host (targets and references) and of the controller into
/// check results for the targets. Pure: no I/O, so every rule is unit-testable.
public struct PreflightEvaluator: Sendable {
    public let observations: [PreflightObservation]
    public let controller: ControllerFacts

    public init(observations: [PreflightObservation], controller: ControllerFacts) {
        self.observations = observations
        self.controller = controller
    }

    /// For the playbook loader: every problem with one check's parameters, each naming
    /// the parameter, before any host is contacted.
    public static func validate(kind: CheckKind, parameters: [String: InventoryValue]) -> [CheckParameterError] {
        CheckParameters.validate(kind: kind, parameters: parameters)
    }

    /// Results per target host name, in each host's check order.
    public static func evaluate(_ observations: [PreflightObservation], controller: ControllerFacts) -> [String: [CheckResult]] {
        PreflightEvaluator(observations: observations, controller: controller).evaluate()
    }

    public func evaluate() -> [String: [CheckResult]] {
        var results: [String: [CheckResult]] = [:]
        for observation in observations where observation.host.role == .target {
            results[observation.host.name] = observation.checks.map { evaluate($0, on: observation) }
        }
        return results
    }

    /// The existing members targets are compared with, in inventory order (the first
    /// one is "the first server" for the token).
    var references: [PreflightObservation] { observations.filter { $0.host.role == .reference } }

    func evaluate(_ check: CheckSpec, on observation: PreflightObservation) -> CheckResult {
        let (passed, message) = outcome(of: check, on: observation)
        return CheckResult(
            name: check.name, kind: check.kind, severity: check.severity, status: passed ? .passed : .failed, message: message)
    }

    typealias Outcome = (passed: Bool, message: String)

    private func outcome(of check: CheckSpec, on observation: PreflightObservation) -> Outcome {
        let errors = CheckParameters.validate(kind: check.kind, parameters: check.parameters)
        if !errors.isEmpty { return (false, "invalid parameters: " + errors.map(\.message).joined(separator: "; ")) }
        let parameters = CheckParameters(kind: check.kind, values: check.parameters)
        let facts: HostFacts
        switch observation.outcome {
        case .unreachable(let error):
            return (false, check.kind == .sshReachable ? error : "not checked: the host was not reached")
        case .facts(let gathered):
            facts = gathered
        }
        switch check.kind {
        case .sshReachable: return (true, "reached; the probe took \(Self.seconds(facts.roundTrip ?? 0)) s")
        case .osSupported: return osSupported(parameters, facts)
        case .resources: return resources(parameters, facts)
        case .dirWritable: return dirWritable(parameters, facts)
        case .notCloud: return notCloud(facts)
        case .bundle: return bundle(parameters)
        case .clockSkew: return clockSkew(parameters, observation)
        case .sameVersion: return sameVersion(parameters)
        case .token: return token(parameters)
        case .portReachable: return portReachable(parameters, facts)
        case .sameSubnet: return sameSubnet(facts)
        }
    }

    /// What to say when a fact the probe should have gathered is absent.
    static func notGathered(_ what: String, _ facts: HostFacts) -> String {
        facts.probeProblem.map { "\(what) not gathered: \($0)" } ?? "\(what) not gathered"
    }

    static func seconds(_ value: Double) -> String { String(format: "%.1f", value) }

    // MARK: Checks on one host's own facts

    func osSupported(_ parameters: CheckParameters, _ facts: HostFacts) -> Outcome {
        guard let os = facts.os else { return (false, Self.notGathered("/etc/os-release", facts)) }
        let found = "\(os.id) \(os.versionID)"
        let shown = os.prettyName.isEmpty ? found : "\(os.prettyName) (\(found))"
        let allowed = parameters.strings("allowed")
        if allowed.contains(where: { Self.release(os, matches: $0) }) { return (true, "\(shown) is supported") }
        return (false, "\(shown) is not supported (allowed: \(allowed.joined(separator: ", ")))")
    }

    /// `ubuntu 22.04` matches VERSION_ID 22.04; `rhel 8` matches 8 and 8.9, not 80;
    /// `debian` alone any version.
    static func release(_ os: HostFacts.OSRelease, matches entry: String) -> Bool {
        let words = entry.split(whereSeparator: \.isWhitespace)
        guard let id = words.first, id.lowercased() == os.id.lowercased() else { return false }
        guard words.count > 1 else { return true }
        let version = String(words[1])
        return os.versionID == version || os.versionID.hasPrefix(version + ".")
    }

    func resources(_ parameters: CheckParameters, _ facts: HostFacts) -> Outcome {
        var parts: [String] = []
        var failed = false
        func note(_ ok: Bool, _ text: String) {
            failed = failed || !ok
            parts.append(text)
        }
        if let minimum = parameters.integer("min_memory_mb") {
            if let kb = facts.memoryKB {
                note(kb / 1024 >= minimum, "memory \(kb / 1024) MB" + (kb / 1024 >= minimum ? "" : " < \(minimum) MB required"))
            } else {
                note(false, Self.notGathered("memory size", facts))
            }
        }
        if let minimum = parameters.integer("min_cpus") {
            if let cpus = facts.cpuCount {
                note(cpus >= minimum, "\(cpus) CPU\(cpus == 1 ? "" : "s")" + (cpus >= minimum ? "" : " < \(minimum) required"))
            } else {
                note(false, Self.notGathered("CPU count", facts))
            }
        }
        for (path, minimum) in parameters.diskMinimums {
            switch facts.disk[path] {
            case .free(let kb, let checked)?:
                let at = checked == path ? path : "\(path) (at \(checked))"
                note(kb / 1024 >= minimum, "\(at) \(kb / 1024) MB free" + (kb / 1024 >= minimum ? "" : " < \(minimum) MB required"))
            case .unknown(let reason)?:
                note(false, "free space at \(path) unknown: \(reason)")
            case nil:
                note(false, Self.notGathered("free space at \(path)", facts))
            }
        }
        return (!failed, parts.joined(separator: ", "))
    }

    func dirWritable(_ parameters: CheckParameters, _ facts: HostFacts) -> Outcome {
        let test = ProbePlan.WriteTest(path: parameters.string("path") ?? "/root", user: parameters.string("user"))
        let who = test.user.map { " for \($0)" } ?? ""
        switch facts.writable[test.key] {
        case .writable?: return (true, "\(test.path) is writable\(who)")
        case .notWritable(let reason)?: return (false, "\(test.path) is not writable\(who): \(reason)")
        case nil: return (false, Self.notGathered("writability of \(test.path)", facts))
        }
    }

    func notCloud(_ facts: HostFacts) -> Outcome {
        guard let dmi = facts.dmi else {
            return facts.dmiChecked ? (true, "no DMI information") : (false, Self.notGathered("DMI information", facts))
        }
        let shown = [dmi.vendor, dmi.product].filter { !$0.isEmpty }.joined(separator: " ")
        if let cloud = Self.cloud(dmi) {
            return (false, "DMI says \(shown): a cloud VM (\(cloud)), whose network blocks the broadcasts UMS HA needs")
        }
        return (true, "DMI says \(shown)")
    }

    /// The cloud a DMI vendor/product pair gives away, if any.
    static func cloud(_ dmi: HostFacts.DMI) -> String? {
        let vendor = dmi.vendor.lowercased()
        let product = dmi.product.lowercased()
        if vendor.contains("amazon") || product.contains("amazon ec2") { return "AWS" }
        if vendor.contains("microsoft corporation") && product.contains("virtual machine") { return "Azure (or Hyper-V)" }
        if vendor.contains("google") || product.contains("google compute engine") { return "Google Cloud" }
        return nil
    }

    func bundle(_ parameters: CheckParameters) -> Outcome {
        let path = parameters.string("path") ?? ""
        switch controller.bundles[path] {
        case .present(let bundle)?:
            let version = bundle.version.map { "version \($0)" } ?? "version unknown (not named setup-igel-ums-linux_VERSION.bin)"
            return (true, "\(path): \(version), \(ByteCount.format(bundle.size)), sha256 \(bundle.sha256.prefix(12))…")
        case .missing?: return (false, "bundle \(path) not found on the controller")
        case .unusable(let reason)?: return (false, "bundle \(path) cannot be read: \(reason)")
        case nil: return (false, "bundle \(path) was not examined on the controller")
        }
    }
}
