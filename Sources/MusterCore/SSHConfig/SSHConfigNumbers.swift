#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Numbers as OpenSSH's misc.c reads them, so that Muster accepts exactly what ssh accepts
/// (`Port +22`, `Port ssh` and `ConnectTimeout 1m30s` included).
enum SSHConfigNumbers {
    enum Problem: Error {
        case invalid, tooSmall, tooLarge
    }

    /// strtonum(3): a decimal number, after optional whitespace and sign, with nothing after it.
    static func integer(_ text: String, in range: ClosedRange<Int>) -> Result<Int, Problem> {
        var bytes = Substring(text).utf8.drop { isCSpace($0) }
        let negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        guard !bytes.isEmpty, bytes.allSatisfy(isDigit) else { return .failure(.invalid) }
        var magnitude = 0
        for digit in bytes {
            magnitude = min(magnitude * 10 + Int(digit - UInt8(ascii: "0")), Int(Int32.max) + 1)
        }
        let value = negative ? -magnitude : magnitude
        if value < range.lowerBound { return .failure(.tooSmall) }
        if value > range.upperBound { return .failure(.tooLarge) }
        return .success(value)
    }

    /// a2port: a number up to 65535 or a TCP service name from the services database.
    static func port(_ text: String) -> Int? {
        if case .success(let number) = integer(text, in: 0...65_535) { return number }
        return servicePort(text)
    }

    /// convtime: numbers each with an optional unit (s, m, h, d, w, either case) added up in
    /// seconds; nil when malformed, negative, or past what ssh's `int` holds.
    static func seconds(_ text: String) -> Int? {
        var rest = Substring(text).utf8[...]
        guard !rest.isEmpty else { return nil }
        var total = 0
        while !rest.isEmpty {
            rest = rest.drop { isCSpace($0) }  // each number is read with strtol(3)
            let sign = rest.first
            if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { rest = rest.dropFirst() }
            let digits = rest.prefix(while: isDigit)
            guard !digits.isEmpty else { return nil }
            rest = rest.dropFirst(digits.count)
            let number = digits.reduce(0) { min($0 * 10 + Int($1 - UInt8(ascii: "0")), Int(Int32.max) + 1) }
            guard sign != UInt8(ascii: "-") || number == 0, let unit = unitSeconds(rest.first) else { return nil }
            rest = rest.dropFirst()
            guard number <= Int(Int32.max) / unit else { return nil }
            total += number * unit
            guard total <= Int(Int32.max) else { return nil }
        }
        return total
    }

    /// The seconds in a unit letter; a number at the end of the text is in seconds.
    private static func unitSeconds(_ unit: UInt8?) -> Int? {
        switch unit {
        case nil, UInt8(ascii: "s"), UInt8(ascii: "S"): 1
        case UInt8(ascii: "m"), UInt8(ascii: "M"): 60
        case UInt8(ascii: "h"), UInt8(ascii: "H"): 3_600
        case UInt8(ascii: "d"), UInt8(ascii: "D"): 86_400
        case UInt8(ascii: "w"), UInt8(ascii: "W"): 604_800
        default: nil
        }
    }

    private static func servicePort(_ name: String) -> Int? {
        var entry = servent()
        var found: UnsafeMutablePointer<servent>?
        var buffer = [CChar](repeating: 0, count: 4_096)
        let status = buffer.withUnsafeMutableBufferPointer { storage in
            getservbyname_r(name, "tcp", &entry, storage.baseAddress, storage.count, &found)
        }
        guard status == 0, found != nil else { return nil }
        return Int(UInt16(bigEndian: UInt16(truncatingIfNeeded: entry.s_port)))
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// isspace(3) in the C locale.
    static func isCSpace(_ byte: UInt8) -> Bool {
        byte == SSHByte.space || (SSHByte.tab...SSHByte.carriageReturn).contains(byte)
    }
}
