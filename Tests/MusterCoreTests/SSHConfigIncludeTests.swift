import Foundation
import Testing

@testable import MusterCore

/// Include as ssh reads it: relative to `~/.ssh`, globbed in order, nested, inside blocks,
/// and refused when it loops, nests too deep or names a file others could have written.
@Suite struct SSHConfigIncludeTests {
    let directory: SSHConfigTemporaryDirectory
    let config: SSHConfigFile

    init() throws {
        directory = try SSHConfigTemporaryDirectory()
        try directory.copyFixture("includes/.ssh", to: "home/.ssh")
        config = try SSHConfigFile.loadUserConfig(environment: sshTestEnvironment(home: "\(directory.path)/home"))
    }

    var ssh: String { "\(directory.path)/home/.ssh" }

    @Test func globbedFilesAreReadInOrderAndNestedIncludesResolveInDotSSH() throws {
        let web = try config.resolve(host: "web1.example.com")
        #expect(web.user == SSHConfigValue("web", from: .file(path: "\(ssh)/conf.d/10-web.conf", line: 2)))
        #expect(web.identityFilePaths == ["\(directory.path)/home/.ssh/web_key", "\(directory.path)/home/.ssh/id_ed25519"])
        #expect(web.connectTimeout?.origin == .file(path: "\(ssh)/nested/level2.conf", line: 1))
        #expect(web.strictHostKeyChecking?.value == .strict)
    }

    @Test func aHostLineInAnIncludedFileEndsTheBlockOnlyUntilTheIncludeReturns() throws {
        let jump = try config.resolve(host: "jump.example.com")
        #expect(jump.port?.value == 2222)
        #expect(jump.user?.value == "default-user")
        #expect(try config.resolve(host: "ignored.example.com").user?.value == "default-user")
    }

    @Test func filesOutsideTheGlobAndMissingFilesAreSkipped() throws {
        #expect(try config.resolve(host: "db.example.com").user?.value == "db")
    }

    /// ssh finds Include's `~` through glob(3), which reads `$HOME`; `~` elsewhere is the password database's home.
    @Test func includeFindsTildeThroughHOMEAndIdentityFileThroughThePasswordDatabase() throws {
        let environment = sshTestEnvironment(home: "/elsewhere", includeHome: "\(directory.path)/home")
        let text = "Include ~/.ssh/defaults.conf\n"
        let settings = try SSHConfigFile(parsing: text, path: "config", environment: environment).resolve(host: "a.example.com")
        #expect(settings.identityFilePaths == ["/elsewhere/.ssh/id_ed25519"])
    }

    @Test func anIncludeLoopIsRefusedWithItsPath() throws {
        try directory.write("loop/a.conf", "Include \(directory.path)/loop/b.conf\n")
        try directory.write("loop/b.conf", "Host x\n  Include \(directory.path)/loop/a.conf\n")
        #expect(throws: SSHConfigError.self) {
            try SSHConfigFile.load(path: "\(directory.path)/loop/a.conf", environment: sshTestEnvironment())
        }
        do {
            _ = try SSHConfigFile.load(path: "\(directory.path)/loop/a.conf", environment: sshTestEnvironment())
        } catch {
            let loop = "\(directory.path)/loop/a.conf → \(directory.path)/loop/b.conf → \(directory.path)/loop/a.conf"
            #expect(error.description == "\(directory.path)/loop/b.conf:2:11: Include loops back to a file that includes it: \(loop)")
        }
    }

    @Test func sixteenNestedIncludesAreReadAndSeventeenAreTooMany() throws {
        for level in 1...17 { try directory.write("deep/\(level).conf", "Include \(directory.path)/deep/\(level + 1).conf\n") }
        try directory.write("deep/18.conf", "Port 18\n")
        #expect(throws: SSHConfigError.self) {
            try SSHConfigFile.load(path: "\(directory.path)/deep/1.conf", environment: sshTestEnvironment())
        }
        let sixteenDeep = try SSHConfigFile.load(path: "\(directory.path)/deep/2.conf", environment: sshTestEnvironment())
        #expect(try sixteenDeep.resolve(host: "a.example.com").port?.value == 18)
    }

    @Test func aFileOthersCanWriteIsRefusedAsSSHRefusesIt() throws {
        let writable = try directory.write("unsafe.conf", "Port 1\n", mode: 0o666)
        let text = "Host other.example.com\n  Include \(writable)\n"
        let error = #expect(throws: SSHConfigError.self) {
            try SSHConfigFile(parsing: text, path: "config", environment: sshTestEnvironment())
        }
        #expect(
            error?.description == "config:2:11: \"\(writable)\" must belong to you or root and be writable by nobody else; ssh refuses it")
    }

    /// Debian's ssh lets a file be group-writable when the group is the owner's alone (here root's).
    @Test(.enabled(if: getuid() == 0)) func aGroupWritableFileOfAPrivateGroupIsAccepted() throws {
        let file = try directory.write("group.conf", "Port 4\n", mode: 0o664)
        let config = try SSHConfigFile(parsing: "Include \(file)\n", path: "config", environment: sshTestEnvironment())
        #expect(try config.resolve(host: "a.example.com").port?.value == 4)
    }

    @Test func dashFNoneIsNoConfig() throws {
        #expect(try SSHConfigFile.load(path: "none", environment: sshTestEnvironment()).directives.isEmpty)
    }

    @Test func anIncludedDirectoryReadsAsEmpty() throws {
        try FileManager.default.createDirectory(atPath: "\(directory.path)/adir", withIntermediateDirectories: true)
        let text = "Include \(directory.path)/adir\nPort 3\n"
        #expect(
            try SSHConfigFile(parsing: text, path: "config", environment: sshTestEnvironment()).resolve(host: "a.example.com").port?.value
                == 3
        )
    }

    @Test func aMissingUserConfigIsNoConfig() throws {
        let settings = try SSHConfigFile.loadUserConfig(environment: sshTestEnvironment(home: "\(directory.path)/nobody")).resolve(
            host: "A.example.com")
        #expect(settings == SSHHostSettings(hostName: SSHConfigValue("a.example.com", from: .given)))
    }
}
