import Foundation
import Testing

@testable import MusterCore

/// Muster's resolution against the real OpenSSH client: `ssh -G -F FILE HOST` prints what ssh
/// would connect with and makes no connection. Every host name in the corpus has a dot, so ssh
/// makes no name lookups either.
///
/// ssh takes `~` and `%d` from the password database, not `$HOME`, but expands Include's `~`
/// (and its relative paths, which live in `~/.ssh`) with glob(3), which reads `$HOME`. So both
/// run with `HOME` at a copy of the corpus and with the real account for everything else.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh")))
struct SSHConfigParityTests {
    static let corpus: [(config: String, hosts: [String])] = [
        (
            "basics.conf",
            [
                "web1.example.test", "web2.example.test", "WEB1.example.test", "api.example.test", "db.example.test",
                "ip.example.test", "v6.example.test", "upper.example.test", "other.test",
            ]
        ),
        (
            "match.conf",
            ["alias.example.test", "ALIAS.example.test", "real.example.test", "skip.example.test", "quoted.example.test", "other.test"]
        ),
        ("includes.conf", ["first.example.test", "second.example.test", "inc.example.test", "other.example.test", "x.test"]),
        (
            "proxy.conf",
            [
                "direct.example.test", "blocked.example.test", "comment.example.test", "spaced.example.test", "uri.example.test",
                "command.example.test", "plain.example.test", "bastion.example.test",
            ]
        ),
        ("tokens.conf", ["a.example.test", "B.Example.Test"]),
        ("oddities.conf", ["crlf.example.test", "other.example.test"]),
    ]

    /// Configs ssh accepts (true) or refuses (false) for host `t.example.test`.
    static let verdicts: [(text: String, accepted: Bool)] = [
        ("Port 65535", true), ("Port +22", true), ("Port ssh", true), ("Port 0", false), ("Port 22 23", false),
        ("User", false), ("User \"a", false), ("IdentityFile a b", false), ("Include", false),
        ("Frobnicate x", false), ("IgnoreUnknown Frob*\nFrobnicate x", true), ("Host \"\"", false),
        ("Match foo", false), ("Match host", false), ("Match all host a", false), ("Match host a user b all", false),
        ("Match host a all", true), ("Match exec false\n Port 1", true), ("Host=t.example.test\n Port=1", true),
        ("ConnectTimeout 5x", false), ("ConnectTimeout -0", true), ("ConnectTimeout 2147483648", false),
        ("ServerAliveCountMax 0x1", false), ("ServerAliveCountMax 2147483647", true), ("ServerAliveCountMax 2147483648", false),
        ("StrictHostKeyChecking maybe", false), ("UserKnownHostsFile a none", false), ("ProxyJump a,,b", false),
        ("ProxyJump ssh://h/p", false), ("ProxyJump t.example.test", false), ("\"Host x\nUser y", true),
        ("Include /nonexistent/*.conf", true), ("HostName %r.x", false), ("UserKnownHostsFile /k/%z", false),
        ("UserKnownHostsFile ${PARITY_UNSET_VARIABLE}", false), ("Host other\n  Port nope", false),
    ]

    let home: SSHConfigTemporaryDirectory
    let environment: SSHConfigEnvironment

    init() throws {
        home = try SSHConfigTemporaryDirectory()
        try home.copyFixture("parity/.ssh", to: ".ssh")
        var environment = SSHConfigEnvironment.current()
        environment.variables["HOME"] = home.path
        environment.variables["PARITY_DIR"] = "/parity"
        environment.variables["PARITY_UNSET_VARIABLE"] = nil
        self.environment = environment
    }

    @Test(arguments: corpus.flatMap { entry in entry.hosts.map { (entry.config, $0) } })
    func resolvesAsSSHDoes(config: String, host: String) async throws {
        let path = "\(home.path)/.ssh/\(config)"
        let ssh = try await SSHConfigDashG.run(config: path, host: host, user: nil, environment: environment)
        let settings = try SSHConfigFile.load(path: path, environment: environment).resolve(host: host)
        try #require(ssh.status == 0)
        #expect(ssh.comparable(host: host) == SSHConfigDashG.Fields(settings, host: host, environment: environment))
    }

    @Test func aUserGivenActsAsDashL() async throws {
        let path = "\(home.path)/.ssh/match.conf"
        let ssh = try await SSHConfigDashG.run(config: path, host: "other.test", user: "matched-by-hostname", environment: environment)
        let settings = try SSHConfigFile.load(path: path, environment: environment).resolve(host: "other.test", user: "matched-by-hostname")
        #expect(ssh.comparable(host: "other.test") == SSHConfigDashG.Fields(settings, host: "other.test", environment: environment))
    }

    @Test(arguments: verdicts)
    func acceptsAndRefusesWhatSSHDoes(text: String, accepted: Bool) async throws {
        let path = try home.write("verdict-\(abs(text.hashValue)).conf", text + "\n")
        let ssh = try await SSHConfigDashG.run(config: path, host: "t.example.test", user: nil, environment: environment)
        #expect((ssh.status == 0) == accepted, "ssh -G exited \(ssh.status)")
        let ours = Result { try SSHConfigFile.load(path: path, environment: environment).resolve(host: "t.example.test") }
        #expect(((try? ours.get()) != nil) == accepted, "Muster: \(ours)")
    }

    @Test(arguments: [(0o644, true), (0o664, true), (0o666, false), (0o646, false)])
    func includedFilesOthersCanWriteAreRefusedAsSSHRefusesThem(mode: Int, accepted: Bool) async throws {
        try home.write(".ssh/conf.d/mode-\(mode).inc", "Port 1\n", mode: mode)
        let path = try home.write("mode-\(mode).conf", "Include conf.d/mode-\(mode).inc\n")
        #expect(
            try await SSHConfigDashG.run(config: path, host: "t.example.test", user: nil, environment: environment).status == 0
                ? accepted : !accepted)
        #expect(((try? SSHConfigFile.load(path: path, environment: environment)) != nil) == accepted)
    }
}
