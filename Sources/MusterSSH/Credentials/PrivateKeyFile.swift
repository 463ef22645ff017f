import Foundation

/// A private key file, inspected before any host is contacted so that a missing,
/// unreadable or encrypted key is reported once, up front, with its path.
public struct PrivateKeyFile: Sendable {
    public enum Algorithm: String, Sendable { case ed25519, ecdsa, rsa, dsa, unknown }

    public let path: String
    public let algorithm: Algorithm
    public let isEncrypted: Bool
    /// `SHA256:…` of the public key, when the file format carries it unencrypted.
    public let fingerprint: String?

    public init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read it (permissions?)" : "no such file"
            throw SSHError(.authentication, "\(path): private key: \(reason)")
        }
        let text = String(decoding: data, as: UTF8.self)
        if text.contains("-----BEGIN OPENSSH PRIVATE KEY-----") {
            let parsed = Self.parseOpenSSH(text)
            guard let parsed else { throw SSHError(.authentication, "\(path): not a valid OpenSSH private key file") }
            (algorithm, isEncrypted, fingerprint) = parsed
        } else if text.contains("-----BEGIN") && text.contains("PRIVATE KEY-----") {
            algorithm =
                text.contains("BEGIN RSA") ? .rsa : text.contains("BEGIN EC") ? .ecdsa : text.contains("BEGIN DSA") ? .dsa : .unknown
            isEncrypted = text.contains("ENCRYPTED")
            fingerprint = nil
        } else {
            throw SSHError(.authentication, "\(path): not a private key file (expected an OpenSSH or PEM private key)")
        }
    }

    /// A short label for messages: `/root/.ssh/id_ed25519 (ED25519 SHA256:…)`.
    public var label: String {
        let type = algorithm == .unknown ? "" : algorithm.rawValue.uppercased()
        let details = [type, fingerprint ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
        return details.isEmpty ? path : "\(path) (\(details))"
    }

    /// openssh-key-v1: magic, cipher, kdf, kdf options, key count, then public keys in the clear.
    private static func parseOpenSSH(_ text: String) -> (Algorithm, Bool, String?)? {
        let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let decoded = Data(base64Encoded: body) else { return nil }
        let bytes = [UInt8](decoded)
        let magic = Array("openssh-key-v1\0".utf8)
        guard bytes.starts(with: magic) else { return nil }
        var reader = SSHWireReader(bytes[magic.count...])
        guard let cipher = reader.readString(), reader.readString() != nil, reader.readString() != nil,
            let count = reader.readUInt32(), count >= 1, let publicKey = reader.readString()
        else { return nil }
        let blob = [UInt8](publicKey)
        let algorithm: Algorithm =
            switch SSHKeyBlob.algorithm(of: blob) {
            case "ssh-ed25519": .ed25519
            case let name where name.hasPrefix("ecdsa-sha2-"): .ecdsa
            case "ssh-rsa": .rsa
            case "ssh-dss": .dsa
            default: .unknown
            }
        let encrypted = String(decoding: cipher, as: UTF8.self) != "none"
        return (algorithm, encrypted, Digest.openSSHFingerprint(ofKeyBlob: blob))
    }
}
