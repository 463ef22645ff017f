import Foundation
import MusterCore
import Testing

/// One folder of `Fixtures/parity`: inventory sources, optional `group_vars`/`host_vars`, and a
/// `parity.json` saying how to call `ansible-inventory` on them.
struct ParityCase: Decodable, Sendable, CustomTestStringConvertible {
    /// `-i` arguments, relative to the folder unless they are host lists.
    let sources: [String]
    /// `--playbook-dir`, whose `group_vars`/`host_vars` apply too.
    var playbookDir: String?
    /// Hosts to compare `--host` for.
    var hosts: [String] = []
    /// Groups to compare `--graph GROUP --vars` for, besides `all`.
    var graphGroups: [String] = []
    /// Whether to compare `--graph` without `--vars` too.
    var plainGraph = false
    var name = ""

    var testDescription: String { name }

    static let root = fixturePath("parity")

    static var all: [ParityCase] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.sorted().compactMap { name in
            let manifest = FileManager.default.contents(atPath: "\(root)/\(name)/parity.json") ?? Data()
            var parityCase = try? JSONDecoder().decode(ParityCase.self, from: manifest)
            parityCase?.name = name
            return parityCase
        }
    }

    var paths: [String] { sources.map { $0.contains(",") ? $0 : "\(Self.root)/\(name)/\($0)" } }
    var playbookPath: String? { playbookDir.map { "\(Self.root)/\(name)/\($0)" } }

    var ansibleArguments: [String] {
        paths.flatMap { ["-i", $0] } + (playbookPath.map { ["--playbook-dir", $0] } ?? [])
    }

    func load() throws -> Inventory {
        try InventorySource.load(paths, extraVarsDirectories: playbookPath.map { [$0] } ?? [])
    }

    private enum CodingKeys: String, CodingKey {
        case sources, playbookDir, hosts, graphGroups, plainGraph
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sources = try container.decode([String].self, forKey: .sources)
        playbookDir = try container.decodeIfPresent(String.self, forKey: .playbookDir)
        hosts = try container.decodeIfPresent([String].self, forKey: .hosts) ?? []
        graphGroups = try container.decodeIfPresent([String].self, forKey: .graphGroups) ?? []
        plainGraph = try container.decodeIfPresent(Bool.self, forKey: .plainGraph) ?? false
    }
}

/// Each corpus case loaded by Muster and by the real `ansible-inventory`, compared view by view:
/// `--list` and `--host` as JSON data (types included), `--graph` byte for byte.
@Suite struct AnsibleParityTests {
    @Test func theCorpusIsThere() {
        #expect(ParityCase.all.count >= 10)
    }

    @Test(arguments: ParityCase.all)
    func matchesAnsibleInventory(_ parityCase: ParityCase) async throws {
        guard let ansible = AnsibleInventoryCLI.fromEnvironment() else {
            Issue.record(
                "\(AnsibleInventoryCLI.environmentVariable) is not set: run scripts/test, which installs ansible-core and sets it"
            )
            return
        }
        let inventory = try parityCase.load()
        let arguments = parityCase.ansibleArguments
        try await withThrowingTaskGroup(of: Void.self) { comparisons in
            comparisons.addTask {
                let expected = withoutProfile(try JSONReader.parse(await ansible.run(arguments + ["--list"])))
                #expect(try JSONReader.parse(InventoryViews.list(inventory)) == expected, "--list")
            }
            for group in [InventoryGroup.all] + parityCase.graphGroups {
                comparisons.addTask {
                    let expected = try await ansible.run(arguments + ["--graph", group, "--vars"])
                    #expect(try InventoryViews.graph(inventory, group: group, showVars: true) + "\n" == expected, "--graph \(group) --vars")
                }
            }
            if parityCase.plainGraph {
                comparisons.addTask {
                    let expected = try await ansible.run(arguments + ["--graph"])
                    #expect(try InventoryViews.graph(inventory) + "\n" == expected, "--graph")
                }
            }
            for host in parityCase.hosts {
                comparisons.addTask {
                    let expected = try JSONReader.parse(await ansible.run(arguments + ["--host", host]))
                    #expect(try JSONReader.parse(InventoryViews.host(inventory, name: host)) == expected, "--host \(host)")
                }
            }
            try await comparisons.waitForAll()
        }
    }
}
