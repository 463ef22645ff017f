/// Facts read from an SSH public key in wire format (`string algorithm, …`).
public enum SSHKeyBlob {
    /// The algorithm name the blob starts with, e.g. `ssh-ed25519`.
    public static func algorithm(of blob: [UInt8]) -> String {
        var reader = SSHWireReader(blob[...])
        return reader.readString().map { String(decoding: $0, as: UTF8.self) } ?? "unknown"
    }

    /// The key type as OpenSSH names it in messages: ED25519, ECDSA, RSA, DSA.
    public static func displayType(ofAlgorithm algorithm: String) -> String {
        switch algorithm {
        case "ssh-ed25519": "ED25519"
        case let name where name.hasPrefix("ecdsa-sha2-"): "ECDSA"
        case "ssh-rsa": "RSA"
        case "ssh-dss": "DSA"
        default: algorithm
        }
    }

    /// `ED25519 key fingerprint is SHA256:…`, the way OpenSSH words it.
    public static func describe(_ blob: [UInt8]) -> String {
        "\(displayType(ofAlgorithm: algorithm(of: blob))) key fingerprint is \(Digest.openSSHFingerprint(ofKeyBlob: blob))"
    }
}

/// Reads SSH wire-format fields (RFC 4251 `uint32` and `string`).
struct SSHWireReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    mutating func readUInt32() -> UInt32? {
        guard bytes.count >= 4 else { return nil }
        let value = bytes.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        bytes = bytes.dropFirst(4)
        return value
    }

    mutating func readString() -> ArraySlice<UInt8>? {
        guard let length = readUInt32(), bytes.count >= Int(length) else { return nil }
        let value = bytes.prefix(Int(length))
        bytes = bytes.dropFirst(Int(length))
        return value
    }
}
