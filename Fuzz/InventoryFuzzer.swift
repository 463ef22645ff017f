// libFuzzer entry point for the inventory parsers; built and run by scripts/fuzz-inventory.
//
// The first byte of each input picks the target (its value modulo 4) and the rest is the text:
//   0 INI inventory   1 YAML inventory   2 host list (`h1,h2:22,`)   3 host pattern, selected
//   against a small fixed inventory.
// A parsed inventory is then rendered by all three views. Thrown errors are expected; a crash,
// trap, sanitizer report or hang (libFuzzer's -timeout) is a finding. FUZZ_TARGET=ini|yaml|
// hosts|pattern sends every input, whole, to one target instead.
import Foundation
import MusterCore

private let targets = ["ini", "yaml", "hosts", "pattern"]
private let onlyTarget = ProcessInfo.processInfo.environment["FUZZ_TARGET"].flatMap { targets.firstIndex(of: $0) }
nonisolated(unsafe) private var counts = [Int](repeating: 0, count: targets.count)

private let fixed = try! InventorySource.parseINI(
    """
    web[1:3].example.com ansible_port=2222
    [db]
    db-[a:b] role=primary
    [prod:children]
    db
    ungrouped
    """,
    path: "fixed.ini"
)

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutableRawPointer, _ argv: UnsafeMutableRawPointer) -> Int32 {
    // libFuzzer leaves through exit(); report how many inputs each target got.
    atexit {
        let summary = zip(targets, counts).map { "\($0)=\($1)" }.joined(separator: " ")
        fputs("inputs per target: \(summary)\n", stderr)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var bytes = UnsafeBufferPointer(start: data, count: size)[...]
    guard let target = onlyTarget ?? bytes.popFirst().map({ Int($0) % targets.count }) else { return 0 }
    counts[target] += 1
    let text = String(decoding: bytes, as: UTF8.self)
    switch target {
    case 0: render(try? InventorySource.parseINI(text, path: "fuzz.ini"))
    case 1: render(try? InventorySource.parseYAML(text, path: "fuzz.yml"))
    case 2: render(try? InventorySource.parseHostList(text))
    default:
        // `@name` reads patterns from the file `name`: keep the fuzzer off the file system.
        let pattern = text.replacingOccurrences(of: "@", with: "_")
        _ = try? HostPattern(pattern).select(from: fixed)
        _ = try? InventoryViews.host(fixed, name: pattern)
    }
    return 0
}

/// The views, for inventories small enough to leave the fuzzer its speed: host ranges can make
/// up to 100,000 hosts, and the views' code paths are all there in small inventories.
private func render(_ inventory: Inventory?) {
    guard let inventory, inventory.hosts.count <= 1000 else { return }
    let masked: Set<String> = ["ansible_password"]
    _ = InventoryViews.list(inventory, maskedKeys: masked)
    if graphLines(inventory) <= 100_000 {
        _ = try? InventoryViews.graph(inventory, showVars: true, maskedKeys: masked)
    }
    // `--host` takes a pattern; names with pattern syntax in them are left out, since matching
    // a glob against every host costs hosts × name × pattern length (and `@` reads a file).
    for host in inventory.hosts.prefix(8) where !host.name.contains(where: "*?[~,:&!@".contains) {
        _ = try? InventoryViews.host(inventory, name: host.name, maskedKeys: masked)
    }
}

/// How many group and host lines `--graph` draws. It draws a group under each of its parents,
/// as Ansible does, so a lattice of groups (a1 and b1 both parents of a2 and b2, and so on)
/// draws exponentially many: a known cost of the view, kept out of the fuzzer's way.
private func graphLines(_ inventory: Inventory) -> Int {
    var memo: [String: Int] = [:]
    func lines(_ name: String) -> Int {
        if let known = memo[name] { return known }
        let group = inventory.groups[name]!
        let total = group.children.reduce(1 + group.hosts.count) { min($0 + lines($1), 1 << 40) }
        memo[name] = total
        return total
    }
    return lines(InventoryGroup.all)
}
