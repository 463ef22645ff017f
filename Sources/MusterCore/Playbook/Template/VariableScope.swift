/// The variables an expression can see, as layers of dictionaries: a later layer overrides an
/// earlier one (inventory vars, then play vars, then registered results, then `-e`), so callers
/// add a layer instead of merging and copying dictionaries.
public struct VariableScope: Sendable {
    public private(set) var layers: [[String: InventoryValue]]

    public init(layers: [[String: InventoryValue]] = []) {
        self.layers = layers
    }

    public init(_ variables: [String: InventoryValue]) {
        self.layers = [variables]
    }

    /// The value of root variable `name` in the last layer that sets it.
    public func lookup(_ name: String) -> InventoryValue? {
        for layer in layers.reversed() {
            if let value = layer[name] { return value }
        }
        return nil
    }

    /// This scope with `layer` on top.
    public func adding(_ layer: [String: InventoryValue]) -> VariableScope {
        var scope = self
        scope.layers.append(layer)
        return scope
    }
}
