import Foundation

/// An IGEL UMS HA network on the playbook testbed: the stand-in database on .250, a
/// first server installed by hand on host001 (as an operator would have), installers
/// for the network's version and for another one, and the network token on the
/// controller. Set up once per test process; tests join other hosts to it.
struct UMSNetwork: Sendable {
    static let version = "12.07.100"
    static let otherVersion = "12.08.100"
    let testbed: Testbed
    /// Tells networks on one testbed apart (database, bundles, secrets).
    let name: String
    let firstServer: String
    /// Where the stand-in database listens (port 5432): an address on the controller
    /// that every member can reach.
    let databaseHost: String

    var database: String { testbed.directory + "-db" + (name == "main" ? "" : "-" + name) }
    var listen: String { "\(databaseHost):5432" }
    var bundles: String { testbed.directory + "/bundles-\(name)" }
    var otherBundles: String { testbed.directory + "/bundles-\(name)-other" }
    var token: String { testbed.directory + "/secrets-\(name)/IGEL-Network.token" }
    static var joinPlaybook: String { Testbed.packageRoot.path + "/playbooks/ums-ha-join.yml" }
    static var upgradePlaybook: String { Testbed.packageRoot.path + "/playbooks/ums-ha-upgrade.yml" }

    /// The network the join tests add members to: first server host001.
    static let shared = Task {
        try await UMSNetwork.make(UMSNetwork(testbed: Testbed.playbooks, name: "main", firstServer: "host001", databaseHost: "127.0.\(Testbed.playbooks.net).250"))
    }
    /// A network of its own for the upgrade test (it moves its network to another version).
    static let upgrade = Task {
        try await UMSNetwork.make(UMSNetwork(testbed: Testbed.playbooks, name: "upgrade", firstServer: "host017", databaseHost: "127.0.\(Testbed.playbooks.net).251"))
    }

    static func make(_ network: UMSNetwork) async throws -> UMSNetwork {
        let testbed = network.testbed
        try await network.script("ums-standin-db", ["stop", "--dir", network.database], mayFail: true)
        try? FileManager.default.removeItem(atPath: network.database)
        try await network.script("ums-standin-db", ["start", "--dir", network.database, "--listen", network.listen])
        try await network.script("make-ums-installer", [version, network.bundles, "--db", network.listen])
        try await network.script("make-ums-installer", [otherVersion, network.otherBundles, "--db", network.listen])
        let first = network.firstServer
        try await testbed.heal(first)
        let installer = "setup-igel-ums-linux_\(version).bin"
        let hostRoot = testbed.rootDirectory(of: first)
        try? FileManager.default.removeItem(atPath: hostRoot + "/" + installer)
        try FileManager.default.copyItem(atPath: network.bundles + "/" + installer, toPath: hostRoot + "/" + installer)
        // A fresh first server: uninstall whatever an earlier run left, then answer the wizard
        // (license, info, path, server, requirements, data dir, create the token, shortcuts, start, close).
        _ = await Testbed.run("/bin/sh", ["-c", "\(Testbed.packageRoot.path)/scripts/testbed exec \(first) --dir \(testbed.directory) -- /root/\(installer) --uninstall --purge"])
        let install = await Testbed.run(
            "/bin/sh",
            ["-c", "printf 'y\\n\\n\\n1\\ny\\n\\ny\\n\\ny\\n\\n' | \(Testbed.packageRoot.path)/scripts/testbed exec \(first) --dir \(testbed.directory) -- /root/\(installer)"])
        guard install.status == 0 else { throw Testbed.Failure(description: "first server install failed: \(install.output)\(install.stderr)") }
        try FileManager.default.createDirectory(
            atPath: (network.token as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: network.token)
        try FileManager.default.copyItem(atPath: hostRoot + "/IGEL-Network.token", toPath: network.token)
        chmod(network.token, 0o600)
        return network
    }

    @discardableResult
    func script(_ name: String, _ arguments: [String], mayFail: Bool = false) async throws -> Testbed.ProcessResult {
        let result = await Testbed.run(Testbed.packageRoot.path + "/scripts/" + name, arguments)
        if result.status != 0, !mayFail {
            throw Testbed.Failure(description: "\(name) \(arguments.joined(separator: " ")) failed: \(result.output)\(result.stderr)")
        }
        return result
    }

    /// Whether the database lists `host` as a member.
    func isMember(_ host: String) async throws -> Bool {
        try await script("ums-standin-db", ["member", host, "--dir", database], mayFail: true).status == 0
    }

    /// An inventory of this testbed in which `members` are the hosts to add; `hostVars`
    /// adds YAML flow-mapping entries to a member's line (say, its jump host).
    func inventory(
        members: [String], components: [String: String] = [:], hostVars: [String: String] = [:], firstServerVars: String? = nil,
        name: String
    ) throws -> String {
        var lines = [
            "all:", "  vars:", "    ansible_user: root",
            "    ansible_ssh_private_key_file: \(testbed.key("id_ed25519"))",
            "    ansible_ssh_common_args: -o UserKnownHostsFile=\(testbed.knownHosts)",
            "    ums_version: \"\(Self.version)\"", "    ums_db_host: \(databaseHost)", "    ums_db_port: 5432",
            "  children:", "    ums_first:", "      hosts:", "        \(firstServer): {ansible_host: \(testbed.address(of: firstServer))\(firstServerVars.map { ", \($0)" } ?? "")}",
            "    ums_new:", "      hosts:",
        ]
        for host in members {
            let role = components[host].map { ", ums_components: \($0)" } ?? ""
            let extra = hostVars[host].map { ", \($0)" } ?? ""
            lines.append("        \(host): {ansible_host: \(testbed.address(of: host))\(role)\(extra)}")
        }
        // The groups the upgrade playbook takes: servers (the first server first) and load balancers.
        let servers = [firstServer] + members.filter { components[$0] != "load_balancer" }
        let balancers = members.filter { ["load_balancer", "both"].contains(components[$0]) }
        lines += ["    ums_servers:", "      hosts:"] + servers.map { "        \($0):" }
        if !balancers.isEmpty { lines += ["    ums_load_balancers:", "      hosts:"] + balancers.map { "        \($0):" } }
        let path = testbed.directory + "/inventory-\(name).yml"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs the join playbook with this network's bundle and token unless told otherwise.
    func join(inventory: String, bundles: String? = nil, token: String? = nil, _ extra: [String] = []) async -> Testbed.ProcessResult {
        await Testbed.muster(
            ["run", Self.joinPlaybook, "-i", inventory, "-e", "ums_bundle_dir=\(bundles ?? self.bundles)", "-e", "ums_token_file=\(token ?? self.token)"]
                + extra)
    }

    /// Every file and directory under the hosts' /root and /opt, with sizes, to show that
    /// a run changed nothing.
    func listing(_ hosts: [String]) -> [String] {
        var entries: [String] = []
        for host in hosts {
            for base in [testbed.rootDirectory(of: host), testbed.optDirectory(of: host)] {
                let enumerator = FileManager.default.enumerator(atPath: base)
                while let path = enumerator?.nextObject() as? String {
                    let size = (try? FileManager.default.attributesOfItem(atPath: base + "/" + path)[.size] as? Int) ?? -1
                    entries.append("\(base)/\(path) \(size)")
                }
            }
        }
        return entries.sorted()
    }
}
