import Testing

@testable import MusterCore

/// Lines are split as readconf.c splits them: keywords in any case, `=` or spaces, quotes,
/// comments and the odd corners in between.
@Suite struct SSHConfigSyntaxTests {
    @Test func theSyntaxFixtureReadsAsSSHReadsIt() throws {
        let config = try SSHConfigFile.load(path: sshConfigFixture("syntax.conf"), environment: sshTestEnvironment())
        let settings = try config.resolve(host: "quoted.example.com")
        #expect(settings.hostName.value == "10.0.0.12")
        #expect(settings.user?.value == "operator")
        #expect(settings.port?.value == 2201)
        #expect(settings.identityFilePaths == ["/keys/with space/id_ed25519", "/keys/single quoted"])
        #expect(settings.userKnownHostsFiles?.value == ["/kh/one", "/kh/two words", "/kh/three"])
        #expect(settings.connectTimeout?.value == .seconds(90))
        #expect(settings.serverAliveInterval?.value == .seconds(15))
        #expect(settings.serverAliveCountMax?.value == 4)
        #expect(settings.identitiesOnly?.value == true)
        #expect(settings.strictHostKeyChecking?.value == .off)
    }

    @Test(arguments: [
        "Port 2200", "port=2200", "PORT = 2200", "Port= 2200", "\tPort\t2200\t", "Port 2200\r", "Port \"2200\"", "Port +2200",
    ])
    func aKeywordAndItsValue(line: String) throws {
        #expect(try resolveSSHConfig(line + "\n", host: "a.example.com").port?.value == 2200)
    }

    @Test func aServiceNameIsAPort() throws {
        #expect(try resolveSSHConfig("Port ssh\n", host: "a.example.com").port?.value == 22)
    }

    @Test func escapesAndBothQuotesInArguments() throws {
        let settings = try resolveSSHConfig(#"IdentityFile /a\ b/c\"d\'e\\f"# + "\n", host: "a.example.com")
        #expect(settings.identityFilePaths == [#"/a b/c"d'e\f"#])
        #expect(try resolveSSHConfig("IdentityFile /x#y\n", host: "a.example.com").identityFilePaths == ["/x#y"])
    }

    @Test func aQuotedKeywordIsAKeyword() throws {
        #expect(try resolveSSHConfig("\"User\" quoted\n", host: "a.example.com").user?.value == "quoted")
    }

    /// readconf.c's strdelim gives up on an unclosed quote in the keyword and ssh skips the line.
    @Test func aLineWhoseKeywordQuoteNeverClosesIsSkipped() throws {
        let settings = try resolveSSHConfig("\"Host a.example.com\nUser everyone\n", host: "b.example.com")
        #expect(settings.user?.value == "everyone")
    }

    @Test func aLineEndsAtANulByteAsACStringDoes() throws {
        #expect(try resolveSSHConfig("User alice\u{0}bob\n", host: "a.example.com").user?.value == "alice")
    }

    @Test func hostPatternsStopAtAComment() throws {
        let text = "Host a.example.com # b.example.com\n User a\n"
        #expect(try resolveSSHConfig(text, host: "b.example.com").user == nil)
        #expect(try resolveSSHConfig(text, host: "a.example.com").user?.value == "a")
    }

    /// parse_jump drops everything from `#` and stops at the first blank, and only the exact
    /// word `none` means none: `none # comment` is a jump host called none.
    @Test func proxyJumpReadsTheRawRestOfTheLine() throws {
        #expect(
            try resolveSSHConfig("ProxyJump a.example.com b.example.com\n", host: "h.example.com").proxyJump?.value == [
                SSHJumpHost(host: "a.example.com")
            ])
        #expect(try resolveSSHConfig("ProxyJump none # c\n", host: "h.example.com").proxyJump?.value == [SSHJumpHost(host: "none")])
        #expect(try resolveSSHConfig("ProxyJump NONE\n", host: "h.example.com").proxyJump?.value == [])
    }

    @Test func proxyJumpHopsAreUserHostPortOrSSHURIs() throws {
        let text = "ProxyJump ops@j1.example.com:2200,ssh://a%40b@j2.example.com:2201,[::1]:22,x@y@j3.example.com:ssh\n"
        #expect(
            try resolveSSHConfig(text, host: "h.example.com").proxyJump?.value == [
                SSHJumpHost(user: "ops", host: "j1.example.com", port: 2200), SSHJumpHost(user: "a@b", host: "j2.example.com", port: 2201),
                SSHJumpHost(host: "::1", port: 22), SSHJumpHost(user: "x@y", host: "j3.example.com", port: 22),
            ])
    }

    @Test(arguments: ["j1.example.com,,j2.example.com", "j:0", "@j", "j:99999", "ssh://j/path", "ssh://-j", "[::1", "j/x"])
    func aMalformedProxyJumpIsRefused(value: String) {
        #expect(sshConfigError("ProxyJump \(value)\n")?.contains("expected none or jump hosts") == true)
    }

    @Test func proxyCommandEvenNoneBlocksALaterProxyJumpAndTheFirstProxyDecides() throws {
        #expect(try resolveSSHConfig("ProxyCommand none\nProxyJump j.example.com\n", host: "h.example.com").proxyJump == nil)
        let command = try resolveSSHConfig("ProxyCommand nc %h %p\nProxyJump j.example.com\n", host: "h.example.com")
        #expect(command.proxyJump == nil)
        #expect(command.unsupportedKeywordNames == ["ProxyCommand"])
        let jump = try resolveSSHConfig("ProxyJump j.example.com\nProxyCommand nc %h %p\n", host: "h.example.com")
        #expect(jump.proxyJump?.value == [SSHJumpHost(host: "j.example.com")])
        #expect(jump.unsupportedKeywords.isEmpty)
    }

    /// Debian's ssh 9.2 still takes a ProxyCommand after `ProxyJump none`, though not a second ProxyJump.
    @Test func proxyJumpNoneStillLetsALaterProxyCommandIn() throws {
        let command = try resolveSSHConfig("ProxyJump none\nProxyCommand nc %h %p\n", host: "h.example.com")
        #expect(command.proxyJump == nil)
        #expect(command.unsupportedKeywordNames == ["ProxyCommand"])
        #expect(try resolveSSHConfig("ProxyJump none\nProxyJump j.example.com\n", host: "h.example.com").proxyJump?.value == [])
    }

    @Test func numbersAndTimesAreReadAsSSHReadsThem() throws {
        let settings = try resolveSSHConfig(
            "ServerAliveCountMax 010\nConnectTimeout 1h1m1s\nServerAliveInterval 0\n", host: "a.example.com")
        #expect(settings.serverAliveCountMax?.value == 10)
        #expect(settings.connectTimeout?.value == .seconds(3661))
        #expect(settings.serverAliveInterval?.value == .zero)
    }

    @Test func ignoreUnknownLetsLaterUnknownKeywordsPass() throws {
        #expect(
            try resolveSSHConfig("IgnoreUnknown UseKeychain,Foo*\nUseKeychain yes\nFooBar 1\n", host: "a.example.com").unsupportedKeywords
                .isEmpty)
        #expect(sshConfigError("UseKeychain yes\nIgnoreUnknown UseKeychain\n") != nil)
    }

    @Test func keywordsOfNewerOpenSSHReleasesAreUnsupportedNotUnknown() throws {
        #expect(
            try resolveSSHConfig("Tag prod\nChannelTimeout session=5m\n", host: "a.example.com").unsupportedKeywordNames == [
                "Tag", "ChannelTimeout",
            ])
    }
}
