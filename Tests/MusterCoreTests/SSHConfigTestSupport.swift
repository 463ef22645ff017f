import Foundation
import Testing

@testable import MusterCore

/// Where the ssh config fixtures live, found from this source file so no bundle resources are needed.
func sshConfigFixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/sshconfig/\(name)").path
}

/// A made-up local machine, so results do not depend on who runs the tests. The user id is the
/// real one: included files must belong to it (or root), as ssh demands.
func sshTestEnvironment(home: String = "/home/tester", includeHome: String? = nil, variables: [String: String] = [:])
    -> SSHConfigEnvironment
{
    SSHConfigEnvironment(
        userName: "tester", userID: getuid(), homeDirectory: home, hostName: "ctl.example.net",
        variables: variables.merging(["HOME": includeHome ?? home]) { given, _ in given },
        homeDirectoryOfUser: { $0 == "deploy" ? "/srv/deploy" : nil })
}

/// Resolves `host` with config text.
func resolveSSHConfig(
    _ text: String, host: String, user: String? = nil, arguments: String? = nil, environment: SSHConfigEnvironment = sshTestEnvironment()
) throws -> SSHHostSettings {
    let config = try SSHConfigFile(parsing: text, path: "config", environment: environment)
    let parsed = try arguments.map { try SSHArguments.parse($0) } ?? SSHArguments()
    return try config.resolve(host: host, user: user, arguments: parsed)
}

/// The error config text is refused with, as users read it; nil when it is accepted.
func sshConfigError(_ text: String, host: String = "web1.example.com") -> String? {
    do {
        _ = try resolveSSHConfig(text, host: host)
        return nil
    } catch {
        return "\(error)"
    }
}

/// A directory that is removed when the test ends.
final class SSHConfigTemporaryDirectory {
    let path: String

    init() throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/sshconfig-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: created)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes a file (making its directory) with permissions ssh accepts, unless told otherwise.
    @discardableResult
    func write(_ relativePath: String, _ text: String, mode: Int = 0o644) throws -> String {
        let file = "\(path)/\(relativePath)"
        let directory = (file as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
        return file
    }

    /// Copies a fixture tree in, with modes ssh accepts whatever the checkout's umask was.
    func copyFixture(_ name: String, to relativePath: String) throws {
        let source = sshConfigFixture(name)
        let enumerator = FileManager.default.enumerator(atPath: source)
        while let item = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: "\(source)/\(item)", isDirectory: &isDirectory)
            if !isDirectory.boolValue {
                try write("\(relativePath)/\(item)", String(contentsOfFile: "\(source)/\(item)", encoding: .utf8))
            }
        }
    }
}

extension SSHHostSettings {
    var identityFilePaths: [String] { identityFiles.map(\.value) }
    var unsupportedKeywordNames: [String] { unsupportedKeywords.map(\.value) }
}
