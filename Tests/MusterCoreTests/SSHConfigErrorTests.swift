import Testing

@testable import MusterCore

/// What ssh refuses, Muster refuses, pointing at the place to fix.
@Suite struct SSHConfigErrorTests {
    @Test(arguments: [
        ("Port\n", "config:1:5: expected a value after Port"),
        ("Host *\n  Port # none\n", "config:2:8: expected a value after Port"),
        ("Host *\n  Port 22x\n", "config:2:8: expected a port number from 1 to 65535 or a service name, not \"22x\""),
        ("Port 0\n", "config:1:6: expected a port number from 1 to 65535 or a service name, not \"0\""),
        ("Port 65536\n", "config:1:6: expected a port number from 1 to 65535 or a service name, not \"65536\""),
        ("User \"alice\n", "config:1:6: no closing quote for the quote opened here"),
        ("IdentityFile 'a b\n", "config:1:14: no closing quote for the quote opened here"),
        ("User alice bob\n", "config:1:12: unexpected second value for User; quote a value that contains spaces"),
        ("User \"\"\n", "config:1:6: expected a value after User"),
        ("Host \"\"\n", "config:1:6: expected a host pattern, not an empty one"),
        ("ConnectTimeout 5x\n", "config:1:16: expected a time such as 30, 30s, 5m or 1h30m, or none, after ConnectTimeout, not \"5x\""),
        ("ServerAliveCountMax -1\n", "config:1:21: expected a whole number, 0 or more after ServerAliveCountMax, not \"-1\""),
        ("ServerAliveCountMax 0x10\n", "config:1:21: expected a whole number, 0 or more after ServerAliveCountMax, not \"0x10\""),
        (
            "StrictHostKeyChecking maybe\n",
            "config:1:23: expected one of accept-new, ask, false, no, off, true, yes after StrictHostKeyChecking, not \"maybe\""
        ),
        ("UserKnownHostsFile /a none\n", "config:1:23: none must be the only value of UserKnownHostsFile"),
        ("Frobnicate yes\n", "config:1:1: unknown keyword \"Frobnicate\"; ssh refuses it unless IgnoreUnknown lists it"),
        ("Match\n", "config:1:6: expected a value after Match"),
        ("Match # c\n", "config:1:1: Match needs at least one criterion"),
        ("Match host\n", "config:1:11: expected patterns after Match host"),
        ("Match foo bar\n", "config:1:7: unknown Match criterion \"foo\""),
        ("Match host a user b all\n", "config:1:21: Match all cannot follow more than one other criterion"),
        ("Match all host a\n", "config:1:11: Match all must be the last criterion"),
        ("Host *\n HostName %r.example.com\n", "config:2:11: unknown token %r; ssh knows %% %h here"),
        ("IdentityFile ~/%C\n", "config:1:16: Muster does not support the token %C here"),
        ("IdentityFile ~/k%\n", "config:1:17: a lone % must be written %%"),
        ("IdentityFile ${NOPE}/k\n", "config:1:14: environment variable NOPE is not set"),
        ("IdentityFile ~nobody-here/k\n", "config:1:14: no user named nobody-here for ~nobody-here"),
        ("ProxyJump web1.example.com\n", "config:1:1: ProxyJump web1.example.com loops back to the host itself"),
        ("Hôst é\n", "config:1:1: unknown keyword \"Hôst\"; ssh refuses it unless IgnoreUnknown lists it"),
        ("User é x\n", "config:1:8: unexpected second value for User; quote a value that contains spaces"),
        ("Host é\n  Port é\n", "config:2:8: expected a port number from 1 to 65535 or a service name, not \"é\""),
    ])
    func refused(text: String, error: String) {
        #expect(sshConfigError(text) == error)
    }

    /// ssh checks every line, including those in blocks that do not apply to the host.
    @Test func aMistakeInABlockForAnotherHostIsStillAnError() {
        #expect(sshConfigError("Host other.example.com\n  Port many\n") != nil)
    }

    @Test func errorsInSSHArgumentsNameTheArgumentString() {
        #expect(
            throws: SSHConfigError(
                path: "ansible_ssh_common_args", column: 4, message: "expected a port number from 1 to 65535 or a service name, not \"x\"")
        ) {
            try SSHArguments.parse("-p x", source: "ansible_ssh_common_args")
        }
    }

    @Test func aMissingConfigFileGivenWithDashFIsAnError() {
        #expect(throws: SSHConfigError(path: "/no/such/config", message: "no such config file")) {
            try SSHConfigFile.load(path: "/no/such/config", environment: sshTestEnvironment())
        }
    }
}
