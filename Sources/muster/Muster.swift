import ArgumentParser
import Foundation
import MusterCore

/// The `muster` command: thin wrappers over MusterCore, one subcommand per file.
struct Muster: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "muster",
        abstract: "Roll software out to fleets of Linux hosts over SSH.",
        discussion: """
            Muster reads Ansible-style inventories, checks every host key against known_hosts, \
            and runs work on many hosts at once over one SSH session per host.

            Exit status: 0 every host succeeded, 1 some host failed or was unreachable, \
            2 bad input (nothing was run), 3 preflight blocked a rollout, 130 interrupted.
            """,
        version: "0.1.0",
        subcommands: [
            RunCommand.self, CheckCommand.self, ExecCommand.self, PushCommand.self, FactsCommand.self, InventoryCommand.self,
            RunsCommand.self, ShowCommand.self, ReportCommand.self,
        ]
    )
}

/// Entry point: bad input of any kind exits with status 2 and one clear line, before
/// any host is contacted (ArgumentParser's own default for usage errors is 64).
@main
enum Main {
    static func main() async {
        // A host that dies mid-write must fail that host, not end the run with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        raiseDescriptorLimit()
        do {
            var command = try Muster.parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as any BadInput {
            Console.err("muster: \(error.description)\n")
            Foundation.exit(2)
        } catch {
            let code = Muster.exitCode(for: error)
            if code == .validationFailure {
                Console.err(Muster.fullMessage(for: error) + "\n")
                Foundation.exit(2)
            }
            Muster.exit(withError: error)
        }
    }

    /// One socket per host in flight: `-f 1000` needs more descriptors than the usual
    /// soft limit of 1,024, so take what the hard limit allows, as servers do.
    private static func raiseDescriptorLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
