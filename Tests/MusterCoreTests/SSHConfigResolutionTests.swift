import Foundation
import Testing

@testable import MusterCore

/// Which lines apply to a host and which value wins, as ssh's readconf.c decides.
@Suite struct SSHConfigResolutionTests {
    let firstValueWins: SSHConfigFile

    init() throws {
        firstValueWins = try SSHConfigFile.load(path: sshConfigFixture("first-value-wins.conf"), environment: sshTestEnvironment())
    }

    @Test func theFirstValueObtainedWinsAndLaterBlocksOnlyFillGaps() throws {
        let web = try firstValueWins.resolve(host: "web1.example.com")
        #expect(web.hostName.value == "10.0.0.11")
        #expect(web.user?.value == "deploy")
        #expect(web.port?.value == 2200)
        #expect(web.strictHostKeyChecking?.value == .acceptNew)
        #expect(web.user?.origin == .file(path: sshConfigFixture("first-value-wins.conf"), line: 4))
        #expect(web.port?.origin == .file(path: sshConfigFixture("first-value-wins.conf"), line: 8))
    }

    @Test func identityFilesAccumulateInOrderFromEveryBlockThatApplies() throws {
        let web = try firstValueWins.resolve(host: "web1.example.com")
        #expect(web.identityFilePaths == ["/home/tester/.ssh/example_ed25519", "/home/tester/.ssh/id_ed25519"])
        #expect(web.identityFiles.map(\.origin.description).map { $0.hasSuffix(":9") || $0.hasSuffix(":17") } == [true, true])
    }

    @Test func aNegatedPatternExcludesTheHostFromTheWholeBlock() throws {
        #expect(try firstValueWins.resolve(host: "web2.example.com").proxyJump?.value == [SSHJumpHost(host: "bastion.example.com")])
        #expect(try firstValueWins.resolve(host: "bastion.example.com").proxyJump == nil)
    }

    @Test func hostLinesMatchTheHostAsGivenCaseSensitivelyAndCommasAreLiteral() throws {
        let text = "Host Web.Example.com\n  User exact\nHost a.example.com,b.example.com\n  User comma\n"
        #expect(try resolveSSHConfig(text, host: "Web.Example.com").user?.value == "exact")
        #expect(try resolveSSHConfig(text, host: "web.example.com").user == nil)
        #expect(try resolveSSHConfig(text, host: "a.example.com").user == nil)
        #expect(try resolveSSHConfig(text, host: "a.example.com,b.example.com").user?.value == "comma")
    }

    @Test func onlyNegatedPatternsNeverMatch() throws {
        #expect(try resolveSSHConfig("Host !a.example.com\n User x\n", host: "b.example.com").user == nil)
    }

    @Test(arguments: [
        ("web*", "web12.example.com", true), ("web", "web12", false), ("web*", "web12", true), ("w?b", "web", true), ("w?b", "weeb", false),
        ("*.example.com", "x.example.com", true), ("*", "", true), ("a*b*c", "aXbYc", true), ("a*b*c", "aXbY", false),
        ("**x", "x", true), ("é?", "éa", true), ("?", "é", false), ("??", "é", true),
    ])
    func wildcardsMatchWholeNamesByteWise(pattern: String, name: String, matches: Bool) {
        #expect(SSHHostPattern.matches(name.utf8, pattern.utf8) == matches)
    }

    @Test func theUserGivenActsAsSSHsDashLAndBeatsTheConfig() throws {
        let settings = try firstValueWins.resolve(host: "web1.example.com", user: "ops", port: 2022)
        #expect(settings.user == SSHConfigValue("ops", from: .given))
        #expect(settings.port == SSHConfigValue(2022, from: .given))
    }

    @Test func withoutHostNameTheGivenHostIsUsedLowercased() throws {
        let settings = try resolveSSHConfig("Host *\n User u\n", host: "DB.Example.COM")
        #expect(settings.hostName == SSHConfigValue("db.example.com", from: .given))
    }

    @Test(arguments: [("127.1", "127.0.0.1"), ("::FFFF:1", "::255.255.0.1"), ("FE80::1", "FE80::1"), ("10.0.0.1", "10.0.0.1")])
    func addressesAreWrittenOutInFullButNotLowercased(given: String, connectsTo: String) throws {
        #expect(try resolveSSHConfig("Host *\n HostName \(given)\n", host: "x.example.com").hostName.value == connectsTo)
    }

    @Test func hostNameExpandsPercentH() throws {
        #expect(try resolveSSHConfig("Host *\n HostName %h.Internal\n", host: "Web1").hostName.value == "web1.internal")
    }

    /// ssh takes a name with `%` or `:` for an address, and addresses keep their case.
    @Test func aPercentSignInTheHostNameKeepsItsCase() throws {
        #expect(try resolveSSHConfig("Host *\n HostName %h.internal.%%\n", host: "Web1").hostName.value == "Web1.internal.%")
    }

    @Test func pathTokensExpandToWhatSSHConnectsWith() throws {
        let text = """
            Host web1
              HostName Web1.Example.COM
              User deploy
              Port 2200
              HostKeyAlias Alias.Example
              IdentityFile ~/.ssh/%h_%r_%p_%u_%n_%%
              IdentityFile %d/keys/%l/%L/%i/%k
              UserKnownHostsFile ~/kh ~deploy/kh ${KNOWN}/kh ~/
            """
        let settings = try resolveSSHConfig(text, host: "web1", environment: sshTestEnvironment(variables: ["KNOWN": "/etc/known"]))
        #expect(
            settings.identityFilePaths == [
                "/home/tester/.ssh/web1.example.com_deploy_2200_tester_web1_%",
                "/home/tester/keys/ctl.example.net/ctl/\(getuid())/alias.example",
            ])
        #expect(settings.userKnownHostsFiles?.value == ["/home/tester/kh", "/srv/deploy/kh", "/etc/known/kh", "/home/tester/"])
    }

    @Test func tokensSeeDefaultsWhenNothingSetUserOrPort() throws {
        let settings = try resolveSSHConfig("Host *\n IdentityFile /k/%r@%h:%p\n", host: "a.example.com")
        #expect(settings.identityFilePaths == ["/k/tester@a.example.com:22"])
    }

    @Test func aDuplicateIdentityFileIsListedOnce() throws {
        let settings = try resolveSSHConfig("Host *\n IdentityFile ~/k\n IdentityFile ~/k\n IdentityFile ~/j\n", host: "a.example.com")
        #expect(settings.identityFilePaths == ["/home/tester/k", "/home/tester/j"])
    }

    @Test func userKnownHostsFilesComeFromTheFirstLineOnlyAndNoneMeansNoFile() throws {
        let settings = try resolveSSHConfig(
            "Host a*\n UserKnownHostsFile /kh/1 /kh/2\nHost *\n UserKnownHostsFile /kh/3\n", host: "a.example.com")
        #expect(settings.userKnownHostsFiles?.value == ["/kh/1", "/kh/2"])
        #expect(try resolveSSHConfig("Host *\n UserKnownHostsFile none\n", host: "a.example.com").userKnownHostsFiles?.value == [])
    }

    @Test func timeoutNoneLeavesTheValueToALaterLine() throws {
        let settings = try resolveSSHConfig(
            "Host *\n ConnectTimeout none\n ConnectTimeout 7\n ServerAliveInterval 2m\n", host: "a.example.com")
        #expect(settings.connectTimeout?.value == .seconds(7))
        #expect(settings.serverAliveInterval?.value == .seconds(120))
    }

    @Test(arguments: [
        ("yes", SSHHostKeyChecking.strict), ("ASK", .strict), ("true", .strict), ("accept-new", .acceptNew), ("no", .off),
        ("off", .off), ("False", .off),
    ])
    func strictHostKeyCheckingMapsOntoMustersPolicies(word: String, policy: SSHHostKeyChecking) throws {
        #expect(try resolveSSHConfig("StrictHostKeyChecking \(word)\n", host: "a.example.com").strictHostKeyChecking?.value == policy)
    }

    @Test func unsupportedKeywordsThatApplyAreListedOnceWithTheirFirstPlace() throws {
        let config = try SSHConfigFile.load(path: sshConfigFixture("unsupported.conf"), environment: sshTestEnvironment())
        let web = try config.resolve(host: "web.example.com")
        #expect(web.unsupportedKeywordNames == ["ControlMaster", "ControlPath", "ForwardAgent"])
        #expect(web.unsupportedKeywords[2].origin == .file(path: sshConfigFixture("unsupported.conf"), line: 4))
        #expect(web.serverAliveInterval?.value == .seconds(60))
        let db = try config.resolve(host: "db.example.com")
        #expect(db.unsupportedKeywordNames == ["ControlMaster", "ControlPath", "ForwardAgent", "LocalForward"])
        #expect(try config.resolve(host: "other.test").unsupportedKeywordNames == ["ForwardAgent"])
    }

    @Test func debianAliasesAndObsoleteKeywordsBehaveAsInDebiansSSH() throws {
        let settings = try resolveSSHConfig("ProtocolKeepAlives 9\nProtocol 2\nUseRSH yes\nCompressionLevel 9\n", host: "a.example.com")
        #expect(settings.serverAliveInterval?.value == .seconds(9))
        #expect(settings.unsupportedKeywords.isEmpty)
    }
}
