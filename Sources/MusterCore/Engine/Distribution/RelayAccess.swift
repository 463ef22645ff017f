import Foundation
import MusterSSH

/// The credentials of one relay round and exactly what they allow.
///
/// A round's key pair is made on the relay itself (`ssh-keygen` in a 0700 directory of
/// the round's own), so the private key never crosses a network or touches the
/// controller's disk. Each target gets one authorized_keys line for it that can do one
/// thing only: from the relay's address, for an hour, write the round's staged file
/// beside the destination. The random token names all of it, so removal finds exactly
/// this round's lines and files and nobody else's.
struct RelayAccess: Sendable, Hashable {
    /// 16 random hex digits (the system's CSPRNG).
    let token: String

    init(token: String = RelayAccess.newToken()) { self.token = token }

    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(format: "%016llx", generator.next() as UInt64)
    }

    /// The comment that ends every authorized_keys line of this round (and names its key).
    var marker: String { "muster-relay-" + token }

    /// The relay's key directory: key, known_hosts, the transfer's pids and error files.
    var relayDirectory: String { "/tmp/muster-relay-" + token }

    /// Where the relay's copy lands on a target: beside the destination, so the
    /// controller's install is a rename within one file system.
    func stagedPath(for destination: String) -> String { destination + ".muster-relay-" + token }

    /// The only command the target's key runs, whatever the client asks for: the staged
    /// file, created afresh (noclobber) and readable by its owner only.
    static func forcedCommand(stagedPath: String) -> String {
        let path = ShellQuote.quote(stagedPath)
        return "umask 077; rm -f -- \(path) && set -C && exec cat > \(path)"
    }

    /// The target's authorized_keys line. `expiry` is an authorized_keys time
    /// (`YYYYMMDDHHMM`, the target's local time: the target computes it from its own
    /// clock, so controller clock skew cannot shorten or stretch the hour).
    /// `restrict` turns off forwarding, pty and user rc; `from=` admits the relay's
    /// address only; `command=` pins the one write.
    func authorizedKeysLine(publicKey: String, relayAddress: String, stagedPath: String, expiry: String) -> String {
        let command = Self.forcedCommand(stagedPath: stagedPath)
        return "restrict,from=\"\(Self.optionQuoted(relayAddress))\",expiry-time=\"\(expiry)\","
            + "command=\"\(Self.optionQuoted(command))\" \(publicKey) \(marker)"
    }

    /// Inside an authorized_keys option's double quotes, `\"` is the only escape.
    static func optionQuoted(_ text: String) -> String { text.replacingOccurrences(of: "\"", with: "\\\"") }

    /// Whether `text` can go into an authorized_keys line or a known_hosts file at all:
    /// one line, no control characters.
    static func isLineSafe(_ text: String) -> Bool {
        !text.isEmpty && !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// `ssh-ed25519 BASE64 [comment]` as the relay's ssh-keygen printed it, reduced to
    /// `ssh-ed25519 BASE64` and only if the blob really is an ed25519 key: what the relay
    /// says goes into every target's authorized_keys, so nothing else may pass.
    static func validatedPublicKey(_ text: String) -> String? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard words.count >= 2, words[0] == "ssh-ed25519", let blob = Data(base64Encoded: String(words[1])),
            blob.count == 51, SSHKeyBlob.algorithm(of: [UInt8](blob)) == "ssh-ed25519"
        else { return nil }
        return "ssh-ed25519 " + words[1]
    }

    /// An IPv4 or IPv6 literal: what `from=` and `BindAddress` need. A DNS name would
    /// make `from=` depend on reverse DNS (and sshd's UseDNS), so a host known by name
    /// is not made a relay.
    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
