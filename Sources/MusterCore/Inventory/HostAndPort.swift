/// A host name or address split from the port written after it (`web1:2222`, `[::1]:2222`).
struct HostAndPort: Equatable {
    let host: String
    let port: Int?

    /// Splits like Ansible's `parse_address`, but rejects ports it would let through:
    /// brackets hold an IPv6 address (`[::1]:22`) or a host range (`web[01:03]:22`),
    /// and a name with several colons must be an IPv6 address.
    static func parse(_ text: String) throws(InventoryParseFailure) -> HostAndPort {
        let characters = Array(text)
        if let bracketed = try parseBracketedIPv6(characters) { return bracketed }
        let colons = colonOffsetsOutsideBrackets(characters)
        switch colons.count {
        case 0:
            return HostAndPort(host: text, port: nil)
        case 1:
            let colon = colons[0]
            guard colon > 0 else { throw InventoryParseFailure(message: "expected a host name before ':'", offset: 0) }
            let port = try parsePort(characters[(colon + 1)...], offset: colon + 1)
            return HostAndPort(host: String(characters[..<colon]), port: port)
        default:
            guard isIPv6Address(text) else {
                throw InventoryParseFailure(
                    message: "too many ':' for host:port and not an IPv6 address"
                        + " (write an IPv6 address with a port as [::1]:22)",
                    offset: 0)
            }
            return HostAndPort(host: text, port: nil)
        }
    }

    /// True for the textual IPv6 forms from `::` to `1:2:3:4:5:6:7:8`, including a trailing
    /// dotted IPv4 part (`::ffff:192.0.2.1`).
    static func isIPv6Address(_ text: String) -> Bool {
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return false }
        let groups = halves.flatMap { half in
            half.isEmpty ? [] : half.split(separator: ":", omittingEmptySubsequences: false)
        }
        var groupCount = groups.count
        for (index, group) in groups.enumerated() {
            if index == groups.count - 1, group.contains(".") {
                guard isIPv4Address(group) else { return false }
                groupCount += 1  // a dotted IPv4 tail stands for two groups
            } else if !(1...4).contains(group.count) || !group.allSatisfy({ $0.isASCII && $0.isHexDigit }) {
                return false
            }
        }
        return halves.count == 2 ? groupCount <= 7 : groupCount == 8
    }

    private static func isIPv4Address(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            (1...3).contains(part.count) && part.allSatisfy { $0.isASCII && $0.isNumber } && Int(part)! <= 255
        }
    }

    /// `[addr]` or `[addr]:port` where addr is IPv6; nil when the brackets hold something else (a range).
    private static func parseBracketedIPv6(_ characters: [Character]) throws(InventoryParseFailure) -> HostAndPort? {
        guard characters.first == "[", let close = characters.firstIndex(of: "]"),
            isIPv6Address(String(characters[1..<close]))
        else { return nil }
        let host = String(characters[1..<close])
        let rest = characters[(close + 1)...]
        guard let first = rest.first else { return HostAndPort(host: host, port: nil) }
        guard first == ":" else {
            throw InventoryParseFailure(message: "expected ':' and a port after ']'", offset: close + 1)
        }
        return HostAndPort(host: host, port: try parsePort(rest.dropFirst(), offset: close + 2))
    }

    private static func colonOffsetsOutsideBrackets(_ characters: [Character]) -> [Int] {
        var depth = 0
        var offsets: [Int] = []
        for (offset, character) in characters.enumerated() {
            switch character {
            case "[": depth += 1
            case "]": depth = max(0, depth - 1)
            case ":" where depth == 0: offsets.append(offset)
            default: break
            }
        }
        return offsets
    }

    private static func parsePort(_ digits: ArraySlice<Character>, offset: Int) throws(InventoryParseFailure) -> Int {
        guard (1...5).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(String(digits)), (1...65535).contains(port)
        else { throw InventoryParseFailure(message: "port must be a number from 1 to 65535", offset: offset) }
        return port
    }
}
