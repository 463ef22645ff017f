import Foundation
import MusterCore
import Testing

@Suite struct InventoryValueTests {
    static let renderings: [(InventoryValue, String)] = [
        ("web 1", "web 1"), (42, "42"), (-7, "-7"), (1.5, "1.5"), (1000.0, "1000.0"),
        (true, "True"), (false, "False"), (.null, ""),
        ([1, "two", .null, true], #"[1,"two",null,true]"#),
        (["b": [1], "a": "x/y"], #"{"a":"x/y","b":[1]}"#),
    ]

    @Test(arguments: renderings)
    func descriptionIsTheTextSubstitutedIntoCommands(value: InventoryValue, text: String) {
        #expect(value.description == text)
    }

    @Test func encodesAsPlainJSON() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let value: InventoryValue = ["s": "ü", "i": 1, "f": 0.5, "b": true, "n": .null, "l": [1, "x"], "d": ["k": []]]
        let json = String(decoding: try encoder.encode(value), as: UTF8.self)
        #expect(json == #"{"b":true,"d":{"k":[]},"f":0.5,"i":1,"l":[1,"x"],"n":null,"s":"ü"}"#)
    }

    @Test func decodesPlainJSON() throws {
        let json = #"{"s":"x","i":1,"f":1.5,"b":false,"n":null,"l":[1,[true]],"d":{"k":{"v":"w"}}}"#
        let value = try JSONDecoder().decode(InventoryValue.self, from: Data(json.utf8))
        #expect(
            value == ["s": "x", "i": 1, "f": 1.5, "b": false, "n": .null, "l": [1, [true]], "d": ["k": ["v": "w"]]])
    }

    @Test func roundTripsThroughJSON() throws {
        let value: InventoryValue = ["hosts": ["web1", "web2"], "port": 22, "ratio": 0.25, "on": true, "none": .null]
        let decoded = try JSONDecoder().decode(InventoryValue.self, from: try JSONEncoder().encode(value))
        #expect(decoded == value)
    }

    @Test func hostVariablesAreCodableAsADictionary() throws {
        let vars: [String: InventoryValue] = ["ansible_port": 2222, "motd": "Grüße"]
        let decoded = try JSONDecoder().decode([String: InventoryValue].self, from: try JSONEncoder().encode(vars))
        #expect(decoded == vars)
    }
}
