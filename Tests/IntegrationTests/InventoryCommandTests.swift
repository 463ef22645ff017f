import Foundation
import Testing

/// `muster inventory` end to end: what operators compare with ansible-inventory.
@Suite struct InventoryCommandTests {
    static var fixtures: String { Testbed.packageRoot.path + "/Tests/MusterCoreTests/Fixtures/parity" }

    @Test func listMatchesAnsibleInventoryAsData() async throws {
        let reference = try #require(
            ProcessInfo.processInfo.environment["MUSTER_ANSIBLE_INVENTORY"],
            "MUSTER_ANSIBLE_INVENTORY is not set: run scripts/test, which installs ansible-core")
        // The full corpus is compared in MusterCoreTests; this checks the command's output path.
        let file = Self.fixtures + "/ini-basics/hosts.ini"
        let ours = await Testbed.muster(["inventory", "-i", file, "--list"])
        let theirs = await Testbed.run(reference, ["-i", file, "--list"])
        #expect(ours.status == 0, "\(ours.stderr)")
        var expected = try #require(try JSONSerialization.jsonObject(with: Data(theirs.output.utf8)) as? [String: Any])
        expected["_meta"] = (expected["_meta"] as? [String: Any])?.filter { $0.key != "profile" }
        let actual = try JSONSerialization.jsonObject(with: Data(ours.output.utf8))
        #expect(NSDictionary(dictionary: expected).isEqual(to: actual as? [String: Any] ?? [:]))
    }

    @Test func passwordsAreNeverPrinted() async throws {
        let directory = NSTemporaryDirectory() + "inventory-secrets-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory + "/host_vars", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "[db]\ndb1 ansible_host=10.0.0.5\n".write(toFile: directory + "/hosts.ini", atomically: true, encoding: .utf8)
        try "ansible_password: hunter2-secret\nansible_become_pass: also-secret\n"
            .write(toFile: directory + "/host_vars/db1.yml", atomically: true, encoding: .utf8)
        for view in [["--list"], ["--host", "db1"], ["--graph", "--vars"]] {
            let result = await Testbed.muster(["inventory", "-i", directory + "/hosts.ini"] + view)
            #expect(result.status == 0, "\(view): \(result.stderr)")
            #expect(result.output.contains("10.0.0.5"))
            #expect(!result.output.contains("hunter2-secret") && !result.output.contains("also-secret"), "\(view) leaked a password")
        }
    }

    @Test func aSyntaxErrorNamesFileLineAndColumnAndExitsTwo() async throws {
        let path = NSTemporaryDirectory() + "broken-\(getpid()).ini"
        try "[web\nweb1\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let result = await Testbed.muster(["inventory", "-i", path, "--list"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(path):1:5:"), "\(result.stderr)")
        #expect(result.output.isEmpty)
    }
}
