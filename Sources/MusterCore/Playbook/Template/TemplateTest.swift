/// The tests after `is` / `is not`.
public enum TemplateTest: String, Sendable, Hashable, CaseIterable {
    case defined, undefined
    /// `is none`; named apart from `Optional.none`.
    case null = "none"

    /// Tests that look at whether a value exists rather than at the value.
    var isDefinedTest: Bool { self == .defined || self == .undefined }

    static func named(_ name: String) -> TemplateTest? {
        name == "None" ? .null : TemplateTest(rawValue: name)
    }
}
