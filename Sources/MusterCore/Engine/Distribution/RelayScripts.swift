import Foundation
import MusterSSH

/// The shell programs of a relay round: preparing the relay, authorizing and revoking
/// its key on a target, the relay's parallel sends, and removing the relay's directory.
/// Every value is shell-quoted; removals check their own result and fail loudly.
enum RelayScripts {
    /// A target the relay sends to: where to connect, and the host key to expect there.
    struct Target: Sendable {
        var user: String
        var address: String
        var port: Int
        /// `algorithm BASE64` of the key the controller verified for this host.
        var hostKey: String
    }

    /// Checks the relay has OpenSSH's client, makes the round's 0700 directory (failing
    /// if it exists), a fresh ed25519 key in it and a known_hosts with the targets' keys
    /// under aliases `muster-0`, `muster-1`, …; prints the public key.
    static func prepare(_ access: RelayAccess, targets: [Target]) -> String {
        let directory = ShellQuote.quote(access.relayDirectory)
        let knownHosts = targets.enumerated().map { index, target in ShellQuote.quote("muster-\(index) \(target.hostKey)") }
        return """
            set -e
            command -v ssh >/dev/null 2>&1 || { echo "no ssh client (OpenSSH) on PATH" >&2; exit 69; }
            command -v ssh-keygen >/dev/null 2>&1 || { echo "no ssh-keygen on PATH" >&2; exit 69; }
            umask 077
            mkdir -m 700 -- \(directory)
            ssh-keygen -q -t ed25519 -N '' -C \(ShellQuote.quote(access.marker)) -f \(directory)/key </dev/null >/dev/null
            printf '%s\\n' \(knownHosts.joined(separator: " ")) > \(directory)/known_hosts
            cat \(directory)/key.pub
            """
    }

    /// Appends the round's line to the login user's authorized_keys; the expiry is the
    /// target's own clock plus an hour.
    static func authorize(_ access: RelayAccess, publicKey: String, relayAddress: String, stagedPath: String) -> String {
        let placeholder = "\u{1}"
        let line = access.authorizedKeysLine(publicKey: publicKey, relayAddress: relayAddress, stagedPath: stagedPath, expiry: placeholder)
        let parts = line.components(separatedBy: placeholder)
        return """
            set -e
            e=$(date -d "@$(( $(date +%s) + 3600 ))" +%Y%m%d%H%M)
            umask 077
            mkdir -p -- "$HOME/.ssh"
            printf '%s%s%s\\n' \(ShellQuote.quote(parts[0])) "$e" \(ShellQuote.quote(parts[1])) >> "$HOME/.ssh/authorized_keys"
            """
    }

    /// Removes every line of the round from the login user's authorized_keys (a copy
    /// with the same mode and owner, renamed over it, so sshd never reads half a file)
    /// and the staged file, then checks that neither is left.
    static func revoke(_ access: RelayAccess, stagedPath: String) -> String {
        let marker = ShellQuote.quote(" " + access.marker)
        let staged = ShellQuote.quote(stagedPath)
        return """
            f="$HOME/.ssh/authorized_keys"
            rm -f -- \(staged)
            if [ -f "$f" ] && grep -qF -- \(marker) "$f"; then
              t="$f.muster-tmp.$$"
              cp -p -- "$f" "$t" && { grep -vF -- \(marker) "$f" > "$t" || [ $? = 1 ]; } && mv -f -- "$t" "$f" || { rm -f -- "$t"; exit 1; }
            fi
            if [ -f "$f" ] && grep -qF -- \(marker) "$f"; then echo "the relay key's line is still in $f" >&2; exit 1; fi
            if [ -e \(staged) ]; then echo "the staged file is still there" >&2; exit 1; fi
            """
    }

    /// The relay's sends: one `ssh` per target (at most `parallel` at once) reading the
    /// relay's own installed copy; the target's forced command decides where it goes.
    /// Prints `relay-result INDEX STATUS LAST-STDERR-LINE` per target. `BindAddress`
    /// makes the connection come from the relay's inventory address, which is what
    /// each target's `from=` admits (see docs/distribution.md).
    static func send(_ access: RelayAccess, source: String, relayAddress: String, targets: [Target], parallel: Int = 16) -> String {
        var lines = [
            "umask 077", "d=\(ShellQuote.quote(access.relayDirectory))", "s=\(ShellQuote.quote(source))",
            "[ -r \"$s\" ] || { echo \"cannot read $s\" >&2; exit 66; }",
        ]
        for wave in stride(from: 0, to: targets.count, by: max(1, parallel)) {
            let indices = Array(wave..<min(targets.count, wave + max(1, parallel)))
            for index in indices {
                lines.append(sshCommand(access, relayAddress: relayAddress, target: targets[index], index: index, input: "\"$s\""))
            }
            for index in indices { lines.append(reportLine(index)) }
        }
        lines.append("rm -f -- \"$d/pids\"")
        return lines.joined(separator: "\n")
    }

    /// The relay's sends while it receives: the fragment that takes the place of `cat`
    /// in the relay's own upload (`SSHSession.upload(writer:)`). Every target's `ssh`
    /// reads a FIFO of its own, and `tee` writes the incoming stream to all of them and
    /// to the relay's temporary file at once, so the file crosses the WAN and the LAN
    /// together instead of one after the other. A target whose `ssh` ends early is
    /// dropped by `tee -p` without stopping the others. The per-target lines that `send`
    /// prints go to the round's `results` file, read afterwards by `results`.
    static func sendWhileReceiving(_ access: RelayAccess, relayAddress: String, targets: [Target]) -> String {
        var lines = ["d=\(ShellQuote.quote(access.relayDirectory))", ": > \"$d/results\""]
        for index in targets.indices {
            lines.append("mkfifo -m 600 \"$d/in.\(index)\"")
            lines.append(sshCommand(access, relayAddress: relayAddress, target: targets[index], index: index, input: "\"$d/in.\(index)\""))
        }
        let fifos = targets.indices.map { "\"$d/in.\($0)\"" }.joined(separator: " ")
        lines.append("teed=0; tee -p \(fifos) > \"$t\" || teed=$?")
        for index in targets.indices { lines.append(reportLine(index) + " >> \"$d/results\"") }
        lines.append("rm -f -- \"$d/pids\" \(fifos)")
        lines.append("exit $teed")
        return "{\n" + lines.joined(separator: "\n") + "\n}"
    }

    /// Prints the `results` file `sendWhileReceiving` wrote, for `sendResults`.
    static func results(_ access: RelayAccess) -> String {
        "cat -- \(ShellQuote.quote(access.relayDirectory + "/results"))"
    }

    /// One target's `ssh` in the background, its pid kept (for `removeRelayDirectory`).
    private static func sshCommand(_ access: RelayAccess, relayAddress: String, target: Target, index: Int, input: String) -> String {
        let options = [
            "-T", "-F", "/dev/null", "-i", access.relayDirectory + "/key", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
            "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + access.relayDirectory + "/known_hosts",
            "-o", "GlobalKnownHostsFile=/dev/null", "-o", "BindAddress=" + relayAddress, "-o", "ConnectTimeout=15",
            "-o", "ServerAliveInterval=10", "-o", "ServerAliveCountMax=3", "-o", "LogLevel=ERROR",
        ].map(ShellQuote.quote).joined(separator: " ")
        return "ssh \(options) -o HostKeyAlias=muster-\(index) -p \(target.port) -l \(ShellQuote.quote(target.user)) -- "
            + "\(ShellQuote.quote(target.address)) < \(input) > /dev/null 2> \"$d/err.\(index)\" & p\(index)=$!; echo $p\(index) >> \"$d/pids\""
    }

    /// Waits for target `index`'s `ssh` and prints its `relay-result` line (safe under `set -e`).
    private static func reportLine(_ index: Int) -> String {
        "r=0; wait $p\(index) || r=$?; printf 'relay-result \(index) %s %s\\n' \"$r\" \"$(tail -n 1 \"$d/err.\(index)\" | tr -d '\\r')\""
    }

    /// `send`'s report: per target index, ssh's exit status and its last stderr line.
    static func sendResults(_ output: String) -> [Int: (status: Int, error: String)] {
        var results: [Int: (status: Int, error: String)] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("relay-result ") {
            let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
            guard words.count >= 3, let index = Int(words[1]), let status = Int(words[2]) else { continue }
            results[index] = (status, words.count > 3 ? words[3].trimmingCharacters(in: .whitespaces) : "")
        }
        return results
    }

    /// Stops any send of the round still running (only processes using the round's key,
    /// found through its pid file) and removes the relay's directory, key included; fails
    /// if it is still there.
    static func removeRelayDirectory(_ access: RelayAccess) -> String {
        let directory = ShellQuote.quote(access.relayDirectory)
        return """
            d=\(directory)
            if [ -f "$d/pids" ]; then
              for p in $(cat "$d/pids"); do
                case "$(tr '\\0' ' ' < "/proc/$p/cmdline" 2>/dev/null)" in *"$d/key"*) kill "$p" 2>/dev/null || true ;; esac
              done
            fi
            rm -rf -- "$d"
            if [ -e "$d" ]; then echo "$d is still there" >&2; exit 1; fi
            """
    }
}
