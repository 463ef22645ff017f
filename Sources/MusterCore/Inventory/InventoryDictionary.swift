/// A dict value that remembers the order its keys were written in, as Python's dicts do:
/// `ansible-inventory --graph --vars` prints nested dicts in that order. Equality ignores
/// the order, as Python's does.
public struct InventoryDictionary: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: InventoryValue)

    /// Keys in insertion order; a key set again keeps its first place.
    public private(set) var keys: [String] = []
    private var storage: [String: InventoryValue] = [:]

    public init() {}

    /// Keys sorted by their Unicode code points, as there is no written order to keep.
    public init(_ dictionary: [String: InventoryValue]) {
        keys = dictionary.keys.sorted(by: PythonOrder.precedes)
        storage = dictionary
    }

    /// Later duplicates replace earlier values in place.
    public init(_ pairs: some Sequence<(String, InventoryValue)>) {
        for (key, value) in pairs { self[key] = value }
    }

    public init(dictionaryLiteral elements: (String, InventoryValue)...) {
        self.init(elements)
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }
    /// The entries as a plain dictionary, for callers that do not care about order.
    public var dictionary: [String: InventoryValue] { storage }

    public subscript(key: String) -> InventoryValue? {
        get { storage[key] }
        set {
            guard let newValue else {
                if storage.removeValue(forKey: key) != nil { keys.removeAll { $0 == key } }
                return
            }
            if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
        }
    }

    public func makeIterator() -> some IteratorProtocol<Element> {
        keys.lazy.map { (key: $0, value: storage[$0]!) }.makeIterator()
    }

    public static func == (lhs: InventoryDictionary, rhs: InventoryDictionary) -> Bool {
        lhs.storage == rhs.storage
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage)
    }
}
