extension ResolvedConnection {
    /// The `muster inventory --resolve` report: one line per setting with its source.
    /// A password is shown only as set or not set, with where it comes from.
    public var report: String {
        var rows: [(String, String, String)] = [
            ("address", address.value, address.source),
            ("port", String(port.value), port.source),
            ("user", user.value, user.source),
        ]
        if identityFiles.isEmpty {
            let defaults = TargetBuilder.defaultKeyFiles()
            rows.append(("key files", defaults.isEmpty ? "none" : defaults.joined(separator: ", "), "OpenSSH defaults (~/.ssh/id_*)"))
        }
        for file in identityFiles { rows.append(("key file", file.value, file.source)) }
        rows.append(("ssh-agent", useAgent.value ? "used" : "not used", useAgent.source))
        rows.append(("jump hosts", jumpHosts.map { $0.value.map(\.description).joined(separator: ",") } ?? "none", jumpHosts?.source ?? ""))
        rows.append(("known_hosts", knownHostsFiles.value.joined(separator: ", "), knownHostsFiles.source))
        rows.append(("host key policy", hostKeyPolicy.value.rawValue, hostKeyPolicy.source))
        rows.append(("connect timeout", "\(connectTimeout.value.components.seconds) s", connectTimeout.source))
        rows.append(("keepalive", "every \(keepaliveInterval.value.components.seconds) s", keepaliveInterval.source))
        rows.append(("password", password == nil ? "not set" : "set (never shown)", password?.source ?? ""))
        let labelWidth = rows.map(\.0.count).max() ?? 0
        let valueWidth = min(40, rows.map(\.1.count).max() ?? 0)
        var text = name + "\n"
        for (label, value, source) in rows {
            let line =
                "  " + label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  "
                + value.padding(toLength: max(valueWidth, value.count), withPad: " ", startingAt: 0)
            text += (source.isEmpty ? line : line + "  " + source).trimmingTrailingSpaces() + "\n"
        }
        if !ignored.isEmpty { text += "  ignored ssh options: \(ignored.joined(separator: ", "))\n" }
        return text
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
