import Foundation

/// What an upload did on one host.
public enum UploadOutcome: Sendable, Equatable {
    /// The remote file already had this content, mode and owner: nothing sent.
    case unchanged
    /// The content was already there; only mode or owner were corrected.
    case attributesChanged
    /// The content was sent, verified and renamed into place.
    case uploaded(bytes: Int)

    public var changed: Bool { self != .unchanged }
}

/// What a remote file holds, as far as an upload cares.
public struct RemoteFileState: Sendable, Equatable {
    public var sha256: String
    public var mode: Int
    public var owner: String

    /// True when an upload of `file` with `mode` and `owner` would send nothing and change nothing.
    public func matches(_ file: LocalFile, mode: Int, owner: String?) -> Bool {
        sha256 == file.sha256 && self.mode == mode && RemoteScripts.ownerMatches(owner, actual: self.owner)
    }
}

extension SSHSession {
    /// The remote file's SHA-256, mode and owner in one round trip; nil when it does not exist.
    public func remoteFile(_ remotePath: String, timeout: Duration? = nil) async throws -> RemoteFileState? {
        let current = try await exec(RemoteScripts.describe(remotePath), timeout: timeout)
        let lines = current.stdoutText.split(separator: "\n").map(String.init)
        guard lines.count == 3, let mode = Int(lines[1], radix: 8) else { return nil }
        return RemoteFileState(sha256: lines[0], mode: mode, owner: lines[2])
    }

    /// Puts `file` at `remotePath` atomically: skipped when the remote file already has
    /// the same SHA-256 (and mode and owner); otherwise streamed to a temporary name
    /// next to the target, verified by SHA-256 on the host, given `mode` and `owner`,
    /// and renamed into place. A transfer cut off half-way never reaches `remotePath`.
    ///
    /// `writer`, when given, is a shell fragment run in place of `cat > "$t"`: it reads
    /// the stream on stdin and must write all of it to `"$t"` (a relay tees it into its
    /// sends to other hosts as it arrives). The check and install after it are the same.
    public func upload(
        _ file: LocalFile, to remotePath: String, mode: Int = 0o644, owner: String? = nil,
        timeout: Duration? = nil, writer: String? = nil, onProgress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> UploadOutcome {
        let modeText = String(mode, radix: 8)
        let current = try await remoteFile(remotePath, timeout: timeout)
        if let current, current.sha256 == file.sha256 {
            if current.matches(file, mode: mode, owner: owner) { return .unchanged }
            let fixed = try await exec(RemoteScripts.setAttributes(remotePath, mode: modeText, owner: owner), timeout: timeout)
            guard fixed.succeeded else { throw transferFailure("cannot set mode/owner of \(remotePath)", fixed) }
            return .attributesChanged
        }
        let pages = file.sentPages
        let upload = pages.begin()
        defer { pages.finish(upload) }
        let result = try await exec(
            RemoteScripts.receive(remotePath, sha256: file.sha256, mode: modeText, owner: owner, writer: writer),
            stdin: file.contents, timeout: timeout,
            onInputProgress: { offset in
                pages.advance(upload, to: offset)
                onProgress?(offset)
            })
        guard result.succeeded else { throw transferFailure("upload to \(remotePath) failed", result) }
        return .uploaded(bytes: file.size)
    }

    /// Installs a file that something else already put on the host at `stagedPath` (a
    /// relay's copy, see `distribute`): the same check as an upload's last step, its
    /// SHA-256 against `sha256`, then `mode`, `owner` and the rename onto `remotePath`.
    /// The staged file is gone afterwards, renamed or (on any failure) removed.
    public func installStaged(
        _ stagedPath: String, sha256: String, size: Int, to remotePath: String, mode: Int = 0o644, owner: String? = nil,
        timeout: Duration? = nil
    ) async throws -> UploadOutcome {
        let result = try await exec(
            RemoteScripts.installStaged(stagedPath, to: remotePath, sha256: sha256, mode: String(mode, radix: 8), owner: owner),
            timeout: timeout)
        guard result.succeeded else { throw transferFailure("install of the relayed copy at \(remotePath) failed", result) }
        return .uploaded(bytes: size)
    }

    /// Reads a remote file (a token, a manifest): fails when it is missing or unreadable.
    public func download(_ remotePath: String, timeout: Duration? = nil) async throws -> Data {
        let result = try await exec("cat -- \(ShellQuote.quote(remotePath))", timeout: timeout)
        guard result.succeeded else { throw transferFailure("cannot read \(remotePath)", result) }
        return Data(result.stdout)
    }

    private func transferFailure(_ what: String, _ result: CommandResult) -> SSHError {
        let reason = result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
        let status = result.ending
        return SSHError(.transfer, "\(endpoint): \(what): \(reason.isEmpty ? status : reason)")
    }
}

/// The small POSIX shell programs that make transfers checksummed and atomic.
enum RemoteScripts {
    /// A shell function printing the SHA-256 of stdin as the first word. OpenSSL's
    /// command uses the CPU's SHA extensions (5× faster than coreutils' sha256sum on
    /// the testbed); sha256sum remains the fallback on hosts without it.
    static let hashFunction =
        "h() { if command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 -r; else sha256sum; fi; }"

    /// The host-side digest cache: one small file per (device, inode) in the login
    /// user's cache directory, holding `size mtime ctime sha256` of the file when it was
    /// last hashed. A file's ctime changes with every write and cannot be set back
    /// without root, so an unchanged stat line means unchanged content, and re-pushing
    /// an unchanged 200 MB bundle costs a `stat` instead of hashing it on every host.
    static let digestCache = #"c="${XDG_CACHE_HOME:-$HOME/.cache}/muster/sha256""#

    /// Prints sha256, octal mode and user:group of a regular file; nothing if absent.
    /// The digest comes from the cache when the file's stat line still matches.
    static func describe(_ path: String) -> String {
        let file = ShellQuote.quote(path)
        return """
            \(hashFunction); \(digestCache)
            if [ -f \(file) ]; then
              set -- $(stat -c '%d %i %s %.9Y %.9Z %a %U:%G' -- \(file)); k="$c/$1-$2"; s="$3 $4 $5"; m=$6; o=$7
              case "$4 $5" in *.?????????' '*.?????????) ;; *) k= ;; esac  # no nanoseconds (old stat): no cache
              d=; if [ -n "$k" ] && [ -r "$k" ]; then read -r cs cm cc cd < "$k" || true; [ "$cs $cm $cc" = "$s" ] && d=$cd; fi
              if [ -z "$d" ]; then
                set -- $(h < \(file)); d=$1
                [ -z "$k" ] || (umask 077; mkdir -p "$c" && printf '%s %s\\n' "$s" "$d" > "$k") 2>/dev/null || true
              fi
              echo "$d"; echo "$m"; echo "$o"
            fi
            """
    }

    static func setAttributes(_ path: String, mode: String, owner: String?) -> String {
        let file = ShellQuote.quote(path)
        let chown = owner.map { " && chown \(ShellQuote.quote($0)) -- \(file)" } ?? ""
        return "chmod \(mode) -- \(file)\(chown)"
    }

    /// Streams stdin to a temporary file beside the target (through `writer` if given),
    /// then `verifyAndInstall`s it. The trap removes the temporary file on any failure.
    static func receive(_ path: String, sha256: String, mode: String, owner: String?, writer: String? = nil) -> String {
        """
        set -e
        t=\(ShellQuote.quote(path)).muster-tmp.$$
        trap 'rm -f -- "$t"' EXIT
        trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM
        (umask 077 && \(writer ?? #"cat > "$t""#))
        \(verifyAndInstall(path, sha256: sha256, mode: mode, owner: owner))
        """
    }

    /// Installs a file already staged at `staged` (by a relay) exactly as `receive` does
    /// with its own temporary file, after moving it to a name only this script uses.
    static func installStaged(_ staged: String, to path: String, sha256: String, mode: String, owner: String?) -> String {
        """
        set -e
        t=\(ShellQuote.quote(staged)).muster-tmp.$$
        trap 'rm -f -- "$t"' EXIT
        trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM
        # Moved to a name of this script's own first: what is checked is what is installed.
        [ -f \(ShellQuote.quote(staged)) ] && mv -f -- \(ShellQuote.quote(staged)) "$t" || { echo "the relayed copy is missing" >&2; exit 66; }
        \(verifyAndInstall(path, sha256: sha256, mode: mode, owner: owner))
        """
    }

    /// The one last step of every transfer: `$t` (a temporary file beside the target,
    /// removed by the caller's EXIT trap on failure) has its SHA-256 checked, gets mode
    /// and owner, and is renamed into place; the digest cache then remembers it.
    private static func verifyAndInstall(_ path: String, sha256: String, mode: String, owner: String?) -> String {
        let file = ShellQuote.quote(path)
        let chown = owner.map { "chown \(ShellQuote.quote($0)) -- \"$t\"\n" } ?? ""
        return """
            \(hashFunction)
            set -- $(h < "$t")
            if [ "$1" != \(sha256) ]; then echo "checksum mismatch after transfer: got $1, expected \(sha256)" >&2; exit 65; fi
            chmod \(mode) -- "$t"
            \(chown)mv -f -- "$t" \(file)
            trap - EXIT
            # Remember the digest just verified, so the next describe needs no hashing.
            \(digestCache)
            set -- $(stat -c '%d %i %s %.9Y %.9Z' -- \(file))
            case "$4 $5" in *.?????????' '*.?????????) (umask 077; mkdir -p "$c" && printf '%s %s %s %s\\n' "$3" "$4" "$5" \(sha256) > "$c/$1-$2") 2>/dev/null || true ;; esac
            """
    }

    /// `owner` as given to `--owner` (user or user:group) against `stat`'s user:group.
    static func ownerMatches(_ owner: String?, actual: String) -> Bool {
        guard let owner else { return true }
        return owner.contains(":") ? owner == actual : actual.hasPrefix(owner + ":")
    }
}
