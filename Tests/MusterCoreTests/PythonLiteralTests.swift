import Testing

@testable import MusterCore

/// INI values are typed with Python's `ast.literal_eval`, as Ansible does; each expected value
/// here is what Python 3.11 gives (text that Python rejects stays a string).
@Suite struct PythonLiteralTests {
    @Test(arguments: [
        ("42", InventoryValue.int(42)), ("-7", -7), ("+5", 5), ("- 5", -5), ("0", 0), ("00", 0),
        ("1_000", 1000), ("0x1F", 31), ("0X1f", 31), ("0o17", 15), ("0b101", 5), ("0x_1f", 31),
        ("9223372036854775807", .int(Int.max)), ("-9223372036854775808", .int(Int.min)),
        ("1.5", 1.5), (".5", 0.5), ("5.", 5.0), ("1e3", 1000.0), ("1.5e-3", 0.0015), ("1E+2", 100.0),
        ("1_0.5", 10.5), ("0.0", 0.0), ("  42  ", 42),
    ])
    func numbers(text: String, expected: InventoryValue) {
        #expect(InventoryValue(iniValue: text) == expected)
    }

    @Test(arguments: ["0022", "1__000", "_1", "1_", "0x", "1.2.3", "1e", "inf", "nan", "--5", "-True", "42 43", "1+2j"])
    func textsThatAreNotNumbersStayStrings(text: String) {
        #expect(InventoryValue(iniValue: text) == .string(text))
    }

    @Test func hugeNumbersStayStringsWherePythonIntsAreUnbounded() {
        #expect(InventoryValue(iniValue: "9223372036854775808") == "9223372036854775808")
        #expect(InventoryValue(iniValue: "1e500") == .float(.infinity))
    }

    @Test(arguments: [
        ("True", InventoryValue.bool(true)), ("False", false), ("None", .null),
        ("true", "true"), ("yes", "yes"), ("TRUE", "TRUE"), ("hello world", "hello world"), ("a=b", "a=b"),
    ])
    func namesOnlyPythonsConstantsAreTyped(text: String, expected: InventoryValue) {
        #expect(InventoryValue(iniValue: text) == expected)
    }

    @Test(arguments: [
        ("'quoted'", "quoted"), (#""double""#, "double"), ("'a' \"b\"", "ab"), (#"'it\'s'"#, "it's"),
        (#"'tab\there'"#, "tab\there"), (#"'\x41\u00e9\U0001F680'"#, "Aé🚀"), (#"'\101\0'"#, "A\u{0}"),
        (#"'\q'"#, #"\q"#), ("'é'", "é"), ("'hi' # comment", "hi"),
    ])
    func strings(text: String, expected: String) {
        #expect(InventoryValue(iniValue: text) == .string(expected))
    }

    @Test(arguments: ["'unterminated", #"'\N{DASH}'"#, #"'\x4'"#, "hi # comment"])
    func malformedStringsStayAsWritten(text: String) {
        #expect(InventoryValue(iniValue: text) == .string(text))
    }

    static let containerCases: [(String, InventoryValue)] = [
        ("[1, 'two', None]", [1, "two", .null]), ("[]", []), ("[1,]", [1]),
        ("(1, 2)", [1, 2]), ("()", []), ("(1,)", [1]), ("(1)", 1),
        ("{'k': 1}", ["k": 1]), ("{}", .dict([:])), ("{1: 'a'}", ["1": "a"]), ("{'a', 'b', 'a'}", ["a", "b"]),
        ("{'k': [1, {'n': True}]}", ["k": [1, ["n": true]]]), ("[[[[1]]]]", [[[[1]]]]),
    ]

    @Test(arguments: containerCases)
    func containers(text: String, expected: InventoryValue) {
        #expect(InventoryValue(iniValue: text) == expected)
    }

    @Test(arguments: ["[,]", "[1, 2", "{'k' 1}", "{True: 1}", "[1] [2]"])
    func malformedContainersStayAsWritten(text: String) {
        #expect(InventoryValue(iniValue: text) == .string(text))
    }

    @Test func absurdNestingIsRefusedInsteadOfOverflowingTheStack() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(InventoryValue(iniValue: deep) == .string(deep))
    }
}
