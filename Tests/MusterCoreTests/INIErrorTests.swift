import MusterCore
import Testing

/// Every INI error names the file, line and column to fix, and says what was expected.
@Suite struct INIErrorTests {
    @Test func theMessageFromTheBriefReadsAsPromised() {
        let text = Array(repeating: "# filler", count: 11).joined(separator: "\n") + "\n[webdb server]"
        #expect(
            iniError(text, path: "inventories/dc.ini")
                == "inventories/dc.ini:12:7: expected ']' to close the group name")
    }

    @Test(arguments: [
        ("[web", "test.ini:1:5: expected ']' to close the group name"),
        ("  [web # comment", "test.ini:1:7: expected ']' to close the group name"),
        ("[]", "test.ini:1:2: expected a group name after '['"),
        ("[:vars]", "test.ini:1:2: expected a group name after '['"),
        (
            "[web:foo]",
            "test.ini:1:6: unknown section type 'foo'; sections are [group], [group:vars] or [group:children]"
        ),
        (
            "[web:]",
            "test.ini:1:6: expected 'vars' or 'children' after ':'; sections are [group], [group:vars] or [group:children]"
        ),
        ("[web:vars", "test.ini:1:10: expected ']' to close the section header"),
        ("[web] junk", "test.ini:1:7: unexpected text after the section header"),
        ("[web]x", "test.ini:1:6: unexpected text after the section header"),
    ])
    func sectionHeaders(text: String, message: String) {
        #expect(iniError(text) == message)
    }

    @Test(arguments: [
        ("h1 a=1 b", "test.ini:2:8: expected key=value after the host, got 'b'"),
        (
            "h1 a=1 ; note",
            "test.ini:2:8: expected key=value after the host, got ';' (after a host, only '#' starts a comment)"
        ),
        ("h1 =5", "test.ini:2:4: expected a variable name before '='"),
        ("h1 a=\"open", "test.ini:2:6: no closing \" for the quote opened here"),
        ("  h1 a='open", "test.ini:2:8: no closing ' for the quote opened here"),
        ("h1 a=x\\", "test.ini:2:7: nothing after '\\' to escape"),
        ("''", "test.ini:2:1: expected a host name"),
    ])
    func hostLines(line: String, message: String) {
        #expect(iniError("[web]\n\(line)") == message)
    }

    @Test(arguments: [
        ("h1:notaport", "test.ini:2:4: port must be a number from 1 to 65535"),
        ("h1:99999", "test.ini:2:4: port must be a number from 1 to 65535"),
        ("h1:0", "test.ini:2:4: port must be a number from 1 to 65535"),
        ("h1:", "test.ini:2:4: port must be a number from 1 to 65535"),
        (":22", "test.ini:2:1: expected a host name before ':'"),
        ("[::1]x", "test.ini:2:6: expected ':' and a port after ']'"),
        (
            "a:b:c",
            "test.ini:2:1: too many ':' for host:port and not an IPv6 address (write an IPv6 address with a port as [::1]:22)"
        ),
    ])
    func hostPorts(line: String, message: String) {
        #expect(iniError("[web]\n\(line)") == message)
    }

    @Test(arguments: [
        ("web[1:3", "test.ini:2:8: expected ']' to close the host range"),
        ("web[3:1]", "test.ini:2:4: the host range [3:1] expands to no hosts"),
        ("web[c:a]", "test.ini:2:4: the host range [c:a] expands to no hosts"),
        ("web[01:3]", "test.ini:2:4: a zero-padded host range needs bounds of the same width, as in [01:10]"),
        ("web[1-3]", "test.ini:2:4: a host range is written [start:end] or [start:end:step]"),
        ("web[1:2:3:4]", "test.ini:2:4: a host range is written [start:end] or [start:end:step]"),
        ("web[a:3]", "test.ini:2:4: host range bounds must be both numbers or both single letters"),
        ("web[1:5:0]", "test.ini:2:4: the step of a host range must be a whole number above 0"),
        ("web[1:5:x]", "test.ini:2:4: the step of a host range must be a whole number above 0"),
        ("web[1:]", "test.ini:2:4: the host range [1:] needs an end, as in [1:9]"),
        ("web]", "test.ini:2:4: unexpected ']' without '['"),
        ("  n[1:2]x[5:4]", "test.ini:2:10: the host range [5:4] expands to no hosts"),
        ("web[1:2]:70000", "test.ini:2:10: port must be a number from 1 to 65535"),
    ])
    func hostRanges(line: String, message: String) {
        #expect(iniError("[web]\n\(line)") == message)
    }

    @Test func variableAndChildLines() {
        #expect(iniError("[web:vars]\nno_equals_here") == "test.ini:2:1: expected key=value in [web:vars]")
        #expect(iniError("[web]\n[web:vars]\n  =5") == "test.ini:3:3: expected a variable name before '='")
        #expect(iniError("[web:children]\n a b") == "test.ini:2:4: expected one group name per line in [web:children]")
        #expect(iniError("[web:children]\n:x") == "test.ini:2:1: expected a group name")
    }

    @Test func aChildGroupThatIsNeverDefinedIsAnErrorAsInAnsible() {
        let text = """
            [web]
            web1
            [dc1:children]
            web
              ghost
            """
        #expect(iniError(text) == "test.ini:5:3: group 'ghost' in [dc1:children] is not defined; add a [ghost] section")
    }

    @Test func varsForAGroupThatIsNeverDefinedAreAnErrorAsInAnsible() {
        let text = """
            [web]
            web1
            [ghost:vars]
            a=1
            """
        #expect(
            iniError(text)
                == "test.ini:3:2: [ghost:vars] is for group 'ghost', which is not defined; add a [ghost] section")
    }

    @Test func theEarliestUndefinedGroupIsReported() {
        let text = """
            [early:vars]
            a=1
            [p:children]
            late
            """
        #expect(
            iniError(text)
                == "test.ini:1:2: [early:vars] is for group 'early', which is not defined; add a [early] section")
    }

    @Test func cyclesInChildrenAreReportedWhereTheyClose() {
        let text = """
            [a:children]
            b
            [b:children]
            c
            [c:children]
            a
            """
        #expect(iniError(text) == "test.ini:6:1: making 'a' a child of 'c' creates a cycle: c > a > b > c")
        #expect(iniError("[a:children]\na") == "test.ini:2:1: making 'a' a child of 'a' creates a cycle: a > a")
        #expect(
            iniError("[a:children]\nall") == "test.ini:2:1: making 'all' a child of 'a' creates a cycle: a > all > a")
    }

    @Test func lineNumbersCountCommentsAndBlankLines() {
        #expect(iniError("# one\n\n; three\n[web]\nweb1:x") == "test.ini:5:6: port must be a number from 1 to 65535")
    }
}
