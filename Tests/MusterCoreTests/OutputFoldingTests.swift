import MusterCore
import Testing

@Suite struct OutputFoldingTests {
    /// What a fleet command produces per host; identical results should print once.
    struct CommandResult: Hashable, Sendable {
        let stdout: String
        let stderr: String
        let exitStatus: Int32
    }

    @Test func identicalResultsShareAGroupInOrderOfFirstAppearance() {
        let ok = CommandResult(stdout: "6.1.0\n", stderr: "", exitStatus: 0)
        let old = CommandResult(stdout: "5.10.0\n", stderr: "", exitStatus: 0)
        let failed = CommandResult(stdout: "", stderr: "uname: not found\n", exitStatus: 127)
        let groups = OutputFolding.fold([
            (host: "web2", key: ok), (host: "web1", key: old), (host: "web3", key: ok),
            (host: "db1", key: failed), (host: "web4", key: ok),
        ])
        #expect(
            groups == [
                FoldedGroup(key: ok, hosts: ["web2", "web3", "web4"]),
                FoldedGroup(key: old, hosts: ["web1"]),
                FoldedGroup(key: failed, hosts: ["db1"]),
            ])
        #expect(groups.map { NodeSet.fold($0.hosts) } == ["web[2-4]", "web1", "db1"])
    }

    @Test func resultsThatDifferOnlyInExitStatusStayApart() {
        let groups = OutputFolding.fold([
            (host: "a", key: CommandResult(stdout: "x", stderr: "", exitStatus: 0)),
            (host: "b", key: CommandResult(stdout: "x", stderr: "", exitStatus: 1)),
        ])
        #expect(groups.map(\.hosts) == [["a"], ["b"]])
    }

    @Test func nothingFoldsToNoGroups() {
        #expect(OutputFolding.fold([(host: String, key: String)]()).isEmpty)
    }

    @Test func aHostListedTwiceAppearsTwice() {
        #expect(
            OutputFolding.fold([(host: "a", key: 1), (host: "a", key: 1)]) == [FoldedGroup(key: 1, hosts: ["a", "a"])])
    }
}
