import Foundation
import Testing

@testable import MusterCore

/// `distribute:` as written, and the relay round's pieces that need no host: the
/// authorized_keys line, what is accepted from a relay, the relay's report.
@Suite struct DistributionParsingTests {
    private func copy(_ task: String) throws -> CopyAction {
        let playbook = try parsePlaybook(playbookWithTask(task))
        guard case .copy(let copy) = playbook.stages[0].tasks[0].action else { throw PlaybookError(source: "", message: "not a copy") }
        return copy
    }

    @Test func forms() throws {
        #expect(try copy("- copy: {src: a, dest: /b}").distribute == nil)
        #expect(try copy("- copy: {src: a, dest: /b, distribute: per-datacenter}").distribute == CopyDistribution(groupBy: "datacenter"))
        #expect(try copy("- copy: {src: a, dest: /b, distribute: {per: site}}").distribute == CopyDistribution(groupBy: "site"))
    }

    @Test func badValuesPointAtThemselves() {
        expectError(
            playbookWithTask("- copy: {src: a, dest: /b, distribute: per-site}"), line: 4, column: 46,
            "distribute must be per-datacenter or {per: VARIABLE}")
        expectError(
            playbookWithTask("- copy: {src: a, dest: /b, distribute: {per: 'a b'}}"), line: 4, column: 52,
            "per must name an inventory variable")
        expectError(playbookWithTask("- copy: {src: a, dest: /b, distribute: {by: site}}"), line: 4, column: 47, "unknown")
        expectError(playbookWithTask("- copy: {src: a, dest: /b, distribute: [x]}"), line: 4, column: 46, "distribute")
    }

    @Test(arguments: ["run_once: true", "delegate_to: web1", "until: result.rc == 0", "retries: 2"])
    func notWithTasksThatDoNotRunOncePerHost(_ key: String) {
        let name = String(key.prefix { $0 != ":" })
        expectError(
            playbookWithTask("- copy: {src: a, dest: /b, distribute: per-datacenter}\n  \(key)"), line: 4, column: 34,
            "distribute cannot be combined with '\(name)'")
    }

    @Test func pushOption() {
        #expect(CopyDistribution.parse("per-datacenter") == CopyDistribution(groupBy: "datacenter"))
        #expect(CopyDistribution.parse("per-datacenter=site") == CopyDistribution(groupBy: "site"))
        #expect(CopyDistribution.parse("per-datacenter=") == nil)
        #expect(CopyDistribution.parse("per-site") == nil)
        #expect(CopyDistribution.parse("per-datacenter=a;b") == nil)
    }

    private func expectError(
        _ text: String, line: Int, column: Int, _ message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        guard let error = playbookError(text) else {
            Issue.record("parsed without error", sourceLocation: sourceLocation)
            return
        }
        #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
        #expect(error.column == column, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.contains(message), "\(error)", sourceLocation: sourceLocation)
    }
}

@Suite struct RelayAccessTests {
    let access = RelayAccess(token: "0123456789abcdef")
    let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJyK33gE9+aAWVXgKku19ll/6gm6U93AkP/Gbz8upOeq"

    @Test func theAuthorizedKeysLineAllowsOneWriteFromTheRelayForAWhile() {
        let line = access.authorizedKeysLine(
            publicKey: key, relayAddress: "198.18.1.10", stagedPath: access.stagedPath(for: "/root/setup.bin"), expiry: "202701150900")
        #expect(
            line == "restrict,from=\"198.18.1.10\",expiry-time=\"202701150900\","
                + "command=\"umask 077; rm -f -- /root/setup.bin.muster-relay-0123456789abcdef && set -C && "
                + "exec cat > /root/setup.bin.muster-relay-0123456789abcdef\" \(key) muster-relay-0123456789abcdef")
    }

    @Test func quotesInTheStagedPathAreEscapedForBothShellAndAuthorizedKeys() {
        let line = access.authorizedKeysLine(publicKey: key, relayAddress: "::1", stagedPath: "/opt/a \"b\" 'c'", expiry: "1")
        #expect(line.contains(#"command="umask 077; rm -f -- '/opt/a \"b\" '\''c'\''' && set -C && exec cat > '/opt/a \"b\" '\''c'\'''" "#))
        #expect(!RelayAccess.isLineSafe("/opt/a\nb"))
        #expect(RelayAccess.isLineSafe("/opt/a b"))
    }

    @Test func onlyAnEd25519KeyFromTheRelayIsAccepted() {
        #expect(RelayAccess.validatedPublicKey(key + " muster-relay-0123456789abcdef\n") == key)
        #expect(RelayAccess.validatedPublicKey("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ") == nil)
        #expect(RelayAccess.validatedPublicKey("ssh-ed25519 AAAA\ncommand=\"sh\" ssh-ed25519 AAAA") == nil)
        #expect(RelayAccess.validatedPublicKey("from=\"*\" " + key) == nil)
        #expect(RelayAccess.validatedPublicKey("") == nil)
    }

    @Test func relaysNeedAnIPAddress() {
        #expect(RelayAccess.isIPAddress("127.0.1.10"))
        #expect(RelayAccess.isIPAddress("198.18.2.11"))
        #expect(RelayAccess.isIPAddress("fd00::1"))
        #expect(!RelayAccess.isIPAddress("ums-fra-01.example.net"))
        #expect(!RelayAccess.isIPAddress("127.0.1.10,*"))
    }

    @Test func tokensAreRandomHex() {
        let tokens = Set((0..<50).map { _ in RelayAccess.newToken() })
        #expect(tokens.count == 50)
        #expect(tokens.allSatisfy { $0.count == 16 && $0.allSatisfy(\.isHexDigit) })
    }

    @Test func theRelaysReportIsReadPerTarget() {
        let results = RelayScripts.sendResults(
            "relay-result 0 0 \nrelay-result 1 255 Permission denied (publickey).\nnoise\nrelay-result 2 1 \n")
        #expect(results[0]?.status == 0)
        #expect(results[1]?.status == 255)
        #expect(results[1]?.error == "Permission denied (publickey).")
        #expect(results[2]?.error == "")
        #expect(results[3] == nil)
    }

    @Test func theSendScriptBindsToTheRelayAddressAndChecksHostKeysStrictly() {
        let target = RelayScripts.Target(user: "root", address: "198.18.2.12", port: 2222, hostKey: "ssh-ed25519 AAAA")
        let script = RelayScripts.send(access, source: "/root/setup.bin", relayAddress: "198.18.2.10", targets: [target, target])
        for option in [
            "BindAddress=198.18.2.10", "StrictHostKeyChecking=yes", "BatchMode=yes", "IdentitiesOnly=yes", "HostKeyAlias=muster-1",
        ] {
            #expect(script.contains(option), "\(option)")
        }
        #expect(script.contains("-p 2222 -l root -- 198.18.2.12"))
        let prepare = RelayScripts.prepare(access, targets: [target])
        #expect(prepare.contains("mkdir -m 700 -- /tmp/muster-relay-0123456789abcdef"))
        #expect(prepare.contains("'muster-0 ssh-ed25519 AAAA'"))
    }
}
