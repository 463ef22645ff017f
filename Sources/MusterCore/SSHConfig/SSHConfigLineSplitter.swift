/// The two ways readconf.c splits a line, reproduced quirk for quirk because they disagree:
/// `strdelim` (keywords and `Match` criteria) splits at whitespace or one `=` and knows only
/// double quotes; `argv_split` (every other argument) splits at spaces and tabs, knows both
/// quotes and backslash escapes, and stops at a word starting with `#`.
enum SSHConfigLineSplitter {
    /// A piece of a line: its bytes (quotes removed) and the offset where it starts.
    struct Piece {
        let bytes: [UInt8]
        let offset: Int
    }

    enum Failure: Error {
        /// A quote never closed; the offset of the opening quote.
        case unclosedQuote(at: Int)
    }

    /// `strdelim`: the token starting at `start` and where the next one starts (nil at the end
    /// of the line). An unclosed `"` yields nil, which ssh treats as no token at all.
    static func delimitedToken(in line: [UInt8], from start: Int) -> (token: Piece, next: Int?)? {
        var index = start
        while index < line.count, !isDelimiter(line[index]) { index += 1 }
        guard index < line.count else { return (Piece(bytes: Array(line[start...]), offset: start), nil) }
        if line[index] == SSHByte.quote {
            guard let close = line[(index + 1)...].firstIndex(of: SSHByte.quote) else { return nil }
            let bytes = Array(line[start..<index] + line[(index + 1)..<close])
            return (Piece(bytes: bytes, offset: start), skipWhitespace(in: line, from: close + 1))
        }
        var next = skipWhitespace(in: line, from: index + 1)
        if line[index] != SSHByte.equals, next < line.count, line[next] == SSHByte.equals {
            next = skipWhitespace(in: line, from: next + 1)  // `Key = value`: one `=` may stand alone
        }
        return (Piece(bytes: Array(line[start..<index]), offset: start), next)
    }

    /// `argv_split` with comments: the words from `start` to the end of the line.
    static func words(in line: [UInt8], from start: Int) throws(Failure) -> [Piece] {
        try line.withUnsafeBufferPointer { (line) throws(Failure) in
            var words: [Piece] = []
            var index = start
            while index < line.count {
                let byte = line[index]
                if byte == SSHByte.space || byte == SSHByte.tab {
                    index += 1
                    continue
                }
                if byte == SSHByte.hash { break }
                let (word, end) = try self.word(in: line, from: index)
                words.append(word)
                index = end + 1  // past the space or tab that ended the word
            }
            return words
        }
    }

    /// One `argv_split` word starting at `start`, and the offset just past it. Runs of plain
    /// bytes are copied whole, which keeps huge lines quick even in debug builds.
    private static func word(in line: UnsafeBufferPointer<UInt8>, from start: Int) throws(Failure) -> (Piece, Int) {
        var bytes: [UInt8] = []
        var quote: UInt8?
        var quoteOffset = start
        var index = start
        while index < line.count {
            let plainStart = index
            while index < line.count, !isSpecialInWord(line[index]) { index += 1 }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: line[plainStart..<index]))
            guard index < line.count else { break }
            let byte = line[index]
            let following = index + 1 < line.count ? line[index + 1] : nil
            if byte == SSHByte.backslash, let following,
                following == SSHByte.apostrophe || following == SSHByte.quote || following == SSHByte.backslash
                    || (quote == nil && following == SSHByte.space)
            {
                bytes.append(following)
                index += 1
            } else if quote == nil, byte == SSHByte.space || byte == SSHByte.tab {
                break
            } else if quote == nil, byte == SSHByte.quote || byte == SSHByte.apostrophe {
                quote = byte
                quoteOffset = index
            } else if byte == quote {
                quote = nil
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        if quote != nil { throw .unclosedQuote(at: quoteOffset) }
        return (Piece(bytes: bytes, offset: start), index)
    }

    private static func isSpecialInWord(_ byte: UInt8) -> Bool {
        byte == SSHByte.space || byte == SSHByte.tab || byte == SSHByte.quote || byte == SSHByte.apostrophe
            || byte == SSHByte.backslash
    }

    /// Skips readconf.c's WHITESPACE, which unlike argv_split's includes CR and LF.
    static func skipWhitespace(in line: [UInt8], from start: Int) -> Int {
        var index = start
        while index < line.count, isWhitespace(line[index]) { index += 1 }
        return index
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == SSHByte.space || byte == SSHByte.tab || byte == SSHByte.carriageReturn || byte == SSHByte.newline
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        isWhitespace(byte) || byte == SSHByte.quote || byte == SSHByte.equals
    }
}

/// Bytes that readconf.c treats specially, named.
enum SSHByte {

    static let space: UInt8 = UInt8(ascii: " ")
    static let tab: UInt8 = UInt8(ascii: "\t")
    static let newline: UInt8 = UInt8(ascii: "\n")
    static let carriageReturn: UInt8 = UInt8(ascii: "\r")
    static let formFeed: UInt8 = 0x0C
    static let quote: UInt8 = UInt8(ascii: "\"")
    static let apostrophe: UInt8 = UInt8(ascii: "'")
    static let backslash: UInt8 = UInt8(ascii: "\\")
    static let hash: UInt8 = UInt8(ascii: "#")
    static let equals: UInt8 = UInt8(ascii: "=")
}
