/// What the probe gathers on one host: only what that host's checks need, given its role.
///
/// Lists are indexed: the script reports `df.0`, `w.1`, `tcp.2`, and `parse` maps the
/// index back, so paths and host names never have to be escaped into keys.
struct ProbePlan: Sendable, Hashable {
    struct WriteTest: Sendable, Hashable {
        var path: String
        var user: String?
        /// How HostFacts.writable is keyed: the path, or `user@path`.
        var key: String { user.map { "\($0)@\(path)" } ?? path }
    }

    var os = false
    var memory = false
    var cpus = false
    var clock = false
    var dmi = false
    var interfaces = false
    var sshAddress = false
    var diskPaths: [String] = []
    var writeTests: [WriteTest] = []
    var versionFiles: [String] = []
    var tokenFiles: [String] = []
    var connections: [PortTarget] = []
    /// Fleet facts (`muster facts`) beyond what checks need.
    var identity = false
    var services: [String] = []

    /// Everything `muster facts` reports, in the same single round trip.
    init(factsAt diskPaths: [String], versionFile: String, services: [String]) {
        os = true
        memory = true
        cpus = true
        clock = true
        interfaces = true
        sshAddress = true
        identity = true
        self.diskPaths = diskPaths
        versionFiles = [versionFile]
        self.services = services
    }

    init(checks: [CheckSpec], role: HostRole, references: [PreflightHost]) {
        for check in checks {
            let parameters = CheckParameters(kind: check.kind, values: check.parameters)
            switch (check.kind, role) {
            case (.sshReachable, _), (.bundle, _):
                break
            case (.clockSkew, _):
                clock = true
            case (.sameSubnet, .target):
                interfaces = true
                sshAddress = true
            case (.sameSubnet, .reference):
                sshAddress = true
            case (.sameVersion, .reference):
                Self.add(parameters.string("reference_version_file") ?? CheckParameters.defaultVersionFile, to: &versionFiles)
            case (.token, .reference):
                Self.add(parameters.string("remote_file") ?? CheckParameters.defaultTokenFile, to: &tokenFiles)
            case (.sameVersion, .target), (.token, .target):
                break
            case (_, .reference):
                break
            case (.osSupported, .target):
                os = true
            case (.resources, .target):
                memory = memory || parameters.values["min_memory_mb"] != nil
                cpus = cpus || parameters.values["min_cpus"] != nil
                for (path, _) in parameters.diskMinimums { Self.add(path, to: &diskPaths) }
            case (.dirWritable, .target):
                let test = WriteTest(path: parameters.string("path") ?? "/root", user: parameters.string("user"))
                if !writeTests.contains(test) { writeTests.append(test) }
            case (.notCloud, .target):
                dmi = true
            case (.portReachable, .target):
                for target in PortTarget.list(for: parameters, references: references) where !connections.contains(target) {
                    connections.append(target)
                }
            }
        }
    }

    private static func add(_ path: String, to list: inout [String]) {
        if !list.contains(path) { list.append(path) }
    }
}
