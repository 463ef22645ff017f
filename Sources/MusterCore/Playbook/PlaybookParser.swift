import Foundation
import Yams

/// Reads a playbook file into a `Playbook`, refusing anything it does not understand
/// (unknown keys, wrong types, unknown checks) with file:line:column.
public enum PlaybookParser {
    public static func load(path: String) throws(PlaybookError) -> Playbook {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw PlaybookError(source: path, message: "cannot read the playbook: \(error.localizedDescription)")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws(PlaybookError) -> Playbook {
        let root: Node?
        do { root = try YAMLDocument.compose(text, path: path) } catch let error as InventoryError {
            throw PlaybookError(source: path, line: error.line, column: error.column, message: error.message)
        } catch { throw PlaybookError(source: path, message: "\(error)") }
        guard let root else { throw PlaybookError(source: path, message: "the playbook is empty") }
        let reader = YAMLReader(source: path)
        if case .sequence = root {
            throw reader.error("a Muster playbook is one play: a mapping with hosts, preflight and stages, not a list of plays", at: root)
        }
        let play = try reader.fields(
            root, of: "the playbook", allowed: ["name", "hosts", "reference_hosts", "vars", "preflight", "stages"])
        var vars: [String: InventoryValue] = [:]
        var varPositions: [String: SourcePosition] = [:]
        if let node = play["vars"] {
            guard case .mapping(let mapping) = node else { throw reader.error("vars must be a mapping", at: node) }
            let entries: [YAMLValue.Entry]
            do { entries = try YAMLValue.entries(of: mapping) } catch { throw reader.position(mapping.mark).error(error.message) }
            for entry in entries {
                guard case .string(let name) = entry.key, VariableName.isValid(name) else {
                    throw reader.position(entry.keyMark).error(
                        "'\(entry.name)' is not a valid variable name (letters, digits and _, not starting with a digit)")
                }
                vars[name] = try reader.value(entry.value)
                // Where a template in the value starts, so errors in it point into it; the key
                // for lists and mappings, whose strings' own columns are not kept.
                if case .scalar = entry.value {
                    varPositions[name] = try reader.template(entry.value, name).position
                } else {
                    varPositions[name] = reader.position(entry.keyMark)
                }
            }
        }
        let stages = try reader.sequence(try play.require("stages"), "stages").map { node throws(PlaybookError) in
            try StageParser(reader: reader).stage(node)
        }
        if stages.isEmpty { throw play.keyPosition("stages").error("a playbook needs at least one stage") }
        return Playbook(
            path: path,
            name: try play["name"].map { node throws(PlaybookError) in try reader.string(node, "name") } ?? URL(fileURLWithPath: path).lastPathComponent,
            hosts: try reader.template(try play.require("hosts"), "hosts"),
            referenceHosts: try play["reference_hosts"].map { node throws(PlaybookError) in try reader.template(node, "reference_hosts") },
            vars: vars, varPositions: varPositions,
            preflight: try play["preflight"].map { node throws(PlaybookError) in try preflight(node, reader) }
                ?? Preflight(policy: .allOrNothing, checks: []),
            stages: stages)
    }

    private static func preflight(_ node: Node, _ reader: YAMLReader) throws(PlaybookError) -> Preflight {
        let fields = try reader.fields(node, of: "preflight", allowed: ["policy", "checks"])
        var policy = PreflightPolicy.allOrNothing
        if let node = fields["policy"] {
            let text = try reader.string(node, "policy")
            guard let parsed = PreflightPolicy(rawValue: text) else {
                throw reader.error("unknown preflight policy '\(text)' (expected all-or-nothing or per-host)", at: node)
            }
            policy = parsed
        }
        var names: Set<String> = []
        var checks: [CheckDeclaration] = []
        for node in try fields["checks"].map({ node throws(PlaybookError) in try reader.sequence(node, "checks") }) ?? [] {
            let check = try self.check(node, reader)
            guard names.insert(check.name).inserted else {
                throw check.position.error("two checks are named '\(check.name)'; give one of them another 'name'")
            }
            checks.append(check)
        }
        return Preflight(policy: policy, checks: checks)
    }

    /// `- check: KIND` with optional `name` and `severity`; every other key is a parameter of the check.
    private static func check(_ node: Node, _ reader: YAMLReader) throws(PlaybookError) -> CheckDeclaration {
        guard case .mapping(let mapping) = node else { throw reader.error("a check must be a mapping with 'check: NAME'", at: node) }
        var kind: CheckKind?
        var name: String?
        var severity = CheckSeverity.error
        var parameters: [String: InventoryValue] = [:]
        var parameterNodes: [String: Node] = [:]
        for (keyNode, valueNode) in mapping {
            let key = try reader.string(keyNode, "a check's key")
            switch key {
            case "check":
                let text = try reader.string(valueNode, "check")
                guard let parsed = CheckKind(rawValue: text) else {
                    throw reader.error(
                        "unknown check '\(text)' (known: \(CheckKind.allCases.map(\.rawValue).joined(separator: ", ")))", at: valueNode)
                }
                kind = parsed
            case "name": name = try reader.string(valueNode, "name")
            case "severity":
                let text = try reader.string(valueNode, "severity")
                guard let parsed = CheckSeverity(rawValue: text) else {
                    throw reader.error("severity must be error or warning, not '\(text)'", at: valueNode)
                }
                severity = parsed
            default:
                parameters[key] = try reader.value(valueNode)
                parameterNodes[key] = keyNode
            }
        }
        guard let kind else { throw reader.error("a check needs 'check: NAME'", at: node) }
        for problem in PreflightEvaluator.validate(kind: kind, parameters: parameters) {
            let at = problem.parameter.flatMap { parameterNodes[$0] } ?? node
            throw reader.error("check '\(name ?? kind.rawValue)': \(problem.message)", at: at)
        }
        return CheckDeclaration(
            name: name ?? kind.rawValue, kind: kind, severity: severity, parameters: parameters, position: reader.position(node.mark))
    }
}

enum VariableName {
    static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first)) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
    }
}
