import Foundation
import Testing

@testable import MusterCore
@testable import MusterSSH

/// Builds `muster:KEY:LENGTH:VALUE` probe output as the script prints it.
func probeOutput(_ pairs: KeyValuePairs<String, String>, finished: Bool = true) -> [UInt8] {
    var text = ""
    for (key, value) in pairs { text += "muster:\(key):\(value.utf8.count):\(value)\n" }
    if finished { text += "muster:end:0:\n" }
    return Array(text.utf8)
}

func commandResult(_ stdout: [UInt8], status: Int32 = 0, stderr: String = "") -> CommandResult {
    CommandResult(exitStatus: status, exitSignal: nil, stdout: stdout, stderr: Array(stderr.utf8))
}

/// The probe's script and parser: framing, each fact, and the script run for real by
/// this machine's /bin/sh.
@Suite struct PreflightProbeTests {
    let sent = Date(timeIntervalSince1970: 1_700_000_000)

    func check(_ kind: CheckKind, _ parameters: [String: InventoryValue] = [:]) -> CheckSpec {
        CheckSpec(name: kind.rawValue, kind: kind, severity: .error, parameters: parameters)
    }

    @Test func decodesFramedValuesAndIgnoresOtherLines() {
        var output = Array("Welcome to the host\nmuster:not:99:short\nmuster:bad:x:\n".utf8)
        output += probeOutput(["os.pretty": "Ubuntu 22.04.4 LTS\nsecond line=x", "empty": ""])
        let values = PreflightProbe.decode(output)
        #expect(values["os.pretty"] == "Ubuntu 22.04.4 LTS\nsecond line=x")
        #expect(values["empty"] == "")
        #expect(values["not"] == nil)
        #expect(values["end"] == "")
    }

    @Test func parsesHostFacts() {
        let references = [PreflightHost(name: "ums1", address: "10.0.0.5", role: .reference)]
        let probe = PreflightProbe(
            checks: [
                check(.osSupported, ["allowed": ["ubuntu 22.04"]]),
                check(.resources, ["min_memory_mb": 1024, "min_cpus": 2, "disk": ["/opt/IGEL": 1000]]),
                check(.dirWritable), check(.notCloud), check(.sameSubnet), check(.clockSkew),
                check(.portReachable, ["ports": [61616], "targets": ["db:5432"]]),
            ], role: .target, references: references)
        let output = probeOutput([
            "clock.start": "1700000010.250000000", "os.id": "ubuntu", "os.version": "22.04", "os.pretty": "Ubuntu 22.04.4 LTS",
            "mem.kb": "8000000", "cpus": "4", "df.0.path": "/opt", "df.0": "2048000", "w.0": "ok",
            "dmi.vendor": "QEMU", "dmi.product": "Standard PC",
            "ip.addr": "1: lo    inet 127.0.0.1/8 scope host lo\\\n2: eth0    inet 10.0.0.7/24 brd 10.0.0.255 scope global eth0",
            "ssh.conn": "10.0.0.1 51234 10.0.0.7 22", "tcp.0": "0 ",
            "tcp.1": "1 t: connect: Connection refused\nt: line 1: /dev/tcp/db/5432: Connection refused",
            "clock.end": "1700000010.750000000",
        ])
        let facts = probe.parse(commandResult(output), sentAt: sent, receivedAt: sent + 1.5)
        #expect(facts.probeProblem == nil)
        #expect(facts.os == .init(id: "ubuntu", versionID: "22.04", prettyName: "Ubuntu 22.04.4 LTS"))
        #expect(facts.memoryKB == 8_000_000)
        #expect(facts.cpuCount == 4)
        #expect(facts.disk["/opt/IGEL"] == .free(kilobytes: 2_048_000, checkedPath: "/opt"))
        #expect(facts.writable["/root"] == .writable)
        #expect(facts.dmi == .init(vendor: "QEMU", product: "Standard PC"))
        #expect(facts.interfaces?.map(\.description) == ["127.0.0.1/8", "10.0.0.7/24"])
        #expect(facts.sshAddress == "10.0.0.7")
        #expect(facts.connections["ums1 (10.0.0.5):61616"] == .connected)
        #expect(facts.connections["db:5432"] == .failed("Connection refused"))
        #expect(facts.roundTrip == 1.5)
        // Ran 0.5 s of the 1.5 s round trip: 0.5 s each way, so the controller read
        // 1700000000.5 when the host read 1700000010.25.
        #expect(abs(facts.clockOffset! - 9.75) < 1e-6)
    }

    @Test func clockWithoutNanosecondsOrEnd() {
        let offset = PreflightProbe.clockOffset(start: "1700000100.N", end: nil, sentAt: sent, receivedAt: sent + 2)
        #expect(offset == 99)
    }

    @Test func referenceProbeGathersVersionTokenClockAndAddressOnly() {
        let probe = PreflightProbe(
            checks: [
                check(.osSupported, ["allowed": ["ubuntu"]]), check(.clockSkew), check(.sameSubnet),
                check(.sameVersion, ["bundle": "/b/setup-igel-ums-linux_12.07.100.bin"]), check(.token, ["file": "/t"]),
                check(.portReachable, ["ports": [61616]]),
            ], role: .reference, references: [])
        #expect(probe.plan.versionFiles == ["/opt/IGEL/RemoteManager/umsversion.properties"])
        #expect(probe.plan.tokenFiles == ["/root/IGEL-Network.token"])
        #expect(probe.plan.clock && probe.plan.sshAddress)
        #expect(!probe.plan.os && !probe.plan.interfaces && probe.plan.connections.isEmpty)
        let output = probeOutput([
            "ssh.conn": "10.0.0.1 5 10.0.0.5 22", "ver.0": "version=12.06.110",
            "tok.0": "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08  -",
        ])
        let facts = probe.parse(commandResult(output), sentAt: sent, receivedAt: sent)
        #expect(facts.versionFiles["/opt/IGEL/RemoteManager/umsversion.properties"] == .version("12.06.110"))
        #expect(
            facts.tokenDigests["/root/IGEL-Network.token"] == .sha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))
    }

    @Test func failuresAndAbsences() {
        let probe = PreflightProbe(
            checks: [
                check(.dirWritable, ["path": "/data", "user": "ums"]), check(.notCloud),
                check(.resources, ["disk": ["/srv": 1]]), check(.sameSubnet),
            ], role: .target, references: [])
        let output = probeOutput(
            [
                "w.0.err": "sh: 1: cannot create /data/.muster-preflight.77: Permission denied", "dmi.none": "",
                "df.0.err": "df: /srv: Input/output error", "ip.hostname": "192.0.2.7 fd00::2 ",
            ], finished: false)
        let facts = probe.parse(commandResult(output, status: 2, stderr: "sh: 9: oops"), sentAt: sent, receivedAt: sent)
        #expect(facts.writable["ums@/data"] == .notWritable("Permission denied"))
        #expect(facts.dmi == nil && facts.dmiChecked)
        #expect(facts.disk["/srv"] == .unknown("Input/output error"))
        #expect(facts.interfaces == nil && facts.addressesWithoutPrefix == ["192.0.2.7", "fd00::2"])
        #expect(facts.probeProblem == "the probe script did not finish (exit status 2): sh: 9: oops")
    }

    @Test func versionFilesAndConnectionStatus() {
        #expect(PreflightProbe.version(fromProperties: "  version = 12.07.100 \n") == "12.07.100")
        #expect(PreflightProbe.version(fromProperties: "versionhint=1\nversion:6.10") == "6.10")
        #expect(PreflightProbe.version(fromProperties: "") == nil)
        #expect(PreflightProbe.connection(fromStatusLine: "124 ") == .failed("timed out after 3 s"))
        #expect(PreflightProbe.connection(fromStatusLine: "1 ") == .failed("connection failed (exit status 1)"))
    }

    /// The generated script under this machine's /bin/sh: every fact arrives and parses.
    @Test func scriptRunsUnderLocalShell() throws {
        let directory = try TemporaryDirectory()
        let versionFile = try directory.write("umsversion.properties", Data("# UMS\nversion=12.07.100\n".utf8))
        let token = try directory.write("token", Data("secret-token".utf8))
        let readOnly = directory.path + "/ro"
        try FileManager.default.createDirectory(atPath: readOnly, withIntermediateDirectories: true)
        chmod(readOnly, 0o555)
        defer { chmod(readOnly, 0o755) }
        let checks = [
            check(.osSupported, ["allowed": ["debian"]]),
            check(.resources, ["min_cpus": 1, "min_memory_mb": 1, "disk": ["\(directory.path)/not/yet": 1]]),
            check(.dirWritable, ["path": .string(directory.path)]), check(.notCloud), check(.clockSkew), check(.sameSubnet),
            check(.portReachable, ["targets": ["127.0.0.1:1"]]),
        ]
        let asNobody = check(.dirWritable, ["path": .string(directory.path), "user": "nobody"])
        let target = PreflightProbe(
            checks: checks + [check(.dirWritable, ["path": .string(readOnly)]), asNobody], role: .target, references: [])
        let before = Date()
        let result = try Self.runLocally(target.script)
        let facts = target.parse(result, sentAt: before, receivedAt: Date())
        #expect(facts.probeProblem == nil, "\(result.stderrText)")
        #expect(facts.os?.id.isEmpty == false)
        #expect((facts.cpuCount ?? 0) >= 1 && (facts.memoryKB ?? 0) > 0)
        guard case .free(let kb, let checked)? = facts.disk["\(directory.path)/not/yet"] else {
            Issue.record("no disk fact: \(facts.disk)")
            return
        }
        #expect(kb > 0 && checked == directory.path)
        #expect(facts.writable[directory.path] == .writable)
        if getuid() != 0 { #expect(facts.writable[readOnly] == .notWritable("Permission denied")) }
        if getuid() == 0 { #expect(facts.writable["nobody@\(directory.path)"] == .notWritable("Permission denied"), "su as nobody") }
        #expect(facts.dmiChecked)
        #expect(abs(facts.clockOffset ?? 99) < 1)
        #expect(facts.interfaces?.contains { $0.description == "127.0.0.1/8" } == true)
        guard case .failed? = facts.connections["127.0.0.1:1"] else {
            Issue.record("connection to port 1: \(String(describing: facts.connections))")
            return
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).allSatisfy { !$0.hasPrefix(".muster") })

        let reference = PreflightProbe(
            checks: [
                check(.sameVersion, ["bundle": "b", "reference_version_file": .string(versionFile)]),
                check(.token, ["file": "t", "remote_file": .string(token)]),
            ],
            role: .reference, references: [])
        let referenceOutput = try Self.runLocally(reference.script)
        #expect(!referenceOutput.stdoutText.contains("secret-token"))
        let referenceFacts = reference.parse(referenceOutput, sentAt: before, receivedAt: Date())
        #expect(referenceFacts.versionFiles[versionFile] == .version("12.07.100"))
        #expect(referenceFacts.tokenDigests[token] == .sha256(Digest.hex(Digest.sha256(Data("secret-token".utf8)))))
    }

    /// `sh -c SCRIPT` as the login shell would run `probe.command`.
    static func runLocally(_ script: String) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(exitStatus: process.terminationStatus, exitSignal: nil, stdout: Array(stdout), stderr: Array(stderr))
    }
}
