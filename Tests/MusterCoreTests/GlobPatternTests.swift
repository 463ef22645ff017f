import Testing

@testable import MusterCore

/// Globs follow Python's fnmatch, which Ansible uses for host patterns.
@Suite struct GlobPatternTests {
    @Test(arguments: [
        ("web*", "web", true), ("web*", "web12", true), ("web*", "db1", false),
        ("*a*b", "xaYaZb", true), ("*a*b", "xaYaZbc", false), ("a*b*c", "abbbc", true),
        ("?", "x", true), ("?", "", false), ("??", "é1", true),
        ("db[12]", "db2", true), ("db[12]", "db3", false), ("db[!12]", "db3", true), ("db[!12]", "db1", false),
        ("n[a-c]x", "nbx", true), ("n[a-c]x", "ndx", false), ("n[a-]", "n-", true),
        ("x[]]", "x]", true), ("x[!]]", "xa", true), ("WEB", "web", false), ("a.b", "a.b", true), ("a.b", "axb", false),
    ])
    func matchesWholeNames(glob: String, name: String, matches: Bool) throws {
        #expect(try GlobPattern(glob).matches(name) == matches)
    }

    @Test func onlyGlobsWithoutWildcardsAreLiteral() throws {
        #expect(try GlobPattern("web1.dc1").literal == "web1.dc1")
        #expect(try GlobPattern("web*").literal == nil)
        #expect(try GlobPattern("web[1]x").literal == nil)
    }

    @Test(arguments: ["web[", "web[!", "x[]"])
    func anUnclosedSetIsRefused(glob: String) {
        #expect(throws: InventoryParseFailure.self) { try GlobPattern(glob) }
    }
}
