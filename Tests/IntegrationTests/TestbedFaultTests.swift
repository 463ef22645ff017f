import Foundation
import MusterSSH
import Testing

/// The testbed's clock-skew and read-only-/root faults are real: every process on
/// the host sees them, as later preflight checks will.
@Suite struct TestbedFaultTests {
    let testbed = Testbed.shared

    @Test func aSkewedHostSeesItsOwnClock() async throws {
        let host = Testbed.name(14)
        try await testbed.withFault("skew", on: host, "120") {
            let session = try await testbed.connect(host)
            let remote = try await session.exec("date +%s").stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
            let offset = (Double(remote) ?? 0) - Date().timeIntervalSince1970
            #expect(abs(offset - 120) < 10, "clock offset was \(offset) s")
            await session.close()
        }
    }

    @Test func aReadOnlyRootRefusesWrites() async throws {
        let host = Testbed.name(15)
        try await testbed.withFault("ro-root", on: host) {
            let session = try await testbed.connect(host)
            let result = try await session.exec("touch /root/probe")
            #expect(result.exitStatus != 0)
            #expect(result.stderrText.contains("Read-only file system"))
            #expect(try await session.exec("touch /opt/probe && rm /opt/probe").succeeded, "only /root is read-only")
            await session.close()
        }
    }
}
