import Foundation
import Testing

@testable import MusterCore

/// A small fleet for evaluator tests: targets and references with hand-made facts.
struct PreflightFleet {
    var observations: [PreflightObservation] = []
    var controller = ControllerFacts()

    mutating func add(_ name: String, _ role: HostRole = .target, address: String? = nil, checks: [CheckSpec], facts: HostFacts?) {
        let outcome: PreflightObservation.Outcome = facts.map { .facts($0) } ?? .unreachable("\(name): connection refused")
        observations.append(.init(host: .init(name: name, address: address ?? name, role: role), checks: checks, outcome: outcome))
    }

    func results(_ host: String) -> [CheckResult] {
        PreflightEvaluator.evaluate(observations, controller: controller)[host] ?? []
    }

    /// The only result of a host that has one check.
    func result(_ host: String) -> CheckResult { results(host)[0] }
}

func check(_ kind: CheckKind, _ parameters: [String: InventoryValue] = [:], severity: CheckSeverity = .error) -> CheckSpec {
    CheckSpec(name: kind.rawValue, kind: kind, severity: severity, parameters: parameters)
}

/// Checks that look at one host's own facts, and parameter validation.
@Suite struct PreflightEvaluatorTests {
    func evaluate(_ check: CheckSpec, _ facts: HostFacts?, controller: ControllerFacts = .init()) -> CheckResult {
        var fleet = PreflightFleet(controller: controller)
        fleet.add("t1", checks: [check], facts: facts)
        return fleet.result("t1")
    }

    @Test func sshReachableAndUnreachableHosts() {
        var facts = HostFacts()
        facts.roundTrip = 0.123
        #expect(evaluate(check(.sshReachable), facts).message == "reached; the probe took 0.1 s")
        var fleet = PreflightFleet()
        fleet.add("t1", checks: [check(.sshReachable), check(.notCloud, severity: .warning)], facts: nil)
        let results = fleet.results("t1")
        #expect(results.map(\.status) == [.failed, .failed])
        #expect(results[0].message == "t1: connection refused" && results[0].blocks)
        #expect(results[1].message == "not checked: the host was not reached" && !results[1].blocks)
    }

    @Test func osSupportedMatchesIDAndVersionPrefix() {
        let allowed: InventoryValue = ["ubuntu 22.04", "rhel 8", "debian"]
        var facts = HostFacts()
        for (id, version, passes) in [
            ("ubuntu", "22.04", true), ("ubuntu", "20.04", false), ("rhel", "8.9", true), ("rhel", "80", false),
            ("debian", "12", true), ("RHEL", "8", true),
        ] {
            facts.os = .init(id: id, versionID: version, prettyName: "")
            #expect(evaluate(check(.osSupported, ["allowed": allowed]), facts).status == (passes ? .passed : .failed), "\(id) \(version)")
        }
        facts.os = .init(id: "ubuntu", versionID: "20.04", prettyName: "Ubuntu 20.04.6 LTS")
        #expect(
            evaluate(check(.osSupported, ["allowed": allowed]), facts).message
                == "Ubuntu 20.04.6 LTS (ubuntu 20.04) is not supported (allowed: ubuntu 22.04, rhel 8, debian)")
        #expect(evaluate(check(.osSupported, ["allowed": allowed]), HostFacts()).message == "/etc/os-release not gathered")
    }

    @Test func resources() {
        var facts = HostFacts()
        facts.memoryKB = 2_000_000
        facts.cpuCount = 1
        facts.disk = ["/opt/IGEL": .free(kilobytes: 20_480_000, checkedPath: "/opt"), "/srv": .unknown("Input/output error")]
        let passing = evaluate(check(.resources, ["min_memory_mb": 1024, "min_cpus": "1", "disk": ["/opt/IGEL": 10000]]), facts)
        #expect(passing.status == .passed)
        #expect(passing.message == "memory 1953 MB, 1 CPU, /opt/IGEL (at /opt) 20000 MB free")
        let failing = evaluate(check(.resources, ["min_memory_mb": 4096, "min_cpus": 2, "disk": ["/srv": 1]]), facts)
        #expect(failing.status == .failed)
        #expect(failing.message == "memory 1953 MB < 4096 MB required, 1 CPU < 2 required, free space at /srv unknown: Input/output error")
    }

    @Test func dirWritable() {
        var facts = HostFacts()
        facts.writable = ["/root": .notWritable("Read-only file system"), "ums@/data": .writable]
        #expect(evaluate(check(.dirWritable), facts).message == "/root is not writable: Read-only file system")
        let forUser = evaluate(check(.dirWritable, ["path": "/data", "user": "ums"]), facts)
        #expect(forUser.status == .passed && forUser.message == "/data is writable for ums")
        facts.probeProblem = "the probe script did not finish (exit status 1)"
        #expect(
            evaluate(check(.dirWritable, ["path": "/x"]), facts).message
                == "writability of /x not gathered: the probe script did not finish (exit status 1)")
    }

    @Test func notCloud() {
        var facts = HostFacts()
        facts.dmiChecked = true
        #expect(evaluate(check(.notCloud), facts).message == "no DMI information")
        #expect(evaluate(check(.notCloud), facts).status == .passed)
        for (vendor, product, cloud) in [
            ("Amazon EC2", "t3.large", "AWS"), ("Microsoft Corporation", "Virtual Machine", "Azure (or Hyper-V)"),
            ("Google", "Google Compute Engine", "Google Cloud"),
        ] {
            facts.dmi = .init(vendor: vendor, product: product)
            let result = evaluate(check(.notCloud), facts)
            #expect(result.status == .failed)
            #expect(
                result.message == "DMI says \(vendor) \(product): a cloud VM (\(cloud)), whose network blocks the broadcasts UMS HA needs")
        }
        facts.dmi = .init(vendor: "Dell Inc.", product: "PowerEdge R650")
        #expect(evaluate(check(.notCloud), facts).status == .passed)
        #expect(evaluate(check(.notCloud), HostFacts()).status == .failed, "not gathered is not a pass")
    }

    @Test func bundleFromControllerFacts() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("setup-igel-ums-linux_12.07.100.bin", Data(repeating: 7, count: 2048))
        let controller = ControllerFacts.gather(for: [check(.bundle, ["path": .string(path)])])
        let result = evaluate(check(.bundle, ["path": .string(path)]), HostFacts(), controller: controller)
        guard case .present(let bundle)? = controller.bundles[path] else {
            Issue.record("no bundle facts")
            return
        }
        #expect(result.status == .passed)
        #expect(result.message == "\(path): version 12.07.100, 2.0 KiB, sha256 \(bundle.sha256.prefix(12))…")
        let missing = directory.path + "/setup-igel-ums-linux_1.bin"
        let absent = ControllerFacts.gather(for: [check(.bundle, ["path": .string(missing)])])
        #expect(
            evaluate(check(.bundle, ["path": .string(missing)]), HostFacts(), controller: absent).message
                == "bundle \(missing) not found on the controller")
        #expect(ControllerFacts.version(fromBundleName: "/x/setup-igel-ums-linux_6.10.120.bin") == "6.10.120")
        #expect(ControllerFacts.version(fromBundleName: "/x/ums.bin") == nil)
    }

    @Test func parameterValidationNamesTheParameter() {
        func messages(_ kind: CheckKind, _ parameters: [String: InventoryValue]) -> [String] {
            PreflightEvaluator.validate(kind: kind, parameters: parameters).map(\.message)
        }
        #expect(messages(.clockSkew, [:]).isEmpty)
        #expect(messages(.clockSkew, ["max_seconds": "{{ skew }}"]).isEmpty, "templates are checked after rendering")
        #expect(messages(.clockSkew, ["max_seconds": "90"]).isEmpty)
        #expect(messages(.clockSkew, ["max_second": 60]) == ["unknown parameter 'max_second' for clock_skew (known: max_seconds)"])
        #expect(
            messages(.clockSkew, ["max_seconds": true]) == ["parameter 'max_seconds' of clock_skew must be a number, not the boolean true"])
        #expect(messages(.notCloud, ["x": 1]) == ["unknown parameter 'x' for not_cloud (it takes none)"])
        #expect(messages(.osSupported, [:]) == ["os_supported needs the parameter 'allowed'"])
        #expect(
            messages(.osSupported, ["allowed": "ubuntu"]) == ["parameter 'allowed' of os_supported must be a list of strings, not a string"]
        )
        #expect(messages(.resources, ["min_cpus": 1.5]) == ["parameter 'min_cpus' of resources must be an integer, not the number 1.5"])
        #expect(messages(.resources, ["disk": ["opt": 1]]) == ["parameter 'disk' of resources holds 'opt': not an absolute path"])
        #expect(messages(.resources, [:]) == ["resources needs at least one of min_memory_mb, min_cpus, disk"])
        #expect(messages(.dirWritable, ["path": "root"]) == ["parameter 'path' of dir_writable must be an absolute path, not 'root'"])
        #expect(
            messages(.portReachable, ["ports": [61616, 70000]]) == [
                "parameter 'ports' of port_reachable holds the number 70000: not a port (1-65535)"
            ])
        #expect(
            messages(.portReachable, ["targets": ["db"]]) == [
                "parameter 'targets' of port_reachable holds the string 'db': not \"host:port\""
            ])
        #expect(messages(.portReachable, [:]).count == 1)
        #expect(messages(.token, ["remote_file": "/root/t"]) == ["token needs the parameter 'file'"])
        let error = PreflightEvaluator.validate(kind: .bundle, parameters: ["path": 1])[0]
        #expect(error.parameter == "path")
        // Invalid rendered parameters fail the check instead of crashing it.
        #expect(
            evaluate(check(.clockSkew, ["max_seconds": -1]), HostFacts()).message
                == "invalid parameters: parameter 'max_seconds' of clock_skew must be greater than 0")
    }
}
