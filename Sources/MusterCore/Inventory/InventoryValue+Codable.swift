/// Encodes as the plain JSON value (`"x"`, `1`, `true`, `[...]`, `{...}`, `null`), not as a tagged enum,
/// so values read the same as in the JSON that `ansible-inventory --list` prints. JSONEncoder
/// writes a whole float such as 1000.0 as `1000`, which decodes as an int.
extension InventoryValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int.self) {
            self = .int(number)
        } else if let number = try? container.decode(Double.self) {
            self = .float(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let elements = try? container.decode([InventoryValue].self) {
            self = .list(elements)
        } else {
            self = .dict(InventoryDictionary(try container.decode([String: InventoryValue].self)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .int(let number): try container.encode(number)
        case .float(let number): try container.encode(number)
        case .bool(let flag): try container.encode(flag)
        case .list(let elements): try container.encode(elements)
        case .dict(let entries): try container.encode(entries.dictionary)
        case .null: try container.encodeNil()
        }
    }
}
