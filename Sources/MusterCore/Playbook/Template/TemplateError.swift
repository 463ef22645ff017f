/// A problem in a template or expression: where it is (a 0-based UTF-8 offset into the text
/// that was parsed) and what is wrong, so the playbook loader can point at file:line:column.
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The text is not a valid template or expression; found when parsing.
        case syntax
        /// A variable, key or index that does not exist: `default(...)` and `is defined` absorb these.
        case undefined
        /// Anything else found while evaluating: type mismatches, overflow, bad regular expressions.
        case evaluation
    }

    public let kind: Kind
    /// 0-based UTF-8 offset of the problem within the parsed text.
    public let offset: Int
    public let message: String

    public init(_ kind: Kind, at offset: Int, _ message: String) {
        self.kind = kind
        self.offset = offset
        self.message = message
    }

    public var description: String { message }

    /// 1-based line and column (in characters) of `offset` within `text`, the string that was
    /// parsed; for errors in single-line values the line is always 1.
    public func position(in text: String) -> (line: Int, column: Int) {
        let utf8 = text.utf8
        let limit = utf8.index(utf8.startIndex, offsetBy: min(max(offset, 0), utf8.count))
        var line = 1
        var lineStart = text.startIndex
        var index = text.startIndex
        while index < limit {
            if text[index] == "\n" || text[index] == "\r\n" {
                line += 1
                lineStart = text.index(after: index)
            }
            index = text.index(after: index)
        }
        return (line, text[lineStart..<index].count + 1)
    }

    static func syntax(_ offset: Int, _ message: String) -> TemplateError { TemplateError(.syntax, at: offset, message) }
    static func undefined(_ offset: Int, _ message: String) -> TemplateError {
        TemplateError(.undefined, at: offset, message)
    }
    static func evaluation(_ offset: Int, _ message: String) -> TemplateError {
        TemplateError(.evaluation, at: offset, message)
    }
}
