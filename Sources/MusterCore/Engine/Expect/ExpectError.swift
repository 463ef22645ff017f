/// Why an expect conversation failed. Messages name the prompt by its 1-based number and
/// pattern, and show recent output with every secret answer masked; never an answer.
public enum ExpectError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `index` is 0-based; `reason` comes from the regex parser.
    case invalidPattern(index: Int, pattern: String, reason: String)
    /// The prompt at `index` did not appear within its timeout.
    case promptTimedOut(index: Int, pattern: String, timeout: Duration, recentOutput: String)
    /// The command's output ended while the prompt at `index` was still awaited.
    case endedBeforePrompt(index: Int, pattern: String, recentOutput: String)

    public var description: String {
        switch self {
        case .invalidPattern(let index, let pattern, let reason):
            "expect prompt \(index + 1): invalid regular expression \(Self.quoted(pattern)): \(reason)"
        case .promptTimedOut(let index, let pattern, let timeout, let recentOutput):
            "expect prompt \(index + 1) \(Self.quoted(pattern)) did not appear within \(Self.seconds(timeout));"
                + " last output: \(Self.quoted(recentOutput))"
        case .endedBeforePrompt(let index, let pattern, let recentOutput):
            "the command's output ended before expect prompt \(index + 1) \(Self.quoted(pattern)) appeared;"
                + " last output: \(Self.quoted(recentOutput))"
        }
    }

    /// "30 s", "1.5 s".
    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return value == value.rounded() ? "\(Int64(value)) s" : "\(value) s"
    }

    /// On one line, with newlines and control characters escaped.
    private static func quoted(_ text: String) -> String { String(reflecting: text) }
}
