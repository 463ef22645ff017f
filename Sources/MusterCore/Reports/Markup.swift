/// Escaping shared by the XML and HTML reports. Task output is arbitrary bytes from
/// hosts, so it must never be able to end an element, open a tag or break the parser.
enum Markup {
    /// Text or attribute content. Control characters XML 1.0 forbids (an ESC from a
    /// coloured `ls`, a NUL) become their visible Control Pictures (U+241B ␛), so the
    /// file stays well-formed and the reader still sees that something was there.
    /// Newlines and tabs are kept in text and written as character references in
    /// attributes, where a parser would otherwise fold them into spaces.
    static func escape(_ text: String, attribute: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"  // also keeps `]]>` out of the file
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n": out += attribute ? "&#10;" : "\n"
            case "\r": out += "&#13;"
            case "\t": out += attribute ? "&#9;" : "\t"
            case "\u{00}"..."\u{1F}": out.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case "\u{7F}": out += "\u{2421}"
            case "\u{80}"..."\u{9F}", "\u{FFFE}", "\u{FFFF}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Seconds with millisecond precision, as JUnit's `time` and the reports' tables show them.
    static func seconds(_ duration: Duration) -> String { seconds(duration.seconds) }

    static func seconds(_ value: Double) -> String {
        let millis = max(0, Int((value * 1000).rounded()))
        let fraction = String(millis % 1000)
        return "\(millis / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
