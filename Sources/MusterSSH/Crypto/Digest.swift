import CLibSSH2
import Foundation

/// SHA-256 and HMAC-SHA1 from the libcrypto that libssh2 already links against,
/// so hashing a multi-hundred-MB bundle uses the CPU's SHA extensions.
public enum Digest {
    /// SHA-256 of `bytes` as raw bytes.
    public static func sha256(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        guard let context = muster_sha256_new() else { fatalError("libcrypto: cannot create a SHA-256 context") }
        defer { EVP_MD_CTX_free(context) }
        EVP_DigestUpdate(context, bytes.baseAddress, bytes.count)
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return digest
    }

    /// SHA-256 of `bytes` fed `chunkSize` bytes at a time, calling `afterChunk` with
    /// each range once hashed (a mapped file releases those pages).
    public static func sha256(
        _ bytes: UnsafeRawBufferPointer, chunkSize: Int, afterChunk: (Range<Int>) -> Void
    ) -> [UInt8] {
        guard let context = muster_sha256_new() else { fatalError("libcrypto: cannot create a SHA-256 context") }
        defer { EVP_MD_CTX_free(context) }
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunkSize)
            EVP_DigestUpdate(context, bytes.baseAddress! + offset, end - offset)
            afterChunk(offset..<end)
            offset = end
        }
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return digest
    }

    public static func sha256<Bytes: ContiguousBytes>(_ bytes: Bytes) -> [UInt8] {
        bytes.withUnsafeBytes { sha256($0) }
    }

    /// HMAC-SHA1, which hashed known_hosts entries (`|1|salt|hash`) are made of.
    public static func hmacSHA1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 20)
        var length: UInt32 = 0
        _ = HMAC(EVP_sha1(), key, Int32(key.count), message, message.count, &output, &length)
        return output
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A key fingerprint as OpenSSH prints it: `SHA256:` and unpadded base64.
    public static func openSSHFingerprint(ofKeyBlob blob: [UInt8]) -> String {
        let encoded = Data(sha256(blob)).base64EncodedString()
        return "SHA256:" + encoded.replacingOccurrences(of: "=", with: "")
    }
}
