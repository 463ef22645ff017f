import Foundation
import MusterCore
import Testing

/// How `-i` arguments are read, and the errors files give.
@Suite struct InventorySourceTests {
    @Test func aCommaThatIsNotAPathMeansAHostList() throws {
        let inventory = try InventorySource.load("web1,web2:2222")
        #expect(inventory.hostNames == ["web1", "web2"])
    }

    @Test func anExistingPathWithACommaIsStillAFile() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("east,west.ini", "[web]\nweb9\n")
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
        #expect(throws: InventoryError(source: "web1", message: "no such file or directory (for a single host, write 'web1,')")) {
            try InventorySource.load("web1")
        }
        #expect(throws: InventoryError(source: "/nonexistent/dc.ini", message: "no such file or directory")) {
            try InventorySource.load("/nonexistent/dc.ini")
        }
    }

    @Test func anEmptyDirectoryIsAnEmptyInventory() throws {
        let directory = try TemporaryDirectory()
        #expect(try InventorySource.load(directory.path).hosts.isEmpty)
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
        let file = try directory.write("bom.ini", "\u{FEFF}[web]\nweb1\n")
        #expect(try InventorySource.load(file).groups["web"]?.hosts == ["web1"])
    }

    @Test func errorDescriptionsLeaveOutWhatIsUnknown() {
        #expect(InventoryError(source: "a.ini", line: 3, column: 4, message: "m").description == "a.ini:3:4: m")
        #expect(InventoryError(source: "a.ini", line: 3, message: "m").description == "a.ini:3: m")
        #expect(InventoryError(source: "a.ini", message: "m").description == "a.ini: m")
    }
}
