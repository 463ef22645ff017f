import Foundation

/// Writes to stdout and stderr without ever crashing: a reader that went away
/// (`muster … | head`) must not kill a run that is changing hosts.
public enum Console {
    public static func out(_ text: String) { write(text, to: .standardOutput) }
    public static func err(_ text: String) { write(text, to: .standardError) }

    private static func write(_ text: String, to handle: FileHandle) {
        try? handle.write(contentsOf: Data(text.utf8))
    }
}
