import Foundation

/// Reads Ansible's INI inventory format line by line, as Ansible's `ini` plugin does:
/// hosts before any section are ungrouped; `[group]`, `[group:vars]` and `[group:children]`
/// sections; groups may be used in `:children` and `:vars` before their own section.
struct INIInventoryParser {
    private enum Section {
        case hosts(String)
        case vars(String)
        case children(String)
    }

    /// A group named on some line, checked once the whole file is read.
    private struct GroupMention {
        let group: String
        let line: Int
        let column: Int
    }

    private struct ChildLink {
        let parent: String
        let child: GroupMention
    }

    private let path: String
    private var builder = InventoryBuilder()
    private var section = Section.hosts(InventoryGroup.ungrouped)
    /// Groups with a `[name]` or `[name:children]` section; only these may be used elsewhere.
    private var definedGroups: Set<String> = [InventoryGroup.all, InventoryGroup.ungrouped]
    private var varsSections: [GroupMention] = []
    private var childLinks: [ChildLink] = []
    private var lineNumber = 0

    static func parse(_ text: String, path: String) throws -> Inventory {
        var parser = INIInventoryParser(path: path)
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            parser.lineNumber += 1
            try parser.parseLine(Array(line))
        }
        return try parser.finish()
    }

    private init(path: String) {
        self.path = path
    }

    private mutating func parseLine(_ line: [Character]) throws {
        guard let start = line.firstIndex(where: { !$0.isWhitespace }), !INISyntax.isCommentMarker(line[start]) else {
            return
        }
        if line[start] == "[", INISectionHeader.isHeader(line, from: start) {
            try enterSection(located { try INISectionHeader.parse(line, from: start) })
            return
        }
        switch section {
        case .hosts(let group): try parseHostLine(line, group: group)
        case .vars(let group): try parseVariableLine(line, from: start, group: group)
        case .children(let group): try parseChildLine(line, from: start, parent: group)
        }
    }

    private mutating func enterSection(_ header: INISectionHeader) {
        let group = header.group
        builder.addGroup(group)
        switch header.kind {
        case .hosts:
            definedGroups.insert(group)
            section = .hosts(group)
        case .children:
            definedGroups.insert(group)
            section = .children(group)
        case .vars:
            varsSections.append(GroupMention(group: group, line: lineNumber, column: header.groupOffset + 1))
            section = .vars(group)
        }
    }

    /// `name[:port] [key=value ...]`, where the name may hold ranges and values are typed.
    private mutating func parseHostLine(_ line: [Character], group: String) throws {
        let words = try located { try ShlexWords.split(line) }
        guard let hostWord = words.first else { return }
        let (names, port) = try located(offsetBy: hostWord.offset) {
            let address = try HostAndPort.parse(hostWord.text)
            guard !address.host.isEmpty else { throw InventoryParseFailure(message: "expected a host name", offset: 0) }
            return (try HostRange.expand(address.host), address.port)
        }
        var variables: [(key: String, value: InventoryValue)] = []
        for word in words.dropFirst() {
            guard let equals = word.text.firstIndex(of: "=") else {
                let hint = word.text.hasPrefix(";") ? " (after a host, only '#' starts a comment)" : ""
                throw error("expected key=value after the host, got '\(word.text)'" + hint, at: word.offset)
            }
            guard equals > word.text.startIndex else {
                throw error("expected a variable name before '='", at: word.offset)
            }
            let value = InventoryValue(iniValue: String(word.text[word.text.index(after: equals)...]))
            variables.append((String(word.text[..<equals]), value))
        }
        for name in names {
            builder.addHost(name, to: group)
            if let port { builder.setVariable("ansible_port", to: .int(port), forHost: name) }
            for (key, value) in variables { builder.setVariable(key, to: value, forHost: name) }
        }
    }

    /// `key=value` for the whole group. Unlike host lines, quotes stay part of the value until
    /// typing reads them as Python strings, and `#` does not start a comment (as in Ansible).
    private mutating func parseVariableLine(_ line: [Character], from start: Int, group: String) throws {
        guard let equals = line[start...].firstIndex(of: "=") else {
            throw error("expected key=value in [\(group):vars]", at: start)
        }
        let key = String(line[start..<equals]).trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { throw error("expected a variable name before '='", at: start) }
        let value = String(line[(equals + 1)...]).trimmingCharacters(in: .whitespaces)
        builder.setVariable(key, to: InventoryValue(iniValue: value), forGroup: group)
    }

    private mutating func parseChildLine(_ line: [Character], from start: Int, parent: String) throws {
        let end = line[start...].firstIndex(where: INISyntax.endsGroupName) ?? line.endIndex
        guard end > start else { throw error("expected a group name", at: start) }
        let rest = line[end...].firstIndex(where: { !$0.isWhitespace }) ?? line.endIndex
        guard rest == line.endIndex || INISyntax.isCommentMarker(line[rest]) else {
            throw error("expected one group name per line in [\(parent):children]", at: rest)
        }
        let child = GroupMention(group: String(line[start..<end]), line: lineNumber, column: start + 1)
        childLinks.append(ChildLink(parent: parent, child: child))
    }

    /// Checks what could only be checked at the end, as Ansible does, then links child groups.
    private mutating func finish() throws -> Inventory {
        if let undefined = firstUndefinedGroup() { throw undefined }
        for link in childLinks {
            do {
                try builder.addChild(link.child.group, to: link.parent)
            } catch {
                let cycle = error.path.joined(separator: " > ")
                throw InventoryError(
                    source: path, line: link.child.line, column: link.child.column,
                    message: "making '\(link.child.group)' a child of '\(link.parent)' creates a cycle: \(cycle)")
            }
        }
        return builder.build()
    }

    /// A group used in `[parent:children]` or given `[name:vars]` but never given its own section.
    private func firstUndefinedGroup() -> InventoryError? {
        let children = childLinks.filter { !definedGroups.contains($0.child.group) }.map { link in
            (link.child, "group '\(link.child.group)' in [\(link.parent):children] is not defined")
        }
        let varsGroups = varsSections.filter { !definedGroups.contains($0.group) }.map { mention in
            (mention, "[\(mention.group):vars] is for group '\(mention.group)', which is not defined")
        }
        return (children + varsGroups).min { $0.0.line < $1.0.line }.map { mention, problem in
            InventoryError(
                source: path, line: mention.line, column: mention.column,
                message: problem + "; add a [\(mention.group)] section")
        }
    }

    private func error(_ message: String, at offset: Int) -> InventoryError {
        InventoryError(source: path, line: lineNumber, column: offset + 1, message: message)
    }

    /// Runs a scanner over part of the current line, placing its failure on the line.
    private func located<Result>(offsetBy base: Int = 0, _ scan: () throws -> Result) throws -> Result {
        do {
            return try scan()
        } catch let failure as InventoryParseFailure {
            throw error(failure.message, at: base + failure.offset)
        }
    }
}
