extension SSHJumpHost {
    /// A ProxyJump value read as readconf.c's parse_jump reads it: `none` (any case, and the
    /// whole value) means no jump, giving an empty list; otherwise everything from the first `#`
    /// is dropped, the value ends at its first whitespace, and every comma-separated hop must
    /// parse. Nil when one does not.
    static func hops(inProxyJump raw: String) -> [SSHJumpHost]? {
        if raw.lowercased() == "none" { return [] }
        let uncommented = raw.utf8.prefix { $0 != SSHByte.hash }
        let firstSpace = uncommented.dropFirst().firstIndex { SSHConfigNumbers.isCSpace($0) } ?? uncommented.endIndex
        let value = Substring(uncommented[..<firstSpace])
        var hops: [SSHJumpHost] = []
        for hop in value.split(separator: ",", omittingEmptySubsequences: false) {
            guard let parsed = SSHJumpHost(hop: hop) else { return nil }
            hops.append(parsed)
        }
        return hops
    }

    /// One hop: an `ssh://[user@]host[:port]` URI or `[user@]host[:port]`, where the user ends
    /// at the last `@` and a host with colons goes in brackets.
    init?(hop: Substring) {
        if hop.hasPrefix("ssh://") {
            self.init(uri: hop.dropFirst("ssh://".count))
        } else {
            self.init(userHostPort: hop)
        }
    }

    /// parse_user_host_port.
    private init?(userHostPort text: Substring) {
        var rest = text
        var user: String?
        if let at = rest.lastIndex(of: "@") {
            guard at != rest.startIndex else { return nil }
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        guard let (host, delimiter, port) = Self.splitHostPort(rest), delimiter != "/", !host.isEmpty else { return nil }
        var portNumber: Int?
        if let port, !port.isEmpty {
            guard let number = SSHConfigNumbers.port(String(port)), number > 0 else { return nil }
            portNumber = number
        }
        self.init(user: user, host: Self.withoutBrackets(host), port: portNumber)
    }

    /// parse_uri for the `ssh` scheme, without a path: the user (before the first `@`, up to
    /// any `;`) and the path may be %-encoded; the host must look like a domain name.
    private init?(uri text: Substring) {
        var rest = text
        var user: String?
        if let at = rest.firstIndex(of: "@") {
            let userPart = rest[..<at].prefix { $0 != ";" }
            guard !userPart.isEmpty, let decoded = Self.percentDecoded(userPart) else { return nil }
            user = decoded
            rest = rest[rest.index(after: at)...]
        }
        guard let (hostPart, delimiter, afterHost) = Self.splitHostPort(rest), !hostPart.isEmpty else { return nil }
        let host = Self.withoutBrackets(hostPart)
        guard Self.isValidDomain(host) else { return nil }
        var port: Int?
        var path = afterHost
        if let after = afterHost, !after.isEmpty, delimiter == ":" {
            let portText = after.prefix { $0 != "/" }
            guard let number = SSHConfigNumbers.port(String(portText)), number > 0 else { return nil }
            port = number
            path = portText.endIndex < after.endIndex ? after[after.index(after: portText.endIndex)...] : nil
        }
        if let path, !path.isEmpty { return nil }  // a path is no place to jump to
        self.init(user: user, host: host, port: port)
    }

    /// hpdelim2: the host (bracketed hosts may hold colons), the `:` or `/` after it, and the rest.
    private static func splitHostPort(_ text: Substring) -> (Substring, Character?, Substring?)? {
        var hostEnd = text.endIndex
        if text.first == "[" {
            guard let close = text.firstIndex(of: "]") else { return nil }
            hostEnd = text.index(after: close)
        } else if let delimiter = text.firstIndex(where: { $0 == ":" || $0 == "/" }) {
            hostEnd = delimiter
        }
        guard hostEnd < text.endIndex else { return (text, nil, nil) }
        let delimiter = text[hostEnd]
        guard delimiter == ":" || delimiter == "/" else { return nil }
        return (text[..<hostEnd], delimiter, text[text.index(after: hostEnd)...])
    }

    /// cleanhostname: `[::1]` is `::1`.
    private static func withoutBrackets(_ host: Substring) -> String {
        guard host.first == "[", host.last == "]", host.count >= 2 else { return String(host) }
        return String(host.dropFirst().dropLast())
    }

    /// valid_domain: letters, digits, `-`, `_` and single dots, starting with a letter or digit.
    private static func isValidDomain(_ host: String) -> Bool {
        let bytes = Array(host.utf8)
        guard let first = bytes.first, isASCIIAlphanumeric(first), bytes.last != UInt8(ascii: ".") else { return false }
        for (index, byte) in bytes.enumerated() {
            let separator = byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            guard isASCIIAlphanumeric(byte) || separator else { return false }
            if byte == UInt8(ascii: "."), index > 0, bytes[index - 1] == UInt8(ascii: ".") { return false }
        }
        return true
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    /// Hex digits in both cases: a digit's value is its index modulo 16.
    private static let hexDigits = Array("0123456789abcdef0123456789ABCDEF".utf8)

    /// urldecode: `+` is a space and `%XX` a byte; nil for a malformed escape.
    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var input = text.utf8[...]
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(SSHByte.space)
            } else if byte == UInt8(ascii: "%") {
                let digits = input.prefix(2).compactMap { hexDigits.firstIndex(of: $0) }
                guard digits.count == 2 else { return nil }
                bytes.append(UInt8(digits[0] % 16 * 16 + digits[1] % 16))
                input = input.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
