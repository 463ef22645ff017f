import Testing

@testable import MusterCore

/// Ansible's `ansible_ssh_common_args` / `ansible_ssh_extra_args`: split as shlex does, read as ssh's getopt does.
@Suite struct SSHConfigArgumentsTests {
    @Test func theSupportedOptionsBecomeSettingsThatBeatTheConfig() throws {
        let arguments =
            #"-o ProxyJump=bastion.example.com -o "StrictHostKeyChecking no" -p 2200 -l admin -i ~/.ssh/k -F /etc/muster/ssh_config"#
        let settings = try resolveSSHConfig(
            "Host *\n  User config-user\n  Port 22\n  StrictHostKeyChecking yes\n", host: "web.example.com", arguments: arguments)
        #expect(settings.proxyJump == SSHConfigValue([SSHJumpHost(host: "bastion.example.com")], from: .arguments))
        #expect(settings.strictHostKeyChecking?.value == .off)
        #expect(settings.port == SSHConfigValue(2200, from: .arguments))
        #expect(settings.user == SSHConfigValue("admin", from: .arguments))
        #expect(settings.identityFilePaths == ["/home/tester/.ssh/k"])
        #expect(try SSHArguments.parse(arguments).configFile == "/etc/muster/ssh_config")
    }

    @Test func amongArgumentsTheFirstWinsAndTheInventoryUserBeatsThemAll() throws {
        let settings = try resolveSSHConfig(
            "", host: "a.example.com", user: "inventory", arguments: "-l second -p 1 -o Port=2 -oUser=third -p3")
        #expect(settings.user?.value == "inventory")
        #expect(settings.port?.value == 1)
    }

    @Test func jumpHostsFromDashJ() throws {
        let settings = try resolveSSHConfig(
            "ProxyJump config.example.com\n", host: "a.example.com", arguments: "-J user@b.example.com:2222,c.example.com")
        #expect(
            settings.proxyJump?.value == [SSHJumpHost(user: "user", host: "b.example.com", port: 2222), SSHJumpHost(host: "c.example.com")])
    }

    @Test func anythingElseIsReportedAsWritten() throws {
        let arguments = try SSHArguments.parse("-C -o ControlMaster=auto -vvA -L 8080:db:5432 stray.host -oServerAliveInterval=5 -- -p 1")
        #expect(arguments.unsupported == ["-C", "-v", "-v", "-A", "-L 8080:db:5432", "stray.host", "-p", "1"])
        let settings = try SSHConfigFile(parsing: "", path: "config", environment: sshTestEnvironment()).resolve(
            host: "a.example.com", arguments: arguments)
        #expect(settings.unsupportedKeywords == [SSHConfigValue("ControlMaster", from: .arguments)])
        #expect(settings.serverAliveInterval?.value == .seconds(5))
    }

    @Test func wordsSplitAsPythonShlexSplitsThem() throws {
        let words = try SSHArgumentWords.split(#"-o 'A B' -o "C \"D\" \x" E\ F '' G"H"I"#).map(\.text)
        #expect(words == ["-o", "A B", "-o", #"C "D" \x"#, "E F", "", "GHI"])
    }

    @Test(arguments: [
        ("-o", "ssh arguments, column 1: expected a value after -o"),
        ("-o 'Port 1", "ssh arguments, column 4: no closing quote"),
        ("-o Host=x", "ssh arguments, column 4: Host cannot be given with -o"),
        ("-o Include=/etc/x", "ssh arguments, column 4: Include cannot be given with -o"),
        ("-o Port=x", "ssh arguments, column 9: expected a port number from 1 to 65535 or a service name, not \"x\""),
        ("-J a,,b", "ssh arguments, column 4: expected none or jump hosts as [user@]host[:port] separated by commas, not \"a,,b\""),
        ("-o ProxyCommand=nc -J b", "ssh arguments, column 23: -J cannot follow -o ProxyCommand=nc; ssh takes one proxy"),
        ("-J a -J b", "ssh arguments, column 9: -J cannot follow -J; ssh takes one proxy"),
    ])
    func refused(arguments: String, error: String) {
        #expect(#expect(throws: SSHConfigError.self) { try SSHArguments.parse(arguments) }?.description == error)
    }

    @Test func unknownKeywordsInDashOAreErrorsWhenResolving() {
        #expect(throws: SSHConfigError.self) { try resolveSSHConfig("", host: "a.example.com", arguments: "-o Frobnicate=yes") }
    }
}
