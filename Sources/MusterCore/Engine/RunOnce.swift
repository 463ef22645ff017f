/// `run_once` tasks: the first host that reaches one runs it, once for the whole run
/// (not once per batch, which is what Ansible users trip over); every later host gets
/// the same result.
actor RunOnce {
    private var results: [String: Task<(TaskResult, InventoryValue?), Never>] = [:]

    func result(for key: String, run: @escaping @Sendable () async -> (TaskResult, InventoryValue?)) async -> (TaskResult, InventoryValue?) {
        let task: Task<(TaskResult, InventoryValue?), Never>
        if let existing = results[key] {
            task = existing
        } else {
            task = Task { await run() }
            results[key] = task
        }
        // The second Ctrl-C cancels the waiting host; pass it on to the task itself.
        return await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
    }
}
