import MusterCore

/// Parses and evaluates a bare expression against `variables`.
func evaluateExpression(_ text: String, _ variables: [String: InventoryValue] = [:]) throws -> InventoryValue {
    try TemplateExpression(parsing: text).evaluate(in: VariableScope(variables))
}

/// The error parsing or evaluating `text` throws, or nil when it succeeds.
func expressionError(_ text: String, _ variables: [String: InventoryValue] = [:]) -> TemplateError? {
    do {
        _ = try evaluateExpression(text, variables)
        return nil
    } catch let error as TemplateError {
        return error
    } catch {
        return nil
    }
}

/// Renders a template against `variables`.
func renderTemplate(
    _ text: String, _ variables: [String: InventoryValue] = [:], quoting: Template.Quoting = .none
) throws -> String {
    try Template(parsing: text).render(in: VariableScope(variables), quoting: quoting)
}

/// The error parsing or rendering the template throws, or nil when it succeeds.
func templateError(_ text: String, _ variables: [String: InventoryValue] = [:]) -> TemplateError? {
    do {
        _ = try renderTemplate(text, variables)
        return nil
    } catch let error as TemplateError {
        return error
    } catch {
        return nil
    }
}
