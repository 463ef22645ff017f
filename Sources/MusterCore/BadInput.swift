/// Errors in what the operator gave us (inventory, pattern, options, files): the
/// command line reports them on one line and exits with status 2 before any host
/// is contacted.
public protocol BadInput: Error, CustomStringConvertible {}

extension UsageError: BadInput {}
extension InventoryError: BadInput {}
extension HostPatternError: BadInput {}
