/// Compact host lists in ClusterShell's nodeset notation: `host[001-003,005],web1`.
public enum NodeSet {
    /// Folds names that differ in one run of digits into `prefix[ranges]suffix`, as `nodeset -f`
    /// does. Among names of the same shape, the run folded on is the one that leaves the fewest
    /// entries, the last on ties: `web01.dc1,web02.dc1,web03.dc2` gives `web[01-02].dc1,web03.dc2`.
    /// Numbers sort numerically, zero padding is kept (`[09-10]` only when both are written with
    /// two digits), duplicates are dropped, and names without digits stand alone. Entries are
    /// ordered by prefix, then suffix.
    public static func fold(_ names: [String]) -> String {
        var numbersByStem: [NameStem: Set<NumberText>] = [:]
        for (stem, number) in splitOnBestRun(names) {
            if let number {
                numbersByStem[stem, default: []].insert(number)  // in place: no copy per name
            } else {
                numbersByStem[stem] = []
            }
        }
        return numbersByStem.keys.sorted().map { stem in
            guard stem.hasNumber else { return stem.prefix }
            let numbers = numbersByStem[stem]!.sorted()
            guard numbers.count > 1 else { return stem.prefix + numbers[0].text + stem.suffix }
            return stem.prefix + "[" + ranges(of: numbers) + "]" + stem.suffix
        }.joined(separator: ",")
    }

    private static func splitOnBestRun(_ names: [String]) -> [(NameStem, NumberText?)] {
        let namesByShape = Dictionary(grouping: names.map(DigitRuns.init), by: \.texts)
        return namesByShape.values.flatMap { sameShape -> [(NameStem, NumberText?)] in
            let runCount = sameShape[0].numbers.count
            guard runCount > 0 else {
                return sameShape.map { (NameStem(prefix: $0.texts[0], suffix: "", hasNumber: false), nil) }
            }
            // Later runs first, so that `min` settles ties on the last run.
            let candidates = (0..<runCount).reversed().map { run in sameShape.map { $0.split(at: run) } }
            return candidates.min { Set($0.map(\.0)).count < Set($1.map(\.0)).count }!
        }
    }

    /// `001-003,005`: runs of consecutive numbers written with the same padding. A number may
    /// extend any open run, so `1,01,2` gives `1-2,01`, as ClusterShell prints it.
    private static func ranges(of numbers: [NumberText]) -> String {
        var runs: [(first: NumberText, last: NumberText)] = []
        for number in numbers {
            if let index = runs.lastIndex(where: { $0.last.isFollowed(by: number, paddedLike: $0.first) }) {
                runs[index].last = number
            } else {
                runs.append((number, number))
            }
        }
        return runs.map { $0.first == $0.last ? $0.first.text : $0.first.text + "-" + $0.last.text }
            .joined(separator: ",")
    }
}

/// A name cut into text and digit runs: `web01.dc1` is texts `web`, `.dc`, `` around numbers `01`, `1`.
private struct DigitRuns {
    /// One more than `numbers`; names of the same shape have equal texts.
    let texts: [String]
    let numbers: [String]

    init(_ name: String) {
        var texts = [""]
        var numbers: [String] = []
        var inNumber = false
        for character in name {
            let isDigit = character.isASCII && character.isNumber
            if isDigit && !inNumber { numbers.append("") }
            if !isDigit && inNumber { texts.append("") }
            inNumber = isDigit
            if isDigit {
                numbers[numbers.count - 1].append(character)
            } else {
                texts[texts.count - 1].append(character)
            }
        }
        if inNumber { texts.append("") }
        self.texts = texts
        self.numbers = numbers
    }

    /// The name around its digit run number `run`.
    func split(at run: Int) -> (NameStem, NumberText?) {
        func joined(_ runs: Range<Int>) -> String {
            runs.map { numbers[$0] + texts[$0 + 1] }.joined()
        }
        let prefix = texts[0] + joined(0..<run)
        let suffix = texts[run + 1] + joined((run + 1)..<numbers.count)
        return (NameStem(prefix: prefix, suffix: suffix, hasNumber: true), NumberText(numbers[run]))
    }
}

/// A name with the digit run being folded taken out.
private struct NameStem: Hashable, Comparable {
    let prefix: String
    let suffix: String
    /// Whether the name had digits; `web` and `web1` must not fold together.
    let hasNumber: Bool

    static func < (left: NameStem, right: NameStem) -> Bool {
        (left.prefix, left.suffix, left.hasNumber ? 1 : 0) < (right.prefix, right.suffix, right.hasNumber ? 1 : 0)
    }
}

/// A digit run as written, so `007` keeps its padding.
private struct NumberText: Hashable, Comparable {
    let text: String
    /// nil for digit runs too long for `Int`: they sort last and never join a range.
    let value: Int?

    init(_ text: String) {
        self.text = text
        value = Int(text)
    }

    /// Whether `next` is the next number, written with the padding of the range's first number
    /// (`099` pads `100` to itself; `9` and `10` need none).
    func isFollowed(by next: NumberText, paddedLike first: NumberText) -> Bool {
        guard let value, let nextValue = next.value, nextValue - 1 == value else { return false }
        let width = first.text.hasPrefix("0") && first.text.count > 1 ? first.text.count : 0
        let digits = String(nextValue)
        return next.text == String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static func < (left: NumberText, right: NumberText) -> Bool {
        (left.value ?? .max, left.text.count, left.text) < (right.value ?? .max, right.text.count, right.text)
    }
}
