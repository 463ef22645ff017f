import Foundation
import MusterCore
import Testing

/// How `-i` arguments are read, and the errors files give.
@Suite struct InventorySourceTests {
    /// A fresh directory per test, removed afterwards.
    final class TemporaryDirectory {
        let path = NSTemporaryDirectory() + "muster-inventory-\(UUID().uuidString)"

        init() throws {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }

        deinit {
            try? FileManager.default.removeItem(atPath: path)
        }

        func write(_ name: String, _ contents: Data) throws -> String {
            let file = path + "/" + name
            try contents.write(to: URL(fileURLWithPath: file))
            return file
        }
    }

    @Test func aCommaThatIsNotAPathMeansAHostList() throws {
        let inventory = try InventorySource.load("web1,web2:2222")
        #expect(inventory.hostNames == ["web1", "web2"])
    }

    @Test func anExistingPathWithACommaIsStillAFile() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("east,west.ini", Data("[web]\nweb9\n".utf8))
        #expect(try InventorySource.load(file).hostNames == ["web9"])
    }

    @Test func errorsInFilesNameThePathAsGiven() {
        let path = fixturePath("broken.ini")
        #expect(
            throws: InventoryError(source: path, line: 9, column: 7, message: "expected ']' to close the group name")
        ) {
            try InventorySource.load(path)
        }
    }

    @Test func aMissingFileSaysSoAndSuggestsTheHostListComma() {
        #expect(throws: InventoryError(source: "web1", message: "no such file (for a single host, write 'web1,')")) {
            try InventorySource.load("web1")
        }
        #expect(throws: InventoryError(source: "/nonexistent/dc.ini", message: "no such file")) {
            try InventorySource.load("/nonexistent/dc.ini")
        }
    }

    @Test func aDirectoryIsRefused() throws {
        let directory = try TemporaryDirectory()
        #expect(
            throws: InventoryError(
                source: directory.path, message: "is a directory; inventory directories are not supported")
        ) {
            try InventorySource.load(directory.path)
        }
    }

    @Test func invalidUTF8IsReportedWithItsLine() throws {
        let directory = try TemporaryDirectory()
        let latin1 = Array("[web]\nweb1\nm".utf8) + [0xFC] + Array("nchen\n".utf8)  // "münchen" in Latin-1
        let file = try directory.write("latin1.ini", Data(latin1))
        #expect(throws: InventoryError(source: file, line: 3, message: "not valid UTF-8 text")) {
            try InventorySource.load(file)
        }
    }

    @Test func aByteOrderMarkIsIgnored() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("bom.ini", Data("\u{FEFF}[web]\nweb1\n".utf8))
        #expect(try InventorySource.load(file).groups["web"]?.hosts == ["web1"])
    }

    @Test func errorDescriptionsLeaveOutWhatIsUnknown() {
        #expect(InventoryError(source: "a.ini", line: 3, column: 4, message: "m").description == "a.ini:3:4: m")
        #expect(InventoryError(source: "a.ini", line: 3, message: "m").description == "a.ini:3: m")
        #expect(InventoryError(source: "a.ini", message: "m").description == "a.ini: m")
    }
}
