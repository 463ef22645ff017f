import Foundation

/// libFuzzer entry point for the ssh config reader, built by scripts/fuzz-sshconfig.sh together
/// with Sources/MusterCore/SSHConfig/*.swift (no package needed). Each input is read as a config
/// and, when accepted, resolved for a few host names; any crash, hang or sanitizer report is a bug.
/// Errors are the expected answer to most inputs, but they must point inside the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func sshConfigFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard !reachesSpecialFiles(bytes) else { return 0 }
    do {
        let config = try SSHConfigFile(bytes: bytes, path: "fuzz", environment: fuzzEnvironment)
        for host in ["web1.example.com", "DB.Example.com", "10.0.0.1", ""] {
            _ = try config.resolve(host: host, user: host.isEmpty ? "u" : nil)
        }
    } catch {
        let lines = bytes.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        if error.path == "fuzz", let line = error.line, !(1...lines).contains(line) || (error.column ?? 1) < 1 {
            fatalError("error outside the input: \(error)")
        }
    }
    return 0
}

/// Include reads real files as ssh does, so an input could name /dev/zero (read forever, as ssh
/// would) or `/*/*/*` (glob the whole disk). Those inputs test the machine, not the reader.
private func reachesSpecialFiles(_ bytes: [UInt8]) -> Bool {
    let text = String(decoding: bytes, as: UTF8.self)
    return ["/dev", "/proc", "/sys", "/*", "*/", "/?", "?/", "/[", "]/"].contains { text.contains($0) }
}

/// A fixed machine, so that a crash found once reproduces anywhere.
private let fuzzEnvironment = SSHConfigEnvironment(
    userName: "fuzz", userID: 0, homeDirectory: "/nonexistent/home", hostName: "fuzz.example.net",
    variables: ["HOME": "/nonexistent/home", "SET": "value"])
