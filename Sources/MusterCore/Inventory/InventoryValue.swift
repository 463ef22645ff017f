import Foundation

/// A variable's value, with the types inventories can produce: Python literals in INI files,
/// YAML's types in YAML files and vars files.
public enum InventoryValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case float(Double)
    case bool(Bool)
    case list([InventoryValue])
    case dict(InventoryDictionary)
    case null
}

extension InventoryValue: CustomStringConvertible {
    /// The text substituted into commands: scalars read as Ansible's templating prints them
    /// (`True`, `1.5`, and nothing for null); lists and dicts as compact JSON with sorted keys,
    /// which a shell script can hand to `jq`.
    public var description: String {
        switch self {
        case .string(let text): text
        case .int(let number): String(number)
        case .float(let number): String(number)
        case .bool(let flag): flag ? "True" : "False"
        case .null: ""
        case .list, .dict: jsonText
        }
    }

    private var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        // With every float encodable, encoding plain enum cases cannot fail.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self)
    }
}

extension InventoryValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: InventoryValue...) { self = .list(elements) }

    public init(dictionaryLiteral elements: (String, InventoryValue)...) {
        self = .dict(InventoryDictionary(elements))
    }
}
