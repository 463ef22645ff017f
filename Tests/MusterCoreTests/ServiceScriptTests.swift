import Foundation
import Testing

@testable import MusterCore

/// The `service` task's script, run by this machine's /bin/sh: a hostile service name
/// is data, never a command.
@Suite struct ServiceScriptTests {
    @Test func aServiceNameIsNeverExecuted() throws {
        let marker = NSTemporaryDirectory() + "muster-service-\(UUID().uuidString)"
        let name = "nope$(touch \(marker))`touch \(marker)`'\"; touch \(marker)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", ServiceScript.make(name: name, state: .started)]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 3)
        #expect(message.contains("no systemd unit or /etc/init.d script named nope$(touch"))
        #expect(!FileManager.default.fileExists(atPath: marker))
    }
}
