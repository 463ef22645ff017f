/// Cuts a stage's hosts into batches as Ansible's `serial` does: each entry of the list
/// sizes one batch, the last one repeating, percentages taken of all the stage's hosts.
public enum BatchPlan {
    public static func batches(_ hosts: [String], serial: [BatchSize]) -> [[String]] {
        guard !hosts.isEmpty else { return [] }
        let sizes = serial.isEmpty ? [BatchSize.percent(100)] : serial
        var batches: [[String]] = []
        var start = 0
        while start < hosts.count {
            let size = sizes[min(batches.count, sizes.count - 1)].hosts(of: hosts.count)
            let end = min(hosts.count, start + size)
            batches.append(Array(hosts[start..<end]))
            start = end
        }
        return batches
    }

    /// The stage's hosts in the order it asks for. `value` gives a host's variable for `group_by`.
    public static func ordered(
        _ hosts: [String], by order: HostOrder, value: (String, String) -> String?,
        shuffle: ([String]) -> [String] = { $0.shuffled() }
    ) -> [String] {
        switch order {
        case .inventory: return hosts
        case .reverseInventory: return hosts.reversed()
        case .sorted: return hosts.sorted()
        case .reverseSorted: return hosts.sorted().reversed()
        case .shuffled: return shuffle(hosts)
        case .grouped(let variable):
            var groups: [String: [String]] = [:]
            var keys: [String] = []
            for host in hosts {
                let key = value(host, variable) ?? ""
                if groups[key] == nil { keys.append(key) }
                groups[key, default: []].append(host)
            }
            return keys.flatMap { groups[$0]! }
        }
    }

    /// Why the failures of a batch end the rollout, or nil to go on. As in Ansible, a batch
    /// in which every host failed stops the rollout, unless the stage says
    /// `on_batch_failure: continue`; and more than `max_fail_percentage` failed hosts (when
    /// set) stop it either way. Without a threshold the failed hosts just drop out.
    public static func stopReason(failed: Int, of total: Int, maxFailPercentage: Double?, onBatchFailure: BatchFailurePolicy) -> String? {
        guard failed > 0, total > 0 else { return nil }
        let percent = Double(failed) * 100 / Double(total)
        if let limit = maxFailPercentage, percent > limit {
            return String(format: "%d of %d hosts failed (%.0f%%, more than max_fail_percentage %g%%)", failed, total, percent, limit)
        }
        if failed == total, onBatchFailure == .stop { return "every host of the batch failed (\(failed) of \(total))" }
        return nil
    }
}
