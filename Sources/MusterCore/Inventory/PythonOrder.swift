/// Python sorts strings by code point, and so does Ansible (directory listings, group names,
/// JSON keys); Swift's `<` compares normalized text, which can differ for non-ASCII names.
/// UTF-8 bytes sort in code point order, and compare faster than scalars.
enum PythonOrder {
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
