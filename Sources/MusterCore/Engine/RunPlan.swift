import Foundation

/// Everything decided before any host is contacted: which hosts are targets and which
/// are references, each host's variables, each stage's hosts in order. Building it
/// checks every template of the playbook against every host's variables, so a typo is
/// bad input (exit 2) and not a half-done rollout.
public struct RunPlan: Sendable {
    public let playbook: Playbook
    public let targets: [String]
    public let references: [String]
    public let scopes: [String: HostScope]
    /// Each stage's hosts, in the order the stage takes them.
    public let stageHosts: [[String]]
    public let baseDirectory: String

    /// A controller-side path as the playbook means it: relative ones start at the
    /// playbook's directory (copy sources, fetch destinations, checked bundles and tokens).
    public func controllerPath(_ path: String) -> String {
        path.hasPrefix("/") ? path : baseDirectory + "/" + path
    }

    public static func make(
        playbook: Playbook, inventory: Inventory, limit: String? = nil, extraVars: [String: InventoryValue] = [:],
        only: Set<String>? = nil
    ) throws -> RunPlan {
        let baseDirectory = URL(fileURLWithPath: playbook.path).deletingLastPathComponent().path
        // Host patterns see play variables and -e only (host variables differ per host).
        let playScope = HostScope(host: "", inventory: [:], play: playbook.vars, extra: extraVars)
        func select(_ pattern: TemplateText, within: Set<String>? = nil) throws -> [String] {
            let text = try Renderer(scope: playScope).text(pattern)
            let selected: [InventoryHost]
            do { selected = try HostPattern(text).select(from: inventory) } catch let error as HostPatternError {
                throw pattern.position.error(error.message)
            }
            return selected.map(\.name).filter { within?.contains($0) ?? true }
        }
        var targets = try select(playbook.hosts)
        if let limit {
            let limited = Set(try HostPattern(limit).select(from: inventory).map(\.name))
            targets = targets.filter(limited.contains)
        }
        if let only { targets = targets.filter(only.contains) }  // --rerun / --resume
        guard !targets.isEmpty else {
            throw playbook.hosts.position.error(
                "no host matches '\(playbook.hosts.text)'" + (limit.map { " with --limit '\($0)'" } ?? "") + " in the inventory")
        }
        let targetSet = Set(targets)
        let references = try playbook.referenceHosts.map { try select($0).filter { !targetSet.contains($0) } } ?? []
        if let pattern = playbook.referenceHosts, references.isEmpty, try select(pattern).isEmpty {
            throw pattern.position.error("no host matches reference_hosts '\(pattern.text)' in the inventory")
        }
        let groups = InventoryValue.dict(
            InventoryDictionary(inventory.groups.keys.sorted().map { ($0, InventoryValue.list(inventory.hosts(inGroup: $0).map { .string($0.name) })) }))
        var scopes: [String: HostScope] = [:]
        for name in targets + references {
            guard let host = inventory.host(named: name) else { continue }
            var vars = host.vars
            vars["inventory_hostname"] = .string(name)
            vars["inventory_hostname_short"] = .string(String(name.prefix { $0 != "." }))
            vars["group_names"] = .list(host.groups.filter { $0 != "ungrouped" }.map { .string($0) })
            vars["groups"] = groups
            vars["playbook_dir"] = .string(baseDirectory)
            vars["play_hosts"] = .list(targets.map { .string($0) })
            vars["reference_hosts"] = .list(references.map { .string($0) })
            if vars["ansible_host"] == nil { vars["ansible_host"] = .string(name) }
            var scope = HostScope(host: name, inventory: vars, play: playbook.vars, extra: extraVars)
            if targetSet.contains(name) {
                try scope.resolveTemplates(positions: playbook.varPositions, source: playbook.path)
            } else {
                // A reference only renders check parameters (validated below); a play variable
                // it has no use for may refer to what only targets define.
                try? scope.resolveTemplates(positions: playbook.varPositions, source: playbook.path)
            }
            scopes[name] = scope
        }
        var stageHosts: [[String]] = []
        for stage in playbook.stages {
            var hosts = targets
            if let pattern = stage.hosts {
                let narrowed = Set(try select(pattern))
                hosts = hosts.filter(narrowed.contains)
            }
            stageHosts.append(
                BatchPlan.ordered(hosts, by: stage.order) { host, variable in
                    scopes[host]?.lookup(variable).map(\.description)
                })
        }
        try PlaybookValidation(playbook: playbook).check(
            scopes: targets.compactMap { scopes[$0] }, references: references.compactMap { scopes[$0] })
        return RunPlan(
            playbook: playbook, targets: targets, references: references, scopes: scopes, stageHosts: stageHosts, baseDirectory: baseDirectory)
    }
}
