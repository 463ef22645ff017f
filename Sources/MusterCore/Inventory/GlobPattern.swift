/// A shell glob as Python's `fnmatch` reads it (`*`, `?`, `[abc]`, `[a-z]`, `[!abc]`),
/// matched against a whole name, case-sensitively, as Ansible matches host patterns.
struct GlobPattern: Sendable {
    private enum Element: Sendable {
        case literal(Character)
        case anyCharacter
        case anyRun
        case set([ClosedRange<Character>], negated: Bool)

        func matches(_ character: Character) -> Bool {
            switch self {
            case .literal(let expected): character == expected
            case .anyCharacter: true
            case .anyRun: false  // handled by the matcher's backtracking
            case .set(let ranges, let negated): ranges.contains { $0.contains(character) } != negated
            }
        }
    }

    private let elements: [Element]

    /// The name itself when the glob has no wildcards.
    var literal: String? {
        var text = ""
        for element in elements {
            guard case .literal(let character) = element else { return nil }
            text.append(character)
        }
        return text
    }

    init(_ text: some StringProtocol) throws(InventoryParseFailure) {
        let characters = Array(text)
        var elements: [Element] = []
        var index = 0
        while index < characters.count {
            switch characters[index] {
            case "*": elements.append(.anyRun)
            case "?": elements.append(.anyCharacter)
            case "[":
                let (set, end) = try Self.parseSet(characters, at: index)
                elements.append(set)
                index = end
            case let character: elements.append(.literal(character))
            }
            index += 1
        }
        self.elements = elements
    }

    /// `[...]` as fnmatch reads it: `!` first negates, and a `]` first is a literal.
    /// Returns the set and the offset of its closing `]`.
    private static func parseSet(_ characters: [Character], at open: Int) throws(InventoryParseFailure) -> (
        Element, Int
    ) {
        var index = open + 1
        let negated = index < characters.count && characters[index] == "!"
        if negated { index += 1 }
        var ranges: [ClosedRange<Character>] = []
        var first = true
        while index < characters.count, characters[index] != "]" || first {
            first = false
            let low = characters[index]
            if index + 2 < characters.count, characters[index + 1] == "-", characters[index + 2] != "]" {
                let high = characters[index + 2]
                if low <= high { ranges.append(low...high) }
                index += 3
            } else {
                ranges.append(low...low)
                index += 1
            }
        }
        guard index < characters.count else { throw InventoryParseFailure(message: "unbalanced '['", offset: open) }
        return (.set(ranges, negated: negated), index)
    }

    func matches(_ name: String) -> Bool {
        let characters = Array(name)
        var element = 0
        var index = 0
        // Where the last `*` was, and how far into the name it currently reaches.
        var star: (element: Int, index: Int)?
        while index < characters.count {
            if element < elements.count, case .anyRun = elements[element] {
                star = (element, index)
                element += 1
            } else if element < elements.count, elements[element].matches(characters[index]) {
                element += 1
                index += 1
            } else if let last = star {
                star = (last.element, last.index + 1)
                element = last.element + 1
                index = last.index + 1
            } else {
                return false
            }
        }
        while element < elements.count, case .anyRun = elements[element] { element += 1 }
        return element == elements.count
    }
}
