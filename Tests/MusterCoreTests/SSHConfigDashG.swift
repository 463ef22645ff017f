import Foundation

@testable import MusterCore

/// Runs `ssh -G` and reads the fields Muster resolves, after taking away ssh's defaults.
enum SSHConfigDashG {
    struct Output {
        let status: Int32
        let lines: [(key: String, value: String)]

        func values(_ key: String) -> [String] { lines.filter { $0.key == key }.map(\.value) }
        func value(_ key: String) -> String? { values(key).first }
    }

    /// Runs ssh on a dispatch thread, never blocking the cooperative pool.
    static func run(config: String, host: String, user: String?, environment: SSHConfigEnvironment) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh")
                process.arguments = ["-G", "-F", config] + (user.map { ["-l", $0] } ?? []) + [host]
                process.environment = environment.variables
                let output = Pipe()
                process.standardOutput = output
                process.standardError = FileHandle.nullDevice
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
                    let parts = line.split(separator: " ", maxSplits: 1)
                    return (key: String(parts[0]), value: parts.count > 1 ? String(parts[1]) : "")
                }
                continuation.resume(returning: Output(status: process.terminationStatus, lines: lines))
            }
        }
    }

    /// The fields compared, each in one form for both sides: nil where ssh shows its default, and
    /// StrictHostKeyChecking as the Muster policy it means (ssh's default, `ask`, is `strict`).
    struct Fields: Equatable, CustomStringConvertible {
        var hostName: String?
        var user: String?
        var port: String?
        var identityFiles: [String]
        var proxyJump: [SSHJumpHost]?
        var hasProxyCommand: Bool
        var userKnownHostsFiles: String?
        var strictHostKeyChecking: String?
        var connectTimeout: String?
        var serverAliveInterval: String?
        var serverAliveCountMax: String?
        var identitiesOnly: String?

        var description: String {
            Mirror(reflecting: self).children.map { "\($0.label ?? ""): \($0.value)" }.joined(separator: "\n")
        }
    }
}

extension SSHConfigDashG.Output {
    /// ssh's fields with its defaults blanked. ssh -G prints IdentityFile unexpanded, so those are
    /// expanded here, independently of Muster's code, with the values ssh itself printed.
    func comparable(host: String) -> SSHConfigDashG.Fields {
        let account = SSHConfigEnvironment.current()
        let home = account.homeDirectory
        let defaultIdentities = ["id_rsa", "id_ecdsa", "id_ecdsa_sk", "id_ed25519", "id_ed25519_sk", "id_xmss", "id_dsa"].map {
            "~/.ssh/\($0)"
        }
        let identities = values("identityfile") == defaultIdentities ? [] : values("identityfile")
        let tokens: [Character: String] = [
            "d": home, "u": account.userName, "n": host, "h": value("hostname") ?? "", "r": value("user") ?? "", "p": value("port") ?? "",
        ]
        let jump = value("proxyjump").map { $0.split(separator: ",").compactMap { SSHJumpHost(hop: $0) } }
        let strict = value("stricthostkeychecking")
        return SSHConfigDashG.Fields(
            hostName: value("hostname"), user: value("user") == account.userName ? nil : value("user"),
            port: value("port") == "22" ? nil : value("port"),
            identityFiles: identities.map { Self.expanded($0, home: home, tokens: tokens) }, proxyJump: jump,
            hasProxyCommand: value("proxycommand") != nil,
            userKnownHostsFiles: value("userknownhostsfile") == "\(home)/.ssh/known_hosts \(home)/.ssh/known_hosts2"
                ? nil : value("userknownhostsfile"),
            strictHostKeyChecking: strict == "true" || strict == "ask" ? "strict" : strict == "false" ? "off" : strict,
            connectTimeout: value("connecttimeout") == "none" ? nil : value("connecttimeout"),
            serverAliveInterval: value("serveraliveinterval") == "0" ? nil : value("serveraliveinterval"),
            serverAliveCountMax: value("serveralivecountmax") == "3" ? nil : value("serveralivecountmax"),
            identitiesOnly: value("identitiesonly") == "no" ? nil : value("identitiesonly"))
    }

    /// `~/` and the `%` tokens the corpus uses in IdentityFile.
    private static func expanded(_ path: String, home: String, tokens: [Character: String]) -> String {
        var text = path.hasPrefix("~/") ? home + path.dropFirst(1) : path
        var result = ""
        while let percent = text.firstIndex(of: "%") {
            result += text[..<percent]
            let token = text[text.index(after: percent)]
            result += token == "%" ? "%" : tokens[token] ?? "%\(token)"
            text = String(text[text.index(percent, offsetBy: 2)...])
        }
        return result + text
    }
}

extension SSHConfigDashG.Fields {
    /// Muster's settings in the same form, ssh's defaults blanked the same way.
    init(_ settings: SSHHostSettings, host: String, environment: SSHConfigEnvironment) {
        let seconds = { (value: SSHConfigValue<Duration>?) in value.map { String($0.value.components.seconds) } }
        let user = settings.user?.value == environment.userName ? nil : settings.user?.value
        let proxyJump = settings.proxyJump?.value
        self.init(
            hostName: settings.hostName.value, user: user, port: settings.port.flatMap { $0.value == 22 ? nil : String($0.value) },
            identityFiles: settings.identityFilePaths, proxyJump: proxyJump?.isEmpty == true ? nil : proxyJump,
            hasProxyCommand: settings.unsupportedKeywordNames.contains("ProxyCommand"),
            userKnownHostsFiles: settings.userKnownHostsFiles.map { $0.value.isEmpty ? "none" : $0.value.joined(separator: " ") },
            strictHostKeyChecking: settings.strictHostKeyChecking?.value.rawValue ?? SSHHostKeyChecking.strict.rawValue,
            connectTimeout: seconds(settings.connectTimeout),
            serverAliveInterval: seconds(settings.serverAliveInterval).flatMap { $0 == "0" ? nil : $0 },
            serverAliveCountMax: settings.serverAliveCountMax.flatMap { $0.value == 3 ? nil : String($0.value) },
            identitiesOnly: settings.identitiesOnly.flatMap { $0.value ? "yes" : nil })
    }
}
