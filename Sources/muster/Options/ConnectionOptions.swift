import ArgumentParser
import Foundation
import MusterCore
import MusterSSH

/// How to reach hosts over SSH: user, keys, host key checking, passwords, OpenSSH config.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Login user when the inventory sets no ansible_user (default: your user name).")
    var user: String?

    @Option(
        name: .customLong("private-key"),
        help: ArgumentHelp(
            "Private key file (repeatable); by default ~/.ssh/id_ed25519, id_ecdsa, id_rsa.", valueName: "file"))
    var privateKeys: [String] = []

    @Option(
        name: .customLong("known-hosts"),
        help: ArgumentHelp(
            "known_hosts file to check host keys against (default: UserKnownHostsFile from ssh config, else ~/.ssh/known_hosts).",
            valueName: "file"))
    var knownHostsFile: String?

    @Option(
        name: [.customShort("F"), .customLong("ssh-config")],
        help: ArgumentHelp("OpenSSH client config to read instead of ~/.ssh/config ('none' for none).", valueName: "file"))
    var sshConfig: String?

    @Option(
        name: .customLong("host-key-policy"),
        help: ArgumentHelp(
            "strict (default): refuse unknown and changed keys; accept-new: record unknown keys, refuse changed ones; off: no checking (warns).",
            valueName: "policy"))
    var hostKeyPolicy: HostKeyPolicy?

    @Option(
        name: .customLong("connect-timeout"),
        help: ArgumentHelp(
            "Seconds to connect, check the host key and log in (default: ConnectTimeout from ssh config, else 10).",
            valueName: "seconds"))
    var connectTimeout: Double?

    @Flag(name: .customLong("ask-pass"), help: "Prompt for the SSH password (for hosts that accept only passwords).")
    var askPass = false

    @Option(
        name: .customLong("password-file"),
        help: ArgumentHelp(
            "Read the SSH password from this file (also: MUSTER_SSH_PASSWORD).", valueName: "file"))
    var passwordFile: String?

    @Option(
        name: .customLong("passphrase-file"),
        help: ArgumentHelp(
            "Read the private key passphrase from this file (also: MUSTER_SSH_PASSPHRASE; else a prompt).", valueName: "file"))
    var passphraseFile: String?

    @Flag(name: .customLong("no-agent"), help: "Do not offer keys from ssh-agent (SSH_AUTH_SOCK).")
    var noAgent = false

    func validate() throws {
        if let connectTimeout, connectTimeout <= 0 { throw ValidationError("--connect-timeout must be positive") }
        if askPass && passwordFile != nil { throw ValidationError("give either --ask-pass or --password-file, not both") }
    }
}

/// How a run goes: parallelism, time limits and output.
struct RunOptions: ParsableArguments {
    @Option(
        name: .customLong("timeout"),
        help: ArgumentHelp(
            "Seconds each command or transfer may take (default: no limit).", valueName: "seconds"))
    var timeout: Double?

    @Option(name: .shortAndLong, help: ArgumentHelp("Hosts in flight at once.", valueName: "n"))
    var forks: Int = 50

    @Option(name: .customLong("format"), help: "Output: text (folded per identical result) or json.")
    var format: OutputFormat = .text

    @Flag(name: .customLong("no-progress"), help: "No live progress on stderr.")
    var noProgress = false

    func validate() throws {
        guard forks >= 1 else { throw ValidationError("--forks must be at least 1") }
        if let timeout, timeout <= 0 { throw ValidationError("--timeout must be positive") }
    }

    var commandTimeout: Duration? { timeout.map { .seconds($0) } }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

extension HostKeyPolicy: ExpressibleByArgument {}
