/// Which root variables an expression reads, so a playbook can be checked against each
/// host's variables before any host is contacted.
extension TemplateExpression {
    /// Every root variable name the expression mentions.
    public var variables: Set<String> {
        var (all, guarded) = (Set<String>(), Set<String>())
        collect(all: &all, guarded: &guarded, underGuard: false)
        return all
    }

    /// Root variables that must be defined for evaluation to succeed. Names under
    /// `| default(...)` or `is (not) defined` are left out everywhere in this expression, so
    /// `x is defined and x > 1` does not require `x`; a default's fallback argument is required.
    public var requiredVariables: Set<String> {
        var (all, guarded) = (Set<String>(), Set<String>())
        collect(all: &all, guarded: &guarded, underGuard: false)
        return all.subtracting(guarded)
    }

    private func collect(all: inout Set<String>, guarded: inout Set<String>, underGuard: Bool) {
        switch node {
        case .variable(let name):
            all.insert(name)
            if underGuard { guarded.insert(name) }
        case .test(let subject, let test, _) where test.isDefinedTest:
            subject.collect(all: &all, guarded: &guarded, underGuard: true)
        case .filter(let subject, .defaultValue, let arguments):
            subject.collect(all: &all, guarded: &guarded, underGuard: true)
            for argument in arguments { argument.collect(all: &all, guarded: &guarded, underGuard: underGuard) }
        default:
            for child in node.children { child.collect(all: &all, guarded: &guarded, underGuard: underGuard) }
        }
    }
}
