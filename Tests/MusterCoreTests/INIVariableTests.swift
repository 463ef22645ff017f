import MusterCore
import Testing

/// How INI variables are typed and merged; each expectation was checked with ansible-inventory 2.19.
@Suite struct INIVariableTests {
    @Test func inlineHostValuesAreTypedAfterShellQuotesAreRemoved() throws {
        let inventory = try parseINI(
            """
            h1 port=22 ratio=0.5 on=True off=False nothing=None word=yes lower=true padded=0022 quoted="7" kept="'7'"
            """)
        #expect(
            inventory.host(named: "h1")?.vars == [
                "port": 22, "ratio": 0.5, "on": true, "off": false, "nothing": .null, "word": "yes",
                "lower": "true", "padded": "0022", "quoted": 7, "kept": "7",
            ])
    }

    @Test func inlineQuotesGroupWordsAndProtectEqualsAndHashes() throws {
        let inventory = try parseINI(
            #"""
            h1 motd="hello world" pair='a=b' tag="x#y" escaped=a\ b mixed=pre"fix "'x'
            """#)
        #expect(
            inventory.host(named: "h1")?.vars == [
                "motd": "hello world", "pair": "a=b", "tag": "x#y", "escaped": "a b", "mixed": "prefix x",
            ])
    }

    @Test func inlineListsAndDictsArePythonLiterals() throws {
        let inventory = try parseINI(
            #"""
            h1 ports="[22, 2222]" labels="{'env': 'prod', 'tier': [1, 2]}" pair="(1, 'a')"
            """#)
        #expect(
            inventory.host(named: "h1")?.vars == [
                "ports": [22, 2222], "labels": ["env": "prod", "tier": [1, 2]], "pair": [1, "a"],
            ])
    }

    @Test func groupVarsKeepQuotesUntilTypingAndKeepHashes() throws {
        let inventory = try parseINI(
            """
            [web]
            web1
            [web:vars]
            count=42
            text="42"
            flag=True
            lower=false
            note=hi # stays in the value, as in Ansible
            literal='hi' # a Python comment after a literal is dropped
            spaced =   padded value  
            equals=a=b
            empty=
            """)
        #expect(
            inventory.groups["web"]?.vars == [
                "count": 42, "text": "42", "flag": true, "lower": "false",
                "note": "hi # stays in the value, as in Ansible",
                "literal": "hi", "spaced": "padded value", "equals": "a=b", "empty": "",
            ])
    }

    @Test func hostVarsBeatGroupVarsWhichBeatAllVars() throws {
        let inventory = try parseINI(
            """
            [web]
            web1 level=host
            web2
            [web:vars]
            level=group
            only_group=1
            [all:vars]
            level=all
            only_all=1
            """)
        #expect(inventory.host(named: "web1")?.vars == ["level": "host", "only_group": 1, "only_all": 1])
        #expect(inventory.host(named: "web2")?.vars == ["level": "group", "only_group": 1, "only_all": 1])
    }

    @Test func deeperGroupsWinAndEqualDepthsGoByName() throws {
        let inventory = try parseINI(
            """
            [web]
            web1
            [zeta]
            web1
            [alpha]
            web1
            [parent:children]
            web
            [web:vars]
            deep=web
            [parent:vars]
            deep=parent
            [zeta:vars]
            deep=zeta
            same=zeta
            [alpha:vars]
            same=alpha
            """)
        // web sits under parent, so it is deeper than zeta and alpha; zeta sorts after alpha.
        #expect(inventory.host(named: "web1")?.vars == ["deep": "web", "same": "zeta"])
    }

    @Test func depthIsTheLongestChainOfParents() throws {
        let inventory = try parseINI(
            """
            [leaf]
            h1
            [mid:children]
            leaf
            [top:children]
            mid
            [direct:children]
            leaf
            [leaf:vars]
            v=leaf
            [mid:vars]
            v=mid
            w=mid
            [direct:vars]
            w=direct
            """)
        // leaf is at depth 3 through top > mid, though also at depth 2 under direct; mid (2) beats direct (1).
        #expect(inventory.host(named: "h1")?.vars == ["v": "leaf", "w": "mid"])
    }

    @Test func ungroupedVarsApplyToUngroupedHosts() throws {
        let inventory = try parseINI(
            """
            loner
            [web]
            web1
            [ungrouped:vars]
            alone=True
            """)
        #expect(inventory.host(named: "loner")?.vars == ["alone": true])
        #expect(inventory.host(named: "web1")?.vars == [:])
    }
}
