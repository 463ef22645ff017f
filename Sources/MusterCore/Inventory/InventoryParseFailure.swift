/// A syntax problem found inside one piece of text (a host token, a line), located by a
/// character offset into that text; the caller turns it into an `InventoryError`.
struct InventoryParseFailure: Error {
    let message: String
    let offset: Int
}
