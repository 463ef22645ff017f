/// Turns raw terminal output into plain text, chunk by chunk.
///
/// Prompts are matched, and transcripts kept, on what a person would read: ANSI escape
/// sequences (colours, cursor moves, titles) and other control characters are dropped,
/// `\r\n` becomes `\n` and a lone `\r` becomes `\n`. Escape sequences, `\r\n` pairs and
/// UTF-8 characters may all be split across reads, so the state carries over.
struct TerminalTextFilter {
    private enum State {
        case text
        /// After ESC.
        case escape
        /// ESC followed by intermediate bytes (ESC ( B, …): ends at a final byte.
        case escapeIntermediate
        /// ESC [ …: parameters until a final byte in 0x40...0x7E.
        case controlSequence
        /// ESC ] … (and other strings): until BEL or ESC \.
        case string
        case stringEscape
    }

    private var state = State.text
    private var pendingCarriageReturn = false
    /// The start of a UTF-8 character whose remaining bytes have not arrived yet.
    private var partialCharacter: [UInt8] = []

    /// The plain text in `bytes`; whatever is incomplete waits for the next call.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> String {
        var plain = partialCharacter
        partialCharacter.removeAll()
        for byte in bytes { filter(byte, into: &plain) }
        let complete = Self.completePrefixLength(plain)
        partialCharacter = Array(plain[complete...])
        return String(decoding: plain[..<complete], as: UTF8.self)
    }

    private mutating func filter(_ byte: UInt8, into plain: inout [UInt8]) {
        switch state {
        case .text:
            if pendingCarriageReturn {
                // "\r\n", "\r\r\n" (a program's own \r\n through the terminal) and a lone "\r": one newline.
                if byte == 0x0D { return }
                pendingCarriageReturn = false
                plain.append(0x0A)
                if byte == 0x0A { return }
            }
            switch byte {
            case 0x1B: state = .escape
            case 0x0D: pendingCarriageReturn = true
            case 0x09, 0x0A, 0x20...0x7E, 0x80...0xFF: plain.append(byte)
            default: break  // other control characters: BEL, backspace, DEL, …
            }
        case .escape:
            switch byte {
            case 0x5B: state = .controlSequence
            case 0x5D, 0x50, 0x5F, 0x5E, 0x58: state = .string  // OSC, DCS, APC, PM, SOS
            case 0x20...0x2F: state = .escapeIntermediate
            default: state = .text  // a two-byte sequence (ESC =, ESC 7, …)
            }
        case .escapeIntermediate:
            if !(0x20...0x2F).contains(byte) { state = .text }
        case .controlSequence:
            if (0x40...0x7E).contains(byte) { state = .text }
        case .string:
            if byte == 0x07 { state = .text } else if byte == 0x1B { state = .stringEscape }
        case .stringEscape:
            state = byte == 0x5C ? .text : .string
        }
    }

    /// How many leading bytes form complete UTF-8 characters: a lead byte near the end
    /// whose continuation bytes are still missing is held back.
    private static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        var index = bytes.count
        while index > 0 && bytes.count - index < 3 {
            index -= 1
            let byte = bytes[index]
            if byte & 0xC0 == 0x80 { continue }  // a continuation byte: keep looking for its lead
            let needed = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            return bytes.count - index < needed ? index : bytes.count
        }
        return bytes.count
    }
}
