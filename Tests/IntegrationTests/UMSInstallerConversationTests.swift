import Foundation
import MusterCore
import MusterSSH
import Testing

/// The IGEL UMS installer stand-in (scripts/make-ums-installer) run through its wizard on a
/// pseudo-terminal, joining a network kept by scripts/ums-standin-db, as the playbook will.
@Suite struct UMSInstallerConversationTests {
    let testbed = Testbed.shared
    static let version = "12.07.100"

    /// The answers for a further server that joins an existing network with its token.
    static func prompts(tokenPath: String) -> [ExpectPrompt] {
        let answers: [(String, String)] = [
            (#"Do you accept the license agreement\? \[y/n\] "#, "y"),
            (#"Press Enter to continue "#, ""),
            (#"Installation path \[[^]]*\]: "#, ""),
            (#"Components to install \(1, 2 or 3\) \[1\]: "#, "1"),
            (#"Does this system fulfill the system requirements\? \[y/n\] "#, "y"),
            (#"Data directory \[[^]]*\]: "#, ""),
            (#"Create a new IGEL network token\? \[y/n\] "#, "n"),
            (#"Path of the IGEL network token to use: "#, tokenPath),
            (#"Folder name for the shortcuts \[[^]]*\]: "#, ""),
            (#"Start installation\? \[y/n\] "#, "y"),
        ]
        return answers.map { ExpectPrompt(pattern: $0.0, answer: $0.1, timeout: .seconds(30)) }
            + [ExpectPrompt(pattern: #"Installation complete\. Press Enter to close the installer\. "#, answer: "", timeout: .seconds(120))]
    }

    @Test func installsAMemberThroughTheWizardAndUninstallsIt() async throws {
        let database = try await StandInDatabase.start(
            directory: testbed.directory + "-db", listen: "127.0.\(testbed.net).250:5432", version: Self.version)
        do {
            try await install(on: Testbed.name(4), database: database)
            await database.stop()
        } catch {
            await database.stop()
            throw error
        }
    }

    private func install(on host: String, database: StandInDatabase) async throws {
        let installer = "/root/setup-igel-ums-linux_\(Self.version).bin"
        let session = try await testbed.connect(host)
        _ = try await session.upload(LocalFile(path: database.installer), to: installer, mode: 0o755)
        _ = try await session.upload(LocalFile(path: database.token), to: "/root/network.token", mode: 0o600)
        // A run that died half-way may have left an installation behind.
        _ = try await session.exec("\(installer) --uninstall --purge", timeout: .seconds(60))

        let driver = try ExpectDriver(prompts: Self.prompts(tokenPath: "/root/network.token"))
        let result = try await session.converse(installer, timeout: .seconds(300), driver: driver)
        let transcript = driver.transcript
        #expect(result.exitStatus == 0, "\(transcript)")
        #expect(transcript.contains("Path of the IGEL network token to use: /root/network.token\n"))
        #expect(transcript.contains("member: \(host) (\(testbed.address(of: host))): server, running"))
        #expect(driver.unansweredPromptError() == nil)
        #expect(await database.isMember(host))

        let removed = try await session.exec("\(installer) --uninstall --purge", timeout: .seconds(60))
        #expect(removed.exitStatus == 0, "\(removed.stdoutText)\(removed.stderrText)")
        #expect(!(await database.isMember(host)))
        _ = try await session.exec("rm -f \(installer) /root/network.token")
        await session.close()
    }
}

/// A fresh scripts/ums-standin-db with an initialised network, its token, and an installer
/// built to talk to it; all under `directory`, which is emptied first.
struct StandInDatabase {
    let directory: String
    var token: String { directory + "/network.token" }
    var installer: String { directory + "/out/setup-igel-ums-linux_\(UMSInstallerConversationTests.version).bin" }

    static func start(directory: String, listen: String, version: String) async throws -> StandInDatabase {
        let database = StandInDatabase(directory: directory)
        _ = await database.script("ums-standin-db", ["stop", "--dir", directory])
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data("muster-test-token-\(UUID().uuidString)\n".utf8).write(to: URL(fileURLWithPath: database.token))
        try await database.check("ums-standin-db", ["start", "--dir", directory, "--listen", listen])
        try await database.check(
            "ums-standin-db", ["init-network", "--dir", directory, "--version", version, "--token-file", database.token])
        try await database.check("make-ums-installer", [version, directory + "/out", "--db", listen])
        return database
    }

    func isMember(_ host: String) async -> Bool {
        await script("ums-standin-db", ["member", host, "--dir", directory]).status == 0
    }

    func stop() async {
        _ = await script("ums-standin-db", ["stop", "--dir", directory])
    }

    private func script(_ name: String, _ arguments: [String]) async -> Testbed.ProcessResult {
        await Testbed.run(Testbed.packageRoot.path + "/scripts/" + name, arguments)
    }

    private func check(_ name: String, _ arguments: [String]) async throws {
        let result = await script(name, arguments)
        guard result.status == 0 else {
            throw Testbed.Failure(
                description: "scripts/\(name) \(arguments.joined(separator: " ")) failed: \(result.output)\(result.stderr)")
        }
    }
}
