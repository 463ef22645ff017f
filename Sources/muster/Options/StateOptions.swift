import ArgumentParser
import Foundation
import MusterCore
import MusterState

/// Where `run` and `check` record the run (`muster runs` and `muster show` read it back).
struct StateOptions: ParsableArguments {
    @Option(
        name: .customLong("state"),
        help: ArgumentHelp("The run history database (default: $XDG_STATE_HOME/muster/muster.db).", valueName: "path"))
    var path: String?

    @Flag(name: .customLong("no-state"), help: "Do not record this run.")
    var disabled = false

    func validate() throws {
        if disabled, path != nil { throw ValidationError("--state and --no-state contradict each other") }
    }

    /// Opens the history and records the run's start; nil with `--no-state`. A `--state`
    /// that cannot be used is bad input (nothing has been contacted yet); the default
    /// location failing only costs the history, so the run goes on after a warning.
    func recorder(_ start: () -> RunStart) throws -> RunRecorder? {
        guard !disabled else { return nil }
        do {
            return try RunRecorder(store: StateStore(path: path ?? StateStore.defaultPath()), start: start())
        } catch {
            if path != nil { throw error as? StateError ?? StateError("cannot record in \(path!): \(error)") }
            Console.err("muster: warning: this run is not recorded: \(error)\n")
            return nil
        }
    }

    /// The store `muster facts` writes its gathering to once it is over; nil with
    /// `--no-state`. Opened before any host is contacted, with `recorder`'s rules: a
    /// `--state` that cannot be used is bad input, the default location only warns.
    func store() throws -> StateStore? {
        guard !disabled else { return nil }
        do {
            return try StateStore(path: path ?? StateStore.defaultPath())
        } catch {
            if path != nil { throw error as? StateError ?? StateError("cannot record in \(path!): \(error)") }
            Console.err("muster: warning: these facts are not recorded: \(error)\n")
            return nil
        }
    }
}
