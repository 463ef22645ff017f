/// One question an interactive command asks, and what to type when it does.
public struct ExpectPrompt: Sendable, Equatable {
    /// A regular expression (ICU syntax, as NSRegularExpression) found in the output
    /// since the previous prompt was answered; escape codes and `\r` are removed first.
    public var pattern: String
    /// Typed when the prompt appears, followed by "\n".
    public var answer: String
    /// A secret answer never appears in transcripts or errors, even as the terminal echoes it.
    public var secret: Bool
    /// How long the prompt may take to appear, counted from when the previous one was answered.
    public var timeout: Duration

    public init(pattern: String, answer: String, secret: Bool = false, timeout: Duration = .seconds(60)) {
        self.pattern = pattern
        self.answer = answer
        self.secret = secret
        self.timeout = timeout
    }
}
