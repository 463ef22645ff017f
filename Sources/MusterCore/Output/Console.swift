import Glibc

/// Writes to stdout and stderr without ever crashing: a reader that went away
/// (`muster … | head`) must not kill a run that is changing hosts. Text goes out
/// straight from the string's storage, so a 12 MB `--list` is not copied again.
public enum Console {
    public static func out(_ text: String) { write(text, to: STDOUT_FILENO) }
    public static func err(_ text: String) { write(text, to: STDERR_FILENO) }

    private static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }  // EPIPE and friends: the reader is gone
                offset += written
            }
        }
    }
}
