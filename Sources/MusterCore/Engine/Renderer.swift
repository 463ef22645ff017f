/// Renders a playbook's templates for one host, turning template errors into
/// `PlaybookError`s that point at the place in the playbook.
struct Renderer {
    let scope: HostScope

    private var variables: VariableScope { scope.variableScope }

    func text(_ template: TemplateText) throws(PlaybookError) -> String {
        try Self.wrap(template) { () throws(TemplateError) in try Template(parsing: template.text).render(in: variables) }
    }

    /// For commands: every substituted value is shell-quoted unless the task says raw.
    func shell(_ template: TemplateText, raw: Bool) throws(PlaybookError) -> String {
        try Self.wrap(template) { () throws(TemplateError) in
            try Template(parsing: template.text).render(in: variables, quoting: raw ? .none : .shell)
        }
    }

    func condition(_ template: TemplateText) throws(PlaybookError) -> Bool {
        try Self.wrap(template) { () throws(TemplateError) in try TemplateExpression(parsing: template.text).isTrue(in: variables) }
    }

    func value(_ template: TemplateText) throws(PlaybookError) -> InventoryValue {
        try Self.wrap(template) { () throws(TemplateError) in try Template(parsing: template.text).value(in: variables) }
    }

    /// Renders every string inside a value (check parameters written with templates).
    func render(_ value: InventoryValue, at position: SourcePosition) throws(PlaybookError) -> InventoryValue {
        switch value {
        case .string(let text) where text.contains("{{"):
            return try self.value(TemplateText(text, at: position))
        case .list(let items):
            var rendered: [InventoryValue] = []
            for item in items { rendered.append(try render(item, at: position)) }
            return .list(rendered)
        case .dict(let dictionary):
            var rendered = InventoryDictionary()
            for (key, item) in dictionary { rendered[key] = try render(item, at: position) }
            return .dict(rendered)
        default:
            return value
        }
    }

    static func wrap<T>(_ template: TemplateText, _ body: () throws(TemplateError) -> T) throws(PlaybookError) -> T {
        do { return try body() } catch { throw position(of: error, in: template).error(error.message) }
    }

    /// Where in the playbook a template error is: on the template's first line the column
    /// is exact; further lines of a block scalar get the line only.
    static func position(of error: TemplateError, in template: TemplateText) -> SourcePosition {
        let (line, column) = error.position(in: template.text)
        var position = template.position
        if line == 1 {
            position.column = position.column.map { $0 + column - 1 }
        } else {
            position.line = position.line.map { $0 + line - 1 }
            position.column = nil
        }
        return position
    }
}

extension HostScope {
    var variableScope: VariableScope { VariableScope(layers: [inventory, play, runtime, extra]) }

    /// Renders variables whose values are templates (`bundle: "/srv/setup_{{ version }}.bin"`),
    /// as Ansible does when they are used: a variable's own references are rendered first,
    /// and a variable that refers back to itself is an error.
    mutating func resolveTemplates(positions: [String: SourcePosition], source: String) throws(PlaybookError) {
        var done: Set<String> = []
        for name in names.sorted() {
            var path: [String] = []
            try resolve(name, done: &done, path: &path, positions: positions, source: source)
        }
    }

    private mutating func resolve(
        _ name: String, done: inout Set<String>, path: inout [String], positions: [String: SourcePosition], source: String
    ) throws(PlaybookError) {
        guard !done.contains(name), let value = lookup(name), value.containsTemplate else { return }
        let position = positions[name] ?? SourcePosition(source: source)
        guard !path.contains(name) else {
            throw position.error("variable '\(name)' refers to itself: \((path + [name]).joined(separator: " -> "))")
        }
        path.append(name)
        for text in value.templateStrings {
            let referenced: Set<String>
            do { referenced = try Template(parsing: text).variables } catch {
                var textPosition = position
                if case .string = value {} else { textPosition.column = nil }
                throw Renderer.position(of: error, in: TemplateText(text, at: textPosition)).error(error.message)
            }
            for other in referenced.sorted() { try resolve(other, done: &done, path: &path, positions: positions, source: source) }
        }
        path.removeLast()
        // Columns are only known for a text value; inside a list or mapping the line must do.
        var templatePosition = position
        if case .string = value {} else { templatePosition.column = nil }
        let rendered: InventoryValue
        do { rendered = try Renderer(scope: self).render(value, at: templatePosition) } catch {
            throw PlaybookError(
                source: error.source, line: error.line, column: error.column,
                message: "\(error.message) (in variable '\(name)' for host \(host))")
        }
        for layer in [\HostScope.extra, \.runtime, \.play, \.inventory] where self[keyPath: layer][name] != nil {
            self[keyPath: layer][name] = rendered
            break
        }
        done.insert(name)
    }
}

extension InventoryValue {
    /// Every string inside the value that holds a template.
    var templateStrings: [String] {
        switch self {
        case .string(let text): text.contains("{{") ? [text] : []
        case .list(let items): items.flatMap(\.templateStrings)
        case .dict(let dictionary): dictionary.flatMap { $0.value.templateStrings }
        default: []
        }
    }

    var containsTemplate: Bool {
        switch self {
        case .string(let text): text.contains("{{")
        case .list(let items): items.contains { $0.containsTemplate }
        case .dict(let dictionary): dictionary.contains { $0.value.containsTemplate }
        default: false
        }
    }
}
