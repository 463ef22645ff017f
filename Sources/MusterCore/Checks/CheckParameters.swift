import Foundation

/// A mistake in one check's parameters, found before any host is contacted.
public struct CheckParameterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The top-level parameter it is about (so a loader can point at its line), or nil
    /// when a required parameter is missing or the check as a whole is wrong.
    public var parameter: String?
    public var message: String

    public var description: String { message }
}

/// What each check accepts, and typed access to rendered parameters.
///
/// Validation runs twice: on the playbook as loaded, where values may still be
/// templates (a string with `{{` passes any type test, as only rendering can tell), and
/// on the rendered parameters before evaluation. Numbers may arrive as numeric strings,
/// as templating renders them.
public struct CheckParameters: Sendable {
    public let kind: CheckKind
    public let values: [String: InventoryValue]

    public init(kind: CheckKind, values: [String: InventoryValue]) {
        self.kind = kind
        self.values = values
    }

    enum ValueType: String {
        case string
        case absolutePath = "absolute path"
        case integer, number, boolean
        case stringList = "list of strings"
        case portList = "list of ports"
        case hostPortList = "list of \"host:port\" strings"
        case diskMap = "mapping of path to MB"
    }

    /// Parameters of each kind, with their types; `required` ones must be present.
    static let schema: [CheckKind: (known: [(String, ValueType)], required: [String])] = [
        .sshReachable: ([], []),
        .osSupported: ([("allowed", .stringList)], ["allowed"]),
        .resources: ([("min_memory_mb", .integer), ("min_cpus", .integer), ("disk", .diskMap)], []),
        .dirWritable: ([("path", .absolutePath), ("user", .string)], []),
        .clockSkew: ([("max_seconds", .number)], []),
        .sameVersion: ([("bundle", .string), ("reference_version_file", .absolutePath)], ["bundle"]),
        .portReachable: ([("ports", .portList), ("targets", .hostPortList)], []),
        .sameSubnet: ([], []),
        .notCloud: ([], []),
        .token: ([("file", .string), ("remote_file", .absolutePath), ("fetch", .boolean)], ["file"]),
        .bundle: ([("path", .string)], ["path"]),
    ]

    static let defaultVersionFile = "/opt/IGEL/RemoteManager/umsversion.properties"
    static let defaultTokenFile = "/root/IGEL-Network.token"

    /// Every problem with `parameters` for `kind`, each naming the parameter.
    public static func validate(kind: CheckKind, parameters: [String: InventoryValue]) -> [CheckParameterError] {
        let (known, required) = schema[kind]!
        let types = Dictionary(uniqueKeysWithValues: known)
        var errors: [CheckParameterError] = []
        for key in parameters.keys.sorted() {
            guard let type = types[key] else {
                let list = known.isEmpty ? "it takes none" : "known: " + known.map(\.0).joined(separator: ", ")
                errors.append(.init(parameter: key, message: "unknown parameter '\(key)' for \(kind.rawValue) (\(list))"))
                continue
            }
            if let problem = check(parameters[key]!, as: type) {
                errors.append(.init(parameter: key, message: "parameter '\(key)' of \(kind.rawValue) \(problem)"))
            }
        }
        for key in required where parameters[key] == nil {
            errors.append(.init(parameter: nil, message: "\(kind.rawValue) needs the parameter '\(key)'"))
        }
        if kind == .portReachable, parameters["ports"] == nil, parameters["targets"] == nil {
            errors.append(
                .init(parameter: nil, message: "port_reachable needs 'ports' (to each reference host) or 'targets' (\"host:port\")"))
        }
        if kind == .resources, parameters.isEmpty {
            errors.append(.init(parameter: nil, message: "resources needs at least one of min_memory_mb, min_cpus, disk"))
        }
        return errors
    }

    /// Why `value` is not a `type`, or nil when it is (or is still a template).
    static func check(_ value: InventoryValue, as type: ValueType) -> String? {
        if case .string(let text) = value, text.contains("{{") { return nil }
        let article = type == .integer || type == .absolutePath ? "an" : "a"
        let expected = "must be \(article) \(type.rawValue)"
        switch type {
        case .string:
            return string(value) == nil ? "\(expected), not \(value.articledTypeName)" : nil
        case .absolutePath:
            guard let text = string(value) else { return "\(expected), not \(value.articledTypeName)" }
            return text.hasPrefix("/") ? nil : "must be an absolute path, not '\(text)'"
        case .boolean:
            return boolean(value) == nil ? "\(expected) (true or false), not \(value.describedForError)" : nil
        case .integer:
            guard let number = integer(value) else { return "\(expected), not \(value.describedForError)" }
            return number < 0 ? "must not be negative" : nil
        case .number:
            guard let number = number(value) else { return "\(expected), not \(value.describedForError)" }
            return number <= 0 ? "must be greater than 0" : nil
        case .stringList:
            guard case .list(let items) = value else { return "\(expected), not \(value.articledTypeName)" }
            if items.isEmpty { return "must not be empty" }
            return items.contains { string($0) == nil } ? "must hold only strings" : nil
        case .portList:
            guard case .list(let items) = value else { return "\(expected), not \(value.articledTypeName)" }
            for item in items where !isTemplate(item) {
                guard let port = integer(item), (1...65535).contains(port) else {
                    return "holds \(item.describedForError): not a port (1-65535)"
                }
            }
            return nil
        case .hostPortList:
            guard case .list(let items) = value else { return "\(expected), not \(value.articledTypeName)" }
            for item in items where !isTemplate(item) {
                guard let text = string(item), PortTarget(hostPort: text) != nil else {
                    return "holds \(item.describedForError): not \"host:port\""
                }
            }
            return nil
        case .diskMap:
            guard case .dict(let entries) = value else { return "\(expected), not \(value.articledTypeName)" }
            for (path, minimum) in entries {
                if !path.hasPrefix("/") && !path.contains("{{") { return "holds '\(path)': not an absolute path" }
                if !isTemplate(minimum), integer(minimum) == nil {
                    return "gives '\(path)' \(minimum.describedForError), not a number of MB"
                }
            }
            return nil
        }
    }

    // MARK: Typed access (after validation)

    public func string(_ key: String) -> String? { values[key].flatMap(Self.string) }
    public func boolean(_ key: String) -> Bool? { values[key].flatMap(Self.boolean) }
    public func integer(_ key: String) -> Int? { values[key].flatMap(Self.integer) }
    public func number(_ key: String) -> Double? { values[key].flatMap(Self.number) }

    public func strings(_ key: String) -> [String] {
        guard case .list(let items)? = values[key] else { return [] }
        return items.compactMap(Self.string)
    }

    public func integers(_ key: String) -> [Int] {
        guard case .list(let items)? = values[key] else { return [] }
        return items.compactMap(Self.integer)
    }

    /// `disk`: path → minimum free MB, in the playbook's order.
    public var diskMinimums: [(path: String, megabytes: Int)] {
        guard case .dict(let entries)? = values["disk"] else { return [] }
        return entries.compactMap { path, value in Self.integer(value).map { (path, $0) } }
    }

    static func isTemplate(_ value: InventoryValue) -> Bool {
        if case .string(let text) = value { return text.contains("{{") }
        return false
    }

    static func string(_ value: InventoryValue) -> String? {
        if case .string(let text) = value { return text }
        return nil
    }

    /// A boolean, or the text a rendered template leaves (`True`, `false`).
    static func boolean(_ value: InventoryValue) -> Bool? {
        switch value {
        case .bool(let flag): flag
        case .string(let text):
            ["true", "yes"].contains(text.lowercased()) ? true : ["false", "no"].contains(text.lowercased()) ? false : nil
        default: nil
        }
    }

    static func integer(_ value: InventoryValue) -> Int? {
        switch value {
        case .int(let number): number
        case .float(let number) where number == number.rounded() && abs(number) < 1e15: Int(number)
        case .string(let text): Int(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    static func number(_ value: InventoryValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .float(let number) where number.isFinite: number
        case .string(let text): Double(text.trimmingCharacters(in: .whitespaces)).flatMap { $0.isFinite ? $0 : nil }
        default: nil
        }
    }
}

extension InventoryValue {
    var articledTypeName: String {
        switch self {
        case .string: "a string"
        case .int: "an integer"
        case .float: "a number"
        case .bool: "a boolean"
        case .list: "a list"
        case .dict: "a mapping"
        case .null: "null"
        }
    }

    /// The value and its type, for messages: `the string 'abc'`, `a list`.
    var describedForError: String {
        switch self {
        case .string(let text): "the string '\(text)'"
        case .bool(let flag): "the boolean \(flag)"
        case .null: "null"
        case .int, .float: "the number \(description)"
        case .list, .dict: articledTypeName
        }
    }
}
