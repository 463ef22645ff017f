import MusterCore
import Testing

/// Host patterns against one inventory; each selection, order included, was checked with
/// `ansible PATTERN --list-hosts` (ansible-core 2.19). `all` lists a group's own hosts first, then
/// its children's, level by level, which is why `all` does not start with `web1`.
@Suite struct HostPatternTests {
    let inventory = try! parseINI(
        """
        [web]
        web1
        web2
        web3.dc1
        [db]
        db1
        db2
        [dc1:children]
        web
        [dc2]
        db2
        web2
        [lb]
        lb-east.example.com
        [v6]
        ::1
        [db1]
        other
        """)

    func select(_ pattern: String) throws -> [String] {
        names(try HostPattern(pattern).select(from: inventory))
    }

    @Test(arguments: [
        ("all", ["db1", "db2", "web2", "lb-east.example.com", "::1", "other", "web1", "web3.dc1"]),
        ("*", ["db1", "db2", "web2", "lb-east.example.com", "::1", "other", "web1", "web3.dc1"]),
        ("web1", ["web1"]),
        ("web", ["web1", "web2", "web3.dc1"]),
        ("dc1", ["web1", "web2", "web3.dc1"]),
        ("::1", ["::1"]),
        ("ungrouped", []),
        ("nothing", []),
        ("WEB", []),
    ])
    func namesOfHostsAndGroups(pattern: String, expected: [String]) throws {
        #expect(try select(pattern) == expected)
    }

    @Test func aHostNameWinsOverAGroupOfTheSameName() throws {
        #expect(try select("db1") == ["db1"])
    }

    @Test(arguments: [
        ("web*", ["web1", "web2", "web3.dc1"]),
        ("*.dc1", ["web3.dc1"]),
        ("web?", ["web1", "web2"]),
        ("db[!1]", ["db2"]),
        ("web[ab]", []),
        ("dc*", ["web1", "web2", "web3.dc1", "db2"]),
        ("*east*", ["lb-east.example.com"]),
    ])
    func wildcardsMatchGroupsAndHosts(pattern: String, expected: [String]) throws {
        #expect(try select(pattern) == expected)
    }

    @Test(arguments: [
        ("~web", ["web1", "web2", "web3.dc1"]),
        ("~eb", []),
        ("~(web|db)1", ["other", "web1", "db1"]),
        (#"~.*\.com$"#, ["lb-east.example.com"]),
        (#"~web\d:db2"#, ["web1", "web2", "web3.dc1", "db2"]),
    ])
    func regularExpressionsAreAnchoredAtTheStartOnly(pattern: String, expected: [String]) throws {
        #expect(try select(pattern) == expected)
    }

    @Test(arguments: [
        ("web:db", ["web1", "web2", "web3.dc1", "db1", "db2"]),
        ("web,db", ["web1", "web2", "web3.dc1", "db1", "db2"]),
        ("db:web", ["db1", "db2", "web1", "web2", "web3.dc1"]),
        (" web1 , db1 ", ["web1", "db1"]),
        ("nothing:web1", ["web1"]),
        ("web:&dc2", ["web2"]),
        ("dc2:&web:&db", []),
        ("web:!dc2", ["web1", "web3.dc1"]),
        ("web:&dc2:!db", ["web2"]),
        ("&web", ["web2", "web1", "web3.dc1"]),
        ("!web", ["db1", "db2", "lb-east.example.com", "::1", "other"]),
    ])
    func unionsIntersectionsAndExclusions(pattern: String, expected: [String]) throws {
        #expect(try select(pattern) == expected)
    }

    @Test func unionsComeFirstThenIntersectionsThenExclusionsWhateverTheOrder() throws {
        #expect(try select("!dc2:web") == ["web1", "web3.dc1"])
        #expect(try select("&dc2:!db:web") == ["web2"])
        #expect(try select("!web2:web:db:&dc2") == ["db2"])
    }

    @Test(arguments: [
        ("web[0]", ["web1"]),
        ("web[-1]", ["web3.dc1"]),
        ("web[1:2]", ["web2", "web3.dc1"]),
        ("web[1:]", ["web2", "web3.dc1"]),
        ("web[0:99]", ["web1", "web2", "web3.dc1"]),
        ("web[5]", []),
        ("web[-4]", []),
        ("web[3:]", []),
        ("web[0]:db[-1]", ["web1", "db2"]),
        ("dc1[1]", ["web2"]),
        ("all[-1]", ["web3.dc1"]),
        ("web:!web[0]", ["web2", "web3.dc1"]),
    ])
    func subscriptsPickByPositionInAnsiblesOrder(pattern: String, expected: [String]) throws {
        #expect(try select(pattern) == expected)
    }

    @Test func aPatternIsParsedOnceAndReusable() throws {
        let pattern = try HostPattern("web:!web2")
        #expect(pattern.description == "web:!web2")
        #expect(names(pattern.select(from: inventory)) == ["web1", "web3.dc1"])
        let other = try parseINI("[web]\nweb2\nweb7")
        #expect(names(pattern.select(from: other)) == ["web7"])
    }

    @Test func patternsAndInventoriesAreSharedAcrossTasks() async throws {
        let pattern = try HostPattern("dc1:!web1")
        let inventory = self.inventory
        let selections = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask { names(pattern.select(from: inventory)) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(selections == Array(repeating: ["web2", "web3.dc1"], count: 8))
    }

    @Test(arguments: [
        ("", "host pattern '': the pattern is empty"),
        (" , ", "host pattern ' , ': the pattern is empty"),
        ("web[", "host pattern 'web[': unbalanced '[' in 'web['"),
        ("web[1:2:db", "host pattern 'web[1:2:db': unbalanced '[' in 'web[1:2:db'"),
        ("~", "host pattern '~': expected a regular expression after '~' in '~'"),
        ("!", "host pattern '!': expected a host, group or pattern after '!'"),
        ("web:&", "host pattern 'web:&': expected a host, group or pattern after '&'"),
    ])
    func malformedPatternsAreRefused(pattern: String, message: String) {
        #expect(throws: HostPatternError.self) { try HostPattern(pattern) }
        do {
            _ = try HostPattern(pattern)
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func aBadRegularExpressionIsRefusedWithTheReason() {
        #expect {
            try HostPattern("web:~web(")
        } throws: { error in
            "\(error)".hasPrefix("host pattern 'web:~web(': not a valid regular expression (")
                && "\(error)".hasSuffix(" in '~web('")
        }
    }

    @Test func anAddressWithAPortIsOnePatternAsInAnsible() throws {
        #expect(try select("web1:8080") == [])
        #expect(try select("web:db1") == ["web1", "web2", "web3.dc1", "db1"])
    }

    @Test func atFileReadsOnePatternPerLine() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("site.retry", "db2\n\n  web1  \n!dc2\n&web\n")
        #expect(try select("@\(file)") == ["web1"])
        #expect(try select("lb,@\(file)") == ["web1"], "the file's '&web' narrows the whole pattern")
        let colons = try directory.write("colons.retry", "web2:db1\n")
        #expect(try select("@\(colons)") == [], "a line is one pattern, not split at ':'")
    }

    @Test func atFileMustNameAFile() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: HostPatternError(pattern: "@/nonexistent", message: "no limit file '/nonexistent'")) {
            try HostPattern("@/nonexistent")
        }
        #expect(
            throws: HostPatternError(pattern: "@\(directory.path)", message: "'\(directory.path)' is a directory; '@' must name a file")
        ) {
            try HostPattern("@\(directory.path)")
        }
    }
}
