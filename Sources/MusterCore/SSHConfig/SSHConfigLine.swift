/// One config line split as readconf.c splits it before looking at what the keyword means:
/// the keyword, the raw text after it (which ProxyJump, ProxyCommand and Match read themselves)
/// and that text as words.
struct SSHConfigLine {
    /// The line cut at its first NUL (ssh reads C strings) without trailing whitespace.
    let bytes: [UInt8]
    let keyword: SSHConfigArgument
    /// Where the arguments start, past the keyword, whitespace and one `=`.
    let argumentsOffset: Int
    let words: [SSHConfigArgument]
    let place: SSHConfigPlace

    /// The line's parts, or nil for a line ssh skips: blank, a comment, or a keyword whose
    /// opening quote never closes (readconf.c's strdelim gives up on it without a word).
    init?(_ raw: ArraySlice<UInt8>, at place: SSHConfigPlace) throws(SSHConfigError) {
        let bytes = Self.trimmed(raw)
        guard let (piece, next) = Self.keyword(of: bytes), piece.bytes.first.map({ $0 != SSHByte.hash }) == true else {
            return nil
        }
        var columns = SSHConfigColumnCounter(bytes: bytes, place: place)
        let keyword = columns.argument(piece)
        let start = next.map { SSHConfigLineSplitter.skipWhitespace(in: bytes, from: $0) } ?? bytes.count
        guard start < bytes.count else {
            throw SSHConfigError(at: columns.location(ofByte: bytes.count), "expected a value after \(keyword.text)")
        }
        do throws(SSHConfigLineSplitter.Failure) {
            words = try SSHConfigLineSplitter.words(in: bytes, from: start).map { columns.argument($0) }
        } catch {
            switch error {
            case .unclosedQuote(let offset):
                throw SSHConfigError(at: place.location(ofByte: offset, in: bytes), "no closing quote for the quote opened here")
            }
        }
        self.bytes = bytes
        self.keyword = keyword
        self.place = place
        argumentsOffset = start
    }

    /// The raw text after the keyword, as ProxyJump and ProxyCommand read it.
    var rawArguments: ArraySlice<UInt8> { bytes[argumentsOffset...] }

    func location(ofByte offset: Int) -> SSHConfigLocation {
        place.location(ofByte: offset, in: bytes)
    }

    /// The end of the line, where a missing value would have gone.
    var endLocation: SSHConfigLocation { location(ofByte: bytes.count) }

    /// readconf.c strips trailing blanks and form feeds but never the first byte.
    private static func trimmed(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        let start = raw.startIndex
        var end = raw.firstIndex(of: 0) ?? raw.endIndex
        while end - start > 1, SSHConfigLineSplitter.isWhitespace(raw[end - 1]) || raw[end - 1] == SSHByte.formFeed {
            end -= 1
        }
        return Array(raw[start..<end])
    }

    /// The keyword: strdelim's first token, or its second when the line starts with a delimiter.
    private static func keyword(of bytes: [UInt8]) -> (SSHConfigLineSplitter.Piece, Int?)? {
        guard let first = SSHConfigLineSplitter.delimitedToken(in: bytes, from: 0) else { return nil }
        guard first.token.bytes.isEmpty, let next = first.next else { return first }
        return SSHConfigLineSplitter.delimitedToken(in: bytes, from: next)
    }
}

/// The file and line a config line came from, and the column its text starts at (ssh
/// arguments are parsed as lines that start part-way into the argument string).
struct SSHConfigPlace {
    let path: String
    let line: Int?
    var firstColumn = 1

    func location(ofByte offset: Int, in bytes: [UInt8]) -> SSHConfigLocation {
        var columns = SSHConfigColumnCounter(bytes: bytes, place: self)
        return columns.location(ofByte: offset)
    }
}

/// Turns byte offsets into character columns (UTF-8 lead bytes), remembering how far it has
/// counted so that a line's words, asked for in order, cost one pass even on a huge line.
struct SSHConfigColumnCounter {
    let bytes: [UInt8]
    let place: SSHConfigPlace
    private var counted = 0
    private var characters = 0

    init(bytes: [UInt8], place: SSHConfigPlace) {
        self.bytes = bytes
        self.place = place
    }

    mutating func location(ofByte offset: Int) -> SSHConfigLocation {
        if offset < counted { (counted, characters) = (0, 0) }
        let end = min(offset, bytes.count)
        bytes.withUnsafeBufferPointer { bytes in
            while counted < end {
                if bytes[counted] & 0xC0 != 0x80 { characters += 1 }
                counted += 1
            }
        }
        return SSHConfigLocation(path: place.path, line: place.line, column: place.firstColumn + characters + (offset - counted))
    }

    mutating func argument(_ piece: SSHConfigLineSplitter.Piece) -> SSHConfigArgument {
        SSHConfigArgument(text: String(decoding: piece.bytes, as: UTF8.self), location: location(ofByte: piece.offset))
    }
}
