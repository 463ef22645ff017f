import Testing

@testable import MusterCore

@Suite struct HostAddressTests {
    @Test(arguments: [
        "::", "::1", "1::", "fe80::1", "2001:db8::7", "1:2:3:4:5:6:7:8", "1::8", "::ffff:192.0.2.1",
        "1:2:3:4:5:6:192.0.2.1", "FE80::ABCD",
    ])
    func validIPv6Addresses(text: String) {
        #expect(HostAndPort.isIPv6Address(text))
    }

    @Test(arguments: [
        "", ":", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "12345::", "g::1", ":1",
        "1:", "::1.2.3", "::256.0.0.1", "1:2:3:4:5:6:7:192.0.2.1", "web:db",
    ])
    func invalidIPv6Addresses(text: String) {
        #expect(!HostAndPort.isIPv6Address(text))
    }

    @Test(arguments: [
        ("web1", HostAndPort(host: "web1", port: nil)),
        ("web1:22", HostAndPort(host: "web1", port: 22)),
        ("192.0.2.1:65535", HostAndPort(host: "192.0.2.1", port: 65535)),
        ("[::1]:1", HostAndPort(host: "::1", port: 1)),
        ("[::1]", HostAndPort(host: "::1", port: nil)),
        ("fe80::1", HostAndPort(host: "fe80::1", port: nil)),
        ("web[1:3]:22", HostAndPort(host: "web[1:3]", port: 22)),
        ("[1:3].example.com", HostAndPort(host: "[1:3].example.com", port: nil)),
        ("web:022", HostAndPort(host: "web", port: 22)),
    ])
    func splitsHostAndPort(text: String, expected: HostAndPort) throws {
        #expect(try HostAndPort.parse(text) == expected)
    }
}
