import Foundation

/// Reads an inline host list such as `web1,web2:2222,[::1]:22,` into the `ungrouped` group,
/// as Ansible's `host_list` plugin does, but refusing items it would take as odd host names.
enum HostListParser {
    static let source = "host list"

    /// As in Ansible, a repeated host keeps its first port.
    static func parse(_ list: String, into builder: inout InventoryBuilder) throws {
        let origin = VariableOrigin(source: source)
        for item in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let address = try parseItem(item)
            builder.addHost(address.host, port: address.port, origin: origin, to: InventoryGroup.ungrouped)
        }
    }

    private static func parseItem(_ item: String) throws -> HostAndPort {
        func failure(_ message: String) -> InventoryError {
            InventoryError(source: source, message: "'\(item)': \(message)")
        }
        let address: HostAndPort
        do {
            address = try HostAndPort.parse(item)
        } catch {
            throw failure(error.message)
        }
        if address.host.contains(where: \.isWhitespace) {
            throw failure("a host name cannot contain spaces")
        }
        if address.host.contains("[") || address.host.contains("]") {
            throw failure("host ranges such as web[1:3] work only in inventory files")
        }
        return address
    }
}
