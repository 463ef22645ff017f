import Foundation
import Testing

@testable import MusterSSH

/// known_hosts parsing and matching, without a network.
@Suite struct KnownHostsTests {
    let key = Array("\u{0}\u{0}\u{0}\u{b}ssh-ed25519\u{0}\u{0}\u{0}\u{4}AAAA".utf8)
    let otherKey = Array("\u{0}\u{0}\u{0}\u{b}ssh-ed25519\u{0}\u{0}\u{0}\u{4}BBBB".utf8)

    func store(_ text: String) throws -> KnownHosts {
        let path = NSTemporaryDirectory() + "kh-\(UUID().uuidString)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        return try KnownHosts(files: [path], writableFile: nil)
    }

    var base64: String { Data(key).base64EncodedString() }

    @Test func plainPatternsPortsAndNegation() throws {
        let known = try store(
            """
            # comment
            web*.dc1,!web9.dc1 ssh-ed25519 \(base64)
            [10.0.0.5]:2222 ssh-ed25519 \(base64)
            @cert-authority *.dc2 ssh-ed25519 \(base64)
            """)
        #expect(known.verdict(host: "web1.dc1", port: 22, key: key) == .match)
        #expect(known.verdict(host: "web9.dc1", port: 22, key: key) == .unknown)
        #expect(known.verdict(host: "10.0.0.5", port: 2222, key: key) == .match)
        #expect(known.verdict(host: "10.0.0.5", port: 22, key: key) == .unknown)
        #expect(known.verdict(host: "x.dc2", port: 22, key: key) == .unknown, "@cert-authority is not a host key")
        guard case .changed(let location) = known.verdict(host: "web1.dc1", port: 22, key: otherKey) else {
            Issue.record("a different key of the same type is a change")
            return
        }
        #expect(location.hasSuffix(":2"))
    }

    @Test func hashedEntriesMatchWhatSshKeygenWrites() throws {
        // |1|salt|HMAC-SHA1(salt, "[10.1.2.3]:2200"), computed here the way ssh-keygen -H does.
        let salt = (0..<20).map { UInt8($0) }
        let hash = Digest.hmacSHA1(key: salt, message: Array("[10.1.2.3]:2200".utf8))
        let line = "|1|\(Data(salt).base64EncodedString())|\(Data(hash).base64EncodedString()) ssh-ed25519 \(base64)"
        let known = try store(line)
        #expect(known.verdict(host: "10.1.2.3", port: 2200, key: key) == .match)
        #expect(known.verdict(host: "10.1.2.4", port: 2200, key: key) == .unknown)
    }

    @Test func revokedKeysAreRefusedEvenWhenAlsoListed() throws {
        let known = try store(
            """
            host1 ssh-ed25519 \(base64)
            @revoked * ssh-ed25519 \(base64)
            """)
        guard case .revoked(let location) = known.verdict(host: "host1", port: 22, key: key) else {
            Issue.record("a revoked key must be refused")
            return
        }
        #expect(location.hasSuffix(":2"))
    }

    @Test func knownKeyTypesComeFirst() throws {
        let known = try store("h ecdsa-sha2-nistp256 \(base64)\nh ssh-ed25519 \(base64)")
        #expect(known.knownKeyTypes(host: "h", port: 22) == ["ecdsa-sha2-nistp256", "ssh-ed25519"])
    }

    @Test func shellQuotingSurvivesHostileValues() {
        #expect(ShellQuote.quote("/opt/IGEL/file.bin") == "/opt/IGEL/file.bin")
        #expect(ShellQuote.quote("a b") == "'a b'")
        #expect(ShellQuote.quote("it's; rm -rf /") == "'it'\\''s; rm -rf /'")
        #expect(ShellQuote.quote("") == "''")
        #expect(ShellQuote.quote("$(reboot)") == "'$(reboot)'")
    }

    @Test func ownerComparisonAcceptsUserOrUserGroup() {
        #expect(RemoteScripts.ownerMatches(nil, actual: "root:root"))
        #expect(RemoteScripts.ownerMatches("root", actual: "root:root"))
        #expect(RemoteScripts.ownerMatches("root:adm", actual: "root:adm"))
        #expect(!RemoteScripts.ownerMatches("root:adm", actual: "root:root"))
        #expect(!RemoteScripts.ownerMatches("ro", actual: "root:root"))
    }
}
