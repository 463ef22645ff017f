import Foundation
import Testing

@testable import MusterCore

@Suite struct ExtraVarsTests {
    func parse(_ arguments: String..., in directory: String = "/nonexistent") throws -> [String: InventoryValue] {
        try ExtraVars.parse(arguments, relativeTo: directory)
    }

    func error(_ arguments: String..., in directory: String = "/nonexistent") -> PlaybookError? {
        do {
            _ = try ExtraVars.parse(arguments, relativeTo: directory)
            return nil
        } catch {
            return error
        }
    }

    @Test func keyValueIsAlwaysText() throws {
        let vars = try parse("version=12.07.100", "port=5432", "flag=true", "empty=", "url=http://x/?a=b")
        #expect(vars["version"] == .string("12.07.100"))
        #expect(vars["port"] == .string("5432"))
        #expect(vars["flag"] == .string("true"))
        #expect(vars["empty"] == .string(""))
        #expect(vars["url"] == .string("http://x/?a=b"))
    }

    /// Ansible's documented form: `--extra-vars "version=1.23.45 other_variable=foo"` sets two variables.
    @Test func severalPairsInOneArgument() throws {
        let vars = try parse("version=1.23.45 other_variable=foo")
        #expect(vars == ["version": .string("1.23.45"), "other_variable": .string("foo")])
    }

    @Test func quotedValuesKeepTheirSpaces() throws {
        let vars = try parse(#"msg="hello world" path='/a b' plain=x"#)
        #expect(vars == ["msg": .string("hello world"), "path": .string("/a b"), "plain": .string("x")])
    }

    @Test func laterValuesWin() throws {
        let vars = try parse("a=1", "a=2", #"{"a": 3, "b": 4}"#, "b=5")
        #expect(vars == ["a": .int(3), "b": .string("5")])
    }

    @Test func inlineMappingsAreTyped() throws {
        let json = try parse(#"{"a": 1, "b": [true, "x"], "c": {"d": null}}"#)
        #expect(json["a"] == .int(1))
        #expect(json["b"] == .list([.bool(true), .string("x")]))
        #expect(json["c"] == .dict(["d": .null]))
        let yaml = try parse("{ums_version: '12.07.100', retries: 3}")
        #expect(yaml == ["ums_version": .string("12.07.100"), "retries": .int(3)])
    }

    @Test func fileOfVariables() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            "vars/extra.yml", "ums_version: '12.07.100'\nport: 5432\nratio: 0.5\nenabled: yes\nhosts: [a, b]\nnested: {k: v}\nnothing:\n")
        let vars = try parse("@vars/extra.yml", in: directory.path)
        #expect(vars["ums_version"] == .string("12.07.100"))
        #expect(vars["port"] == .int(5432))
        #expect(vars["ratio"] == .float(0.5))
        #expect(vars["enabled"] == .bool(true))
        #expect(vars["hosts"] == .list([.string("a"), .string("b")]))
        #expect(vars["nested"] == .dict(["k": .string("v")]))
        #expect(vars["nothing"] == .null)
        // An absolute path ignores the directory.
        #expect(try parse("@" + file)["port"] == .int(5432))
        // JSON files too.
        try directory.write("extra.json", #"{"port": 22}"#)
        #expect(try parse("@extra.json", in: directory.path) == ["port": .int(22)])
        // An empty file sets nothing.
        try directory.write("empty.yml", "")
        #expect(try parse("@empty.yml", in: directory.path).isEmpty)
    }

    @Test(arguments: ["=x", "1a=b", "a-b=c", "novalue", "", "[1, 2]", "a=1 b"])
    func badKeyValue(argument: String) {
        let error = error(argument)
        #expect(error?.source == "-e")
        #expect(error?.message.contains("expected key=value, @FILE or a mapping") == true, "\(String(describing: error))")
    }

    @Test func unbalancedQuote() {
        let error = error(#"msg="hello"#)
        #expect(error?.source == "-e")
        #expect(error?.message.contains("unbalanced") == true, "\(String(describing: error))")
    }

    @Test func aListInAFile() throws {
        let directory = try TemporaryDirectory()
        try directory.write("list.yml", "# a list\n- a\n- b\n")
        let error = error("@list.yml", in: directory.path)
        #expect(error?.source == "list.yml")
        #expect(error?.line == 2)
        #expect(error?.column == 1)
        #expect(error?.message == "extra variables must be a mapping of name: value")
    }

    @Test func badNameInAFile() throws {
        let directory = try TemporaryDirectory()
        try directory.write("bad.yml", "good: 1\nbad-name: 2\n")
        let error = error("@bad.yml", in: directory.path)
        #expect(error?.source == "bad.yml")
        #expect(error?.line == 2)
        #expect(error?.column == 1)
        #expect(error?.message == "'bad-name' is not a valid variable name")
    }

    @Test func yamlErrorInAFile() throws {
        let directory = try TemporaryDirectory()
        try directory.write("broken.yml", "a: [1, 2\n")
        let error = error("@broken.yml", in: directory.path)
        #expect(error?.source == "broken.yml")
        #expect(error?.line != nil)
        #expect(error?.message.contains("invalid YAML") == true, "\(String(describing: error))")
    }

    @Test func missingFile() {
        let error = error("@missing.yml", in: "/nonexistent")
        #expect(error?.source == "-e @missing.yml")
        #expect(error?.message.hasPrefix("cannot read missing.yml") == true, "\(String(describing: error))")
    }

    @Test func inlineMappingWithABadName() {
        let error = error(#"{"1x": 1}"#)
        #expect(error?.source == "-e")
        #expect(error?.line == 1)
        #expect(error?.column == 2)
        #expect(error?.message == "'1x' is not a valid variable name")
    }
}
