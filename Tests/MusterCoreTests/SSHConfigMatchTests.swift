import Testing

@testable import MusterCore

/// `Match` blocks: criteria against the name after HostName, the name as given and the users,
/// and the second ("final") pass.
@Suite struct SSHConfigMatchTests {
    let config: SSHConfigFile

    init() throws {
        config = try SSHConfigFile.load(path: sshConfigFixture("match.conf"), environment: sshTestEnvironment())
    }

    @Test func matchHostSeesTheNameAfterHostNameAndOriginalHostTheNameGiven() throws {
        let app = try config.resolve(host: "app.example.com")
        #expect(app.hostName.value == "app-7.internal.example.com")
        #expect(app.user?.value == "internal")
        #expect(app.port?.value == 2022)
    }

    @Test func matchUserSeesTheUserSetByEarlierLines() throws {
        #expect(try config.resolve(host: "app.example.com").identityFilePaths == ["/home/tester/.ssh/internal_key"])
        #expect(try config.resolve(host: "other.example.com").identityFilePaths == [])
    }

    @Test func criteriaOnOneLineMustAllHold() throws {
        #expect(try config.resolve(host: "a.example.com").connectTimeout?.value == .seconds(7))
        #expect(try config.resolve(host: "a.secret.example.com").connectTimeout == nil)
    }

    @Test func matchExecIsNotRunAndItsBlockDoesNotApplyWithAWarning() throws {
        let settings = try config.resolve(host: "a.example.com")
        #expect(settings.proxyJump == nil)
        #expect(
            settings.warnings.map(\.description) == [
                "\(sshConfigFixture("match.conf")):16: Match exec is not supported by Muster; this block does not apply"
            ])
    }

    @Test func matchFinalBlocksApplyOnTheSecondPassAndMatchAllAlways() throws {
        let settings = try config.resolve(host: "z.example.org")
        #expect(settings.serverAliveInterval?.value == .seconds(30))
        #expect(settings.user?.value == "fallback")
    }

    @Test func onTheFinalPassMatchHostSeesTheLowercasedFinalName() throws {
        let text = "Host *\n HostName %h.Example.NET\nMatch final host *.example.net\n Port 2\nMatch !final\n User first\n"
        let settings = try resolveSSHConfig(text, host: "web")
        #expect(settings.port?.value == 2)
        #expect(settings.user?.value == "first")
    }

    @Test func canonicalizeHostnameAlsoForcesTheFinalPass() throws {
        let text = "CanonicalizeHostname yes\nMatch canonical\n User canonical\n"
        let settings = try resolveSSHConfig(text, host: "a.example.com")
        #expect(settings.user?.value == "canonical")
        #expect(settings.unsupportedKeywordNames == ["CanonicalizeHostname"])
    }

    @Test(arguments: [
        ("Match host a.example.com,!b.example.com host=a.*", true), ("Match host !a.example.com", false),
        ("Match !host b.example.com", true), ("Match HOST A.EXAMPLE.COM # comment", true),
        ("Match host \"a.example.com\"", true), ("Match host a.example.com all", true), ("Match !all", false),
        ("Match originalhost A.Example.Com", true), ("Match localuser tester", true), ("Match user tester", true),
        ("Match user Tester", false), ("Match canonical all", false), ("Match tagged prod", false),
    ])
    func criteria(line: String, applies: Bool) throws {
        #expect(try resolveSSHConfig("\(line)\n Port 1234\n", host: "A.Example.Com").port?.value == (applies ? 1234 : nil))
    }

    @Test func anExecAfterAFailedCriterionIsNotWorthAWarning() throws {
        #expect(try resolveSSHConfig("Match host nothing exec true\n Port 1\n", host: "a.example.com").warnings.isEmpty)
    }
}
