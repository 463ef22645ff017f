import MusterCore
import Testing

/// Each expected string is what ClusterShell 1.9's `nodeset -f` prints for the same names.
@Suite struct NodeSetTests {
    @Test(arguments: [
        (["host001", "host002", "host003", "host005", "web1"], "host[001-003,005],web1"),
        (["h1", "h2", "h3", "h5", "h10"], "h[1-3,5,10]"),
        (["h10", "h2", "h1", "h3"], "h[1-3,10]"),
        (["n9", "n10", "n099", "n100"], "n[9-10,099-100]"),
        (["x1", "x01"], "x[1,01]"),
        (["web001", "web01", "web1", "web2"], "web[1-2,01,001]"),
        (["web01.dc1", "web02.dc1", "web03.dc2"], "web[01-02].dc1,web03.dc2"),
        (["rack1-node01", "rack1-node02", "rack2-node01"], "rack1-node[01-02],rack2-node01"),
        (["a1b2", "a1b3", "a2b2"], "a1b[2-3],a2b2"),
        (["alpha", "alpha", "beta"], "alpha,beta"),
        (["node-1", "node-2", "Node-3"], "Node-3,node-[1-2]"),
        (["10", "11", "12", "1.2.3.4"], "[10-12],1.2.3.4"),
        (["web"], "web"),
        (["web7"], "web7"),
        (["web", "web1", "web2"], "web,web[1-2]"),
        (["db1", "db1", "db2"], "db[1-2]"),
    ])
    func foldsLikeClusterShell(names: [String], folded: String) {
        #expect(NodeSet.fold(names) == folded)
    }

    @Test func anEmptyListFoldsToNothing() {
        #expect(NodeSet.fold([]) == "")
    }

    @Test func digitRunsTooLongForAnIntStillFold() {
        let huge = "n" + String(repeating: "9", count: 30)
        #expect(NodeSet.fold(["n1", huge, "n2"]) == "n[1-2,\(String(repeating: "9", count: 30))]")
    }

    @Test func unicodeNamesFoldOnTheirDigits() {
        #expect(NodeSet.fold(["zürich-01", "zürich-02", "genève-1"]) == "genève-1,zürich-[01-02]")
    }
}
