import Foundation
import Testing

@testable import MusterCore

/// The parser and resolver on arbitrary input: random configs mixing valid lines, random bytes,
/// Include chains to files that do not exist and huge lines must be read or refused with a
/// located error, never crash or hang. The libFuzzer harness (Fuzz/SSHConfigFuzzer.swift)
/// digs deeper; this keeps the same property in every test run.
@Suite struct SSHConfigFuzzTests {
    static let inputs = 200_000

    @Test func randomConfigsAreReadOrRefusedWithALocatedError() async throws {
        let workers = max(2, ProcessInfo.processInfo.activeProcessorCount)
        let share = Self.inputs / workers
        let failures = await withTaskGroup(of: [String].self) { group in
            for worker in 0..<workers {
                group.addTask { Self.check(share, seed: UInt64(worker + 1) &* 0x9E37_79B9_7F4A_7C15) }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    /// Checks `count` generated configs; returns descriptions of those that broke a property.
    private static func check(_ count: Int, seed: UInt64) -> [String] {
        var generator = SSHConfigTextGenerator(seed: seed)
        let environment = sshTestEnvironment()
        var failures: [String] = []
        for _ in 0..<count {
            let text = generator.config()
            do {
                let config = try SSHConfigFile(bytes: text, path: "fuzz", environment: environment)
                let settings = try config.resolve(host: generator.hostName(), user: generator.chance(4) ? "u" : nil)
                if settings.identityFiles.count > SSHConfigAccumulator.maximumIdentityFiles { failures.append("too many identities") }
            } catch {
                let lineCount = text.reduce(1) { $0 + ($1 == SSHByte.newline ? 1 : 0) }
                guard error.path == "fuzz", let line = error.line, (1...lineCount).contains(line), error.column ?? 1 >= 1 else {
                    failures.append("\(error) for \(String(decoding: text.prefix(200), as: UTF8.self).debugDescription)")
                    continue
                }
            }
        }
        return failures
    }
}

/// Random config texts, from a seeded xorshift generator so every run checks the same inputs.
struct SSHConfigTextGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed | 1
    }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    /// True one time in `odds`.
    mutating func chance(_ odds: UInt64) -> Bool { next() % odds == 0 }

    mutating func pick<T>(_ choices: [T]) -> T { choices[Int(next() % UInt64(choices.count))] }

    /// A config of one to four lines: mostly valid ones, some random bytes and Include chains to
    /// files that do not exist, and now and then a huge line. Lines end in LF, CR or NUL.
    mutating func config() -> [UInt8] {
        var text: [UInt8] = []
        for _ in 0..<(1 + next() % 4) {
            switch next() % 10 {
            case 0...5: text += pick(Self.validLines)
            case 6, 7: text += pick(Self.randomLines)
            case 8: text += pick(Self.includeChains)
            default: text += chance(2_000) ? pick(Self.hugeLines) : pick(Self.validLines) + pick(Self.randomLines).prefix(8)
            }
            text.append(pick(Self.lineEnds))
        }
        return text
    }

    /// Lines are drawn from pools made once, so the time goes into reading configs, not making them.
    private static let validLines = pool(5_000) { $0.validLine() }
    private static let randomLines = pool(5_000) { $0.randomBytes(Int($0.next() % 40)) }
    private static let includeChains = pool(500) { $0.includeChain() }
    private static let hugeLines = pool(8) { $0.hugeLine() }
    private static let lineEnds = [SSHByte.newline, SSHByte.newline, SSHByte.carriageReturn, 0]

    private static func pool(_ count: Int, _ make: (inout SSHConfigTextGenerator) -> [UInt8]) -> [[UInt8]] {
        var generator = SSHConfigTextGenerator(seed: UInt64(count))
        return (0..<count).map { _ in make(&generator) }
    }

    private static let hostNames = ["web1.example.com", "DB.example.com", "10.0.0.1", "::1", "", "a", "é.example", "x%y"]

    mutating func hostName() -> String { pick(Self.hostNames) }

    private static let words = [
        "*", "web?", "!db*", "a,b", "\"quoted word\"", "'single'", "%h", "%%", "%r@%h:%p", "~/k", "~deploy/k", "${HOME}", "${",
        "none", "yes", "ask", "accept-new", "22", "0", "65536", "ssh", "1m30s", "-1", "#c", "=", "\\", "é", "[::1]:22", "u@j:2",
        "ssh://u@j", "a,,b", "",
    ]

    private static let keywords = [
        "Host", "Match host", "Match user", "Match all", "Match final", "Match exec", "Match canonical", "Match !originalhost",
        "HostName", "User", "Port", "IdentityFile", "IdentitiesOnly", "ProxyJump", "ProxyCommand", "UserKnownHostsFile",
        "StrictHostKeyChecking", "ConnectTimeout", "ServerAliveInterval", "ServerAliveCountMax", "IgnoreUnknown", "HostKeyAlias",
        "CanonicalizeHostname", "ForwardAgent", "Frobnicate", "port", "\"User\"",
    ]

    private static let separators = [" ", "=", " = ", "\t"]

    private mutating func validLine() -> [UInt8] {
        var line = (chance(3) ? "  " : "") + pick(Self.keywords) + pick(Self.separators) + pick(Self.words)
        for _ in 0..<(next() % 3) { line += " " + pick(Self.words) }
        return Array(line.utf8)
    }

    /// An Include naming many files that do not exist, some as patterns.
    private mutating func includeChain() -> [UInt8] {
        Array(("Include " + (0..<(1 + next() % 20)).map { "/nonexistent/\($0)/\(chance(2) ? "*" : "x").conf" }.joined(separator: " ")).utf8)
    }

    private static let specialBytes = Array("\"'\\#=%$~{}!*?,@:[] \t\r".utf8) + [0, 0x0B, 0x0C, 0xC3, 0xA9, 0xFF, 0x80]

    private mutating func randomBytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in chance(2) ? pick(Self.specialBytes) : UInt8(truncatingIfNeeded: next()) }
    }

    private mutating func hugeLine() -> [UInt8] {
        var line = Array(pick(["UserKnownHostsFile ", "Host ", "Match host a ", "ProxyJump a", "IdentityFile "]).utf8)
        let unit = Array(pick(["a ", "x,", "host a ", "\"q\" ", "é"]).utf8)
        for _ in 0..<(20_000 + Int(next() % 30_000)) { line.append(contentsOf: unit) }
        return line
    }
}
