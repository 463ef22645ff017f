import Foundation

/// ANSI colours, only on a terminal and never when NO_COLOR is set (no-color.org).
public struct TerminalColors: Sendable {
    public enum Color: String, Sendable {
        case plain = ""
        case bold = "1"
        case dim = "2"
        case red = "31"
        case green = "32"
        case yellow = "33"
    }

    public let enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    /// Colours for `fd`: on when it is a TTY and NO_COLOR is unset or empty.
    public static func forOutput(_ fd: Int32) -> TerminalColors {
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return TerminalColors(enabled: isatty(fd) == 1 && !noColor)
    }

    public func paint(_ text: String, _ color: Color) -> String {
        guard enabled, color != .plain else { return text }
        return "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m"
    }
}
