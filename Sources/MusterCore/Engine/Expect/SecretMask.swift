import Foundation

/// Hides secret answers in text meant for people: transcripts and error messages.
///
/// It works on assembled text, never chunk by chunk, so a secret the terminal echoed
/// across two reads is still found.
struct SecretMask: Sendable {
    static let replacement = "********"
    /// The shortest tail of output that is masked when it could be the start of a secret.
    static let shortestPartial = 3

    /// Longest first, so that a secret containing another is masked whole.
    private let secrets: [String]

    init(secrets: [String]) {
        self.secrets = Set(secrets.filter { !$0.isEmpty }).sorted { $0.count > $1.count }
    }

    /// `text` with every occurrence of every secret replaced, and a trailing start of a
    /// secret too (output cut off while a secret was being echoed).
    func apply(to text: String) -> String {
        var masked = text
        for secret in secrets {
            masked = masked.replacingOccurrences(of: secret, with: Self.replacement)
        }
        for secret in secrets where secret.count > Self.shortestPartial {
            for length in stride(from: secret.count - 1, through: Self.shortestPartial, by: -1) {
                let start = secret.prefix(length)
                if masked.hasSuffix(start) {
                    masked.removeLast(length)
                    masked += Self.replacement
                    break
                }
            }
        }
        return masked
    }
}
