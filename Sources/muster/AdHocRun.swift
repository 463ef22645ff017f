import ArgumentParser
import Foundation
import MusterCore
import MusterSSH

/// What `exec` and `push` share: select hosts, check every input before touching a
/// host, run the job with live progress, print the report, exit with the right status.
struct AdHocRun {
    let run: RunOptions
    let targets: [FleetTarget]
    let runner: FleetRunner

    /// Reads the inventory, key files and known_hosts; any problem is bad input.
    init(inventory inventoryOptions: InventoryOptions, connection options: ConnectionOptions, run: RunOptions) throws {
        self.run = run
        let hosts = try inventoryOptions.selectHosts(from: inventoryOptions.load())
        let secrets = Secrets(options)
        var builder = TargetBuilder(
            defaults: ConnectionDefaults(
                user: options.user, privateKeys: options.privateKeys,
                password: try secrets.password(), useAgent: !options.noAgent),
            passphrase: secrets.passphrase(for:))
        targets = try builder.targets(for: hosts)
        let clientOptions = SSHClientOptions(
            connectTimeout: .seconds(options.connectTimeout),
            hostKeyPolicy: options.hostKeyPolicy,
            knownHosts: try Self.knownHosts(options))
        runner = FleetRunner(options: clientOptions, forks: run.forks)
    }

    private static func knownHosts(_ options: ConnectionOptions) throws -> KnownHosts {
        if options.hostKeyPolicy == .off {
            Console.err(
                """
                muster: WARNING: host key checking is OFF (--host-key-policy off): any machine that answers \
                on these addresses will be trusted with your credentials and commands.\n
                """)
        }
        let userFile =
            options.knownHostsFile.map { ($0 as NSString).expandingTildeInPath }
            ?? ("~/.ssh/known_hosts" as NSString).expandingTildeInPath
        if let explicit = options.knownHostsFile, options.hostKeyPolicy != .acceptNew,
            !FileManager.default.isReadableFile(atPath: userFile)
        {
            throw UsageError("\(explicit): known_hosts file not found or not readable")
        }
        let files = options.knownHostsFile == nil ? [userFile, "/etc/ssh/ssh_known_hosts"] : [userFile]
        do {
            return try KnownHosts(files: files, writableFile: userFile)
        } catch let error as SSHError {
            throw UsageError(error.message)
        }
    }

    /// Runs `job` on every target, prints the report, and ends the process with
    /// status 0 (all ok) or 1 (any host failed or unreachable).
    func execute(label: String, job: @escaping FleetRunner.Job) async throws -> Never {
        let colors = TerminalColors.forOutput(STDOUT_FILENO)
        let progress = ProgressDisplay(
            mode: ProgressDisplay.mode(noProgress: run.noProgress),
            total: targets.count, colors: TerminalColors.forOutput(STDERR_FILENO))
        let clock = ContinuousClock()
        let start = clock.now
        let results = await runner.run(targets, onEvent: progress.handle, job: job)
        let elapsed = start.duration(to: clock.now)
        progress.finish()
        let report =
            switch run.format {
            case .text: ResultRenderer(colors: colors).render(results, elapsed: elapsed)
            case .json: try JSONReport(command: label, results: results, elapsed: elapsed).encoded() + "\n"
            }
        Console.out(report)
        Foundation.exit(RunSummary(results).allSucceeded ? 0 : 1)
    }
}

/// Passwords and passphrases: from a file, the environment or a prompt, never from
/// the command line (where `ps` and shell history would show them).
struct Secrets {
    let options: ConnectionOptions

    init(_ options: ConnectionOptions) { self.options = options }

    func password() throws -> String? {
        if let file = options.passwordFile { return try Self.read(file, what: "password") }
        if options.askPass { return try Self.prompt("SSH password: ") }
        return ProcessInfo.processInfo.environment["MUSTER_SSH_PASSWORD"]
    }

    func passphrase(for key: PrivateKeyFile) throws -> String? {
        if let file = options.passphraseFile { return try Self.read(file, what: "passphrase") }
        if let value = ProcessInfo.processInfo.environment["MUSTER_SSH_PASSPHRASE"] { return value }
        return try Self.prompt("Passphrase for \(key.path): ")
    }

    private static func read(_ path: String, what: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw UsageError("\(path): cannot read the \(what) file")
        }
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    private static func prompt(_ text: String) throws -> String {
        guard isatty(STDIN_FILENO) == 1, let answer = getpass(text) else {
            throw UsageError("\(text.dropLast(2)) needed, but there is no terminal to ask on; use a file or the environment")
        }
        return String(cString: answer)
    }
}
