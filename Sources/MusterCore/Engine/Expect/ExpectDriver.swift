import Foundation
import MusterSSH

/// Answers an interactive command's prompts in order, like `expect`: run it with
/// `SSHSession.converse`, then report `transcript` (secrets masked), never the raw output.
///
/// Output is collected since the last answered prompt; once the current prompt's pattern
/// matches it, the answer is typed and the text after the match is kept for the next
/// prompt. After the last prompt the command runs to its end, and its exit status decides.
public final class ExpectDriver: ConversationDriver, @unchecked Sendable {
    // @unchecked Sendable: the session's loop thread drives it while the caller holds it
    // to read the transcript; every mutable property is guarded by `lock`.

    /// How much unanswered output is searched: a prompt is near the end of it, and the cap
    /// keeps a chatty command from making every match slower.
    static let searchedCharacters = 64 * 1024
    /// How much output an error message shows.
    static let shownCharacters = 200

    public let prompts: [ExpectPrompt]
    private let expressions: [NSRegularExpression]
    private let mask: SecretMask
    private let lock = NSLock()
    private var filter = TerminalTextFilter()
    private var current = 0
    private var currentSince: ContinuousClock.Instant?
    private var unanswered = ""
    private var seen = ""

    /// Throws `.invalidPattern` for the first pattern that is not a valid regular expression.
    public init(prompts: [ExpectPrompt]) throws(ExpectError) {
        var expressions: [NSRegularExpression] = []
        for (index, prompt) in prompts.enumerated() {
            if let reason = Self.validate(pattern: prompt.pattern) {
                throw .invalidPattern(index: index, pattern: prompt.pattern, reason: reason)
            }
            expressions.append(try! NSRegularExpression(pattern: prompt.pattern))
        }
        self.prompts = prompts
        self.expressions = expressions
        self.mask = SecretMask(secrets: prompts.filter(\.secret).map(\.answer))
    }

    /// Why `pattern` is not a usable regular expression, or nil if it is: lets a playbook
    /// parser reject it before any host is contacted.
    public static func validate(pattern: String) -> String? {
        if (try? NSRegularExpression(pattern: pattern)) != nil { return nil }
        // ICU only says "invalid"; Swift's own parser usually says where and why.
        do {
            _ = try Regex(pattern)
        } catch {
            return "\(error)"
        }
        return "not a valid ICU regular expression"
    }

    // MARK: What the caller reads

    /// All output so far as plain text, every secret answer replaced by `********`.
    public var transcript: String { lock.withLock { mask.apply(to: seen) } }

    /// How many prompts have been answered.
    public var answeredCount: Int { lock.withLock { current } }

    /// Once the output has ended: the error for the first prompt that never appeared, or
    /// nil when all were answered. A command may exit 0 without asking everything.
    public func unansweredPromptError() -> ExpectError? {
        lock.withLock {
            guard current < prompts.count else { return nil }
            return .endedBeforePrompt(index: current, pattern: prompts[current].pattern, recentOutput: recentOutput())
        }
    }

    // MARK: ConversationDriver

    public func started() {
        lock.withLock { currentSince = .now }
    }

    public func received(_ bytes: ArraySlice<UInt8>) throws -> [UInt8] {
        lock.withLock {
            if currentSince == nil { currentSince = .now }
            let text = filter.feed(bytes)
            seen += text
            guard current < prompts.count else { return [] }
            unanswered += text
            if unanswered.utf8.count > Self.searchedCharacters {
                unanswered = String(unanswered.suffix(Self.searchedCharacters / 2))
            }
            return answerPrompts()
        }
    }

    public var nextDeadline: ContinuousClock.Instant? {
        lock.withLock {
            guard current < prompts.count, let currentSince else { return nil }
            return currentSince + prompts[current].timeout
        }
    }

    public func deadlinePassed() throws -> [UInt8] {
        try lock.withLock { () throws(ExpectError) -> [UInt8] in
            guard current < prompts.count else { return [] }
            let prompt = prompts[current]
            throw .promptTimedOut(index: current, pattern: prompt.pattern, timeout: prompt.timeout, recentOutput: recentOutput())
        }
    }

    // MARK: Matching (called with `lock` held)

    /// Answers the current prompt, and the ones after it, as long as their patterns match.
    private func answerPrompts() -> [UInt8] {
        var typed: [UInt8] = []
        while current < prompts.count {
            let range = NSRange(unanswered.startIndex..., in: unanswered)
            guard let match = expressions[current].firstMatch(in: unanswered, range: range),
                let matched = Range(match.range, in: unanswered)
            else { break }
            typed += Array((prompts[current].answer + "\n").utf8)
            unanswered = String(unanswered[matched.upperBound...])
            current += 1
            currentSince = .now
        }
        if current == prompts.count { unanswered = "" }
        return typed
    }

    private func recentOutput() -> String {
        String(mask.apply(to: seen).suffix(Self.shownCharacters))
    }
}
