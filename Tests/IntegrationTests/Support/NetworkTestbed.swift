import Foundation

/// The testbed's network mode (`scripts/testbed up-network`): datacenters of network
/// namespaces behind WAN links with delay and a rate limit, some reachable only
/// through their bastion host.
extension Testbed {
    /// Brings up a network testbed of a test suite's own unless it is up already;
    /// scripts/test stops it at exit.
    static func bringUpNetwork(directory: String, spec: String, rtt: String, rate: String, net: Int) -> Testbed {
        let script = packageRoot.path + "/scripts/testbed"
        let conf = (try? String(contentsOfFile: "\(directory)/testbed.conf", encoding: .utf8)) ?? ""
        if !(shell(script, ["status", "--dir", directory]).status == 0 && conf.contains("spec=\(spec)\n")) {
            _ = shell(script, ["down", "--dir", directory])
            let result = shell(script, ["up-network", spec, "--rtt", rtt, "--rate", rate, "--dir", directory, "--net", String(net)])
            precondition(result.status == 0, "scripts/testbed up-network failed:\n\(result.output)\(result.stderr)")
        }
        return Testbed(directory: directory, net: net)
    }

    /// Bytes that crossed a datacenter's WAN link so far, each way.
    func wanBytes(_ datacenter: String) async throws -> (toDatacenter: Int, fromDatacenter: Int) {
        let result = await Self.run(Self.packageRoot.path + "/scripts/testbed", ["wan-bytes", datacenter, "--dir", directory])
        var fields: [String: Int] = [:]
        for pair in result.output.split(whereSeparator: \.isWhitespace) {
            let parts = pair.split(separator: "=")
            if parts.count == 2 { fields[String(parts[0])] = Int(parts[1]) }
        }
        guard let to = fields["to_dc_bytes"], let from = fields["from_dc_bytes"] else {
            throw Failure(description: "testbed wan-bytes \(datacenter): \(result.output)\(result.stderr)")
        }
        return (to, from)
    }

    /// The controller's end of a datacenter's WAN link (what hosts there reach the controller by).
    func controllerAddress(_ datacenter: String) async -> String? {
        let status = await Self.run(Self.packageRoot.path + "/scripts/testbed", ["status", "--dir", directory])
        let line = status.output.split(separator: "\n").first { $0.hasPrefix("# \(datacenter): ") }
        guard let line, let open = line.range(of: "("), let arrow = line.range(of: " -> ") else { return nil }
        return String(line[open.upperBound..<arrow.lowerBound])
    }
}
