import Foundation

/// Reads Ansible's INI inventory format line by line, as Ansible's `ini` plugin does:
/// hosts before any section are ungrouped; `[group]`, `[group:vars]` and `[group:children]`
/// sections; a group may be named in `:children` before its own section, and is linked to its
/// parents when that section appears.
struct INIInventoryParser {
    private enum Section {
        case hosts(String)
        case vars(String)
        case children(String)
    }

    /// Where a group was named, to report it if it is never defined.
    private struct GroupMention {
        let line: Int
        let column: Int
    }

    /// A group named before it was defined: in `[parent:children]` lines, or by a `[name:vars]`
    /// section. Ansible requires a `[name]` or `[name:children]` section by the end of the file.
    private struct PendingGroup {
        let firstMention: GroupMention
        let isVarsSection: Bool
        var parents: [(parent: String, mention: GroupMention)] = []
    }

    private let path: String
    private var builder: InventoryBuilder
    private var section = Section.hosts(InventoryGroup.ungrouped)
    private var pending: [String: PendingGroup] = [:]
    private var pendingOrder: [String] = []
    private var lineNumber = 0
    private var rangeBudget = HostRange.Budget()

    /// Adds the file's hosts and groups to `builder`, which may hold earlier sources' groups.
    static func parse(_ text: String, path: String, into builder: inout InventoryBuilder) throws {
        var parser = INIInventoryParser(path: path, builder: builder)
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            parser.lineNumber += 1
            try parser.parseLine(Array(line))
        }
        try parser.checkPendingGroups()
        builder = parser.builder
    }

    private init(path: String, builder: InventoryBuilder) {
        self.path = path
        self.builder = builder
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

    private mutating func enterSection(_ header: INISectionHeader) throws {
        let group = header.group
        if !builder.hasGroup(group) {
            if header.kind == .vars, pending[group] == nil {
                let mention = GroupMention(line: lineNumber, column: header.groupOffset + 1)
                addPending(group, PendingGroup(firstMention: mention, isVarsSection: true))
            }
            builder.addGroup(group)
        }
        if header.kind != .vars, let waiting = pending.removeValue(forKey: group) {
            pendingOrder.removeAll { $0 == group }
            for (parent, mention) in waiting.parents { try link(group, to: parent, at: mention) }
        }
        switch header.kind {
        case .hosts: section = .hosts(group)
        case .children: section = .children(group)
        case .vars: section = .vars(group)
        }
    }

    /// `name[:port] [key=value ...]`, where the name may hold ranges and values are typed.
    private mutating func parseHostLine(_ line: [Character], group: String) throws {
        let words = try located { try ShlexWords.split(line) }
        guard let hostWord = words.first else { return }
        var budget = rangeBudget
        let (names, port) = try located(offsetBy: hostWord.offset) {
            let address = try HostAndPort.parse(hostWord.text)
            guard !address.host.isEmpty else { throw InventoryParseFailure(message: "expected a host name", offset: 0) }
            return (try HostRange.expand(address.host, budget: &budget), address.port)
        }
        rangeBudget = budget
        var variables: [(key: String, value: SourcedValue)] = []
        for word in words.dropFirst() {
            guard let equals = word.text.firstIndex(of: "=") else {
                let hint = word.text.hasPrefix(";") ? " (after a host, only '#' starts a comment)" : ""
                throw error("expected key=value after the host, got '\(word.text)'" + hint, at: word.offset)
            }
            guard equals > word.text.startIndex else {
                throw error("expected a variable name before '='", at: word.offset)
            }
            let value = InventoryValue(iniValue: String(word.text[word.text.index(after: equals)...]))
            variables.append((String(word.text[..<equals]), SourcedValue(value: value, origin: origin(at: word.offset))))
        }
        for name in names {
            builder.addHost(name, port: port, origin: origin(at: hostWord.offset), to: group)
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
        let text = String(line[(equals + 1)...]).trimmingCharacters(in: .whitespaces)
        let value = SourcedValue(value: InventoryValue(iniValue: text), origin: origin(at: start, group: group))
        do {
            try builder.setVariable(key, to: value, forGroup: group)
        } catch {
            throw self.error(error.message, at: equals + 1)
        }
    }

    private mutating func parseChildLine(_ line: [Character], from start: Int, parent: String) throws {
        let end = line[start...].firstIndex(where: INISyntax.endsGroupName) ?? line.endIndex
        guard end > start else { throw error("expected a group name", at: start) }
        let rest = line[end...].firstIndex(where: { !$0.isWhitespace }) ?? line.endIndex
        guard rest == line.endIndex || INISyntax.isCommentMarker(line[rest]) else {
            throw error("expected one group name per line in [\(parent):children]", at: rest)
        }
        let child = String(line[start..<end])
        let mention = GroupMention(line: lineNumber, column: start + 1)
        if builder.hasGroup(child) {
            try link(child, to: parent, at: mention)
        } else {
            if pending[child] == nil { addPending(child, PendingGroup(firstMention: mention, isVarsSection: false)) }
            pending[child]!.parents.append((parent, mention))
        }
    }

    private mutating func addPending(_ group: String, _ declaration: PendingGroup) {
        pending[group] = declaration
        pendingOrder.append(group)
    }

    private mutating func link(_ child: String, to parent: String, at mention: GroupMention) throws {
        do {
            try builder.addChild(child, to: parent)
        } catch {
            throw InventoryError(source: path, line: mention.line, column: mention.column, message: error.message)
        }
    }

    /// Groups still undefined at the end of the file are errors in Ansible; the first named is reported.
    private func checkPendingGroups() throws {
        guard let group = pendingOrder.first, let declaration = pending[group] else { return }
        let problem =
            declaration.isVarsSection
            ? "[\(group):vars] is for group '\(group)', which is not defined"
            : "group '\(group)' in [\(declaration.parents[0].parent):children] is not defined"
        throw InventoryError(
            source: path, line: declaration.firstMention.line, column: declaration.firstMention.column,
            message: problem + "; add a [\(group)] section")
    }

    private func origin(at offset: Int, group: String? = nil) -> VariableOrigin {
        VariableOrigin(source: path, line: lineNumber, column: offset + 1, group: group)
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
