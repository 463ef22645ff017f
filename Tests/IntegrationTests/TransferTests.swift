import Foundation
import MusterSSH
import Testing

/// Checksummed, atomic uploads and downloads against real hosts.
@Suite struct TransferTests {
    let testbed = Testbed.shared

    /// Random content written by dd on a thread of its own, not on the cooperative pool.
    static func makeFile(megabytes: Int, name: String) async throws -> String {
        let path = NSTemporaryDirectory() + "muster-\(name)-\(getpid()).bin"
        let dd = await Testbed.run("/bin/dd", ["if=/dev/urandom", "of=\(path)", "bs=1M", "count=\(megabytes)", "status=none"])
        guard dd.status == 0 else { throw SSHError(.transfer, "dd failed: \(dd.stderr)") }
        return path
    }

    @Test func uploadsVerifiesAndSkipsAnUnchangedFile() async throws {
        let path = try await Self.makeFile(megabytes: 100, name: "upload")
        defer { unlink(path) }
        let file = try LocalFile(path: path)
        let host = Testbed.name(6)
        let remote = "/root/bundle-\(getpid()).bin"
        let session = try await testbed.connect(host)
        let first = try await session.upload(file, to: remote, mode: 0o600)
        #expect(first == .uploaded(bytes: 100 << 20))
        // Check on the host's own disk, not through Muster.
        let onHost = testbed.rootDirectory(of: host) + "/" + (remote as NSString).lastPathComponent
        let sum = await Testbed.run("/usr/bin/sha256sum", [onHost]).output.prefix(64)
        #expect(String(sum) == file.sha256)
        #expect(try FileManager.default.attributesOfItem(atPath: onHost)[.posixPermissions] as? Int == 0o600)
        let second = try await session.upload(file, to: remote, mode: 0o600)
        #expect(second == .unchanged)
        let third = try await session.upload(file, to: remote, mode: 0o644)
        #expect(third == .attributesChanged)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: testbed.rootDirectory(of: host)).filter {
            $0.contains("muster-tmp")
        }
        #expect(leftovers.isEmpty)

        // The host caches the digest it verified, keyed by the file's stat line: a byte
        // changed in place (same size, within the same second) must still be noticed.
        let cache = testbed.rootDirectory(of: host) + "/.cache/muster/sha256"
        #expect(!((try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []).isEmpty, "the digest cache is written")
        let handle = try #require(FileHandle(forUpdatingAtPath: onHost))
        try handle.seek(toOffset: 4096)
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: [byte ^ 0xFF])
        try handle.close()
        let afterTampering = try await session.upload(file, to: remote, mode: 0o644)
        #expect(afterTampering == .uploaded(bytes: 100 << 20))
        #expect(String(await Testbed.run("/usr/bin/sha256sum", [onHost]).output.prefix(64)) == file.sha256)
        unlink(onHost)
        await session.close()
    }

    @Test func downloadsARemoteFileAndFailsClearlyOnAMissingOne() async throws {
        let host = Testbed.name(7)
        let token = "token-\(UUID().uuidString)"
        let onHost = testbed.rootDirectory(of: host) + "/IGEL-Network.token"
        try token.write(toFile: onHost, atomically: true, encoding: .utf8)
        defer { unlink(onHost) }
        let session = try await testbed.connect(host)
        #expect(try await session.download("/root/IGEL-Network.token") == Data(token.utf8))
        do {
            _ = try await session.download("/root/no-such-token")
            Issue.record("downloading a missing file must fail")
        } catch let error as SSHError {
            #expect(error.message.contains("/root/no-such-token"))
            #expect(error.message.contains("No such file"))
        }
        await session.close()
    }

    /// The host dies half-way through: nothing may appear at the final path.
    @Test func anUploadCutOffByACrashLeavesNoFileAtTheFinalPath() async throws {
        let path = try await Self.makeFile(megabytes: 300, name: "crash")
        defer { unlink(path) }
        let file = try LocalFile(path: path)
        let host = Testbed.name(13)
        try await testbed.heal(host)  // in case an earlier run died mid-test
        let session = try await testbed.connect(host)
        let uploading = Task { try await session.upload(file, to: "/root/crash.bin") }
        let hostRoot = testbed.rootDirectory(of: host)
        // Wait until a good part of the file has landed in the temporary file, then kill sshd.
        var crashed = false
        for _ in 0..<1000 where !crashed {
            let partial = (try? FileManager.default.contentsOfDirectory(atPath: hostRoot))?.first { $0.hasPrefix("crash.bin.muster-tmp") }
            if let partial, let size = try? FileManager.default.attributesOfItem(atPath: hostRoot + "/" + partial)[.size] as? Int,
                size > 20 << 20
            {
                try await testbed.fault("crash", host)
                crashed = true
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(crashed, "the upload never got under way")
        await #expect(throws: SSHError.self) { _ = try await uploading.value }
        #expect(!FileManager.default.fileExists(atPath: hostRoot + "/crash.bin"))
        try await testbed.heal(host)
        for leftover in (try? FileManager.default.contentsOfDirectory(atPath: hostRoot)) ?? [] where leftover.contains("muster-tmp") {
            unlink(hostRoot + "/" + leftover)
        }
    }
}
