import Foundation
import Testing

@testable import MusterCore

@Suite struct RendererTests {
    let scope = HostScope(
        host: "web1",
        inventory: [
            "spaced": "hello world", "quoted": #"it's "quoted""#, "evil": "$(rm -rf /)", "plain": "/opt/app-1.2_x",
            "empty": "", "port": 8080, "ports": [80, 443], "flag": true, "semi": "a; reboot", "glob": "*",
        ],
        play: ["dir": "/srv/{{ plain }}"], extra: [:])

    var renderer: Renderer { Renderer(scope: scope) }

    /// The only run command of a one-task playbook, as the parser reads it.
    func command(_ task: String) throws -> (TemplateText, Bool) {
        let playbook = try parsePlaybook(playbookWithTask(task))
        guard case .run(let run) = playbook.stages[0].tasks[0].action else { throw PlaybookError(source: "test", message: "not run") }
        return (run.command, run.raw)
    }

    func shell(_ text: String, raw: Bool = false) throws -> String {
        try renderer.shell(TemplateText(text, at: SourcePosition(source: "t.yml", line: 1, column: 1)), raw: raw)
    }

    @Test func shellQuotesSubstitutedValues() throws {
        #expect(try shell("echo {{ spaced }}") == "echo 'hello world'")
        #expect(try shell("echo {{ quoted }}") == #"echo 'it'\''s "quoted"'"#)
        #expect(try shell("echo {{ evil }}") == "echo '$(rm -rf /)'")
        #expect(try shell("echo {{ semi }}") == "echo 'a; reboot'")
        #expect(try shell("ls {{ glob }}") == "ls '*'")
        #expect(try shell("echo {{ empty }}") == "echo ''")
        // Plain words and numbers need no quotes.
        #expect(try shell("cd {{ plain }} && serve {{ port }}") == "cd /opt/app-1.2_x && serve 8080")
        // Literal text stays shell syntax.
        #expect(try shell("a=$(hostname); echo \"$a\" | tee /tmp/x") == "a=$(hostname); echo \"$a\" | tee /tmp/x")
    }

    @Test func quoteFilterIsNotQuotedTwice() throws {
        #expect(try shell("echo {{ spaced | quote }}") == "echo 'hello world'")
        #expect(try shell("echo {{ evil | quote }}") == "echo '$(rm -rf /)'")
    }

    @Test func rawInsertsValuesAsTheyAre() throws {
        #expect(try shell("echo {{ spaced }}", raw: true) == "echo hello world")
        #expect(try shell("echo {{ evil }}", raw: true) == "echo $(rm -rf /)")
        #expect(try shell("echo {{ quoted }}", raw: true) == #"echo it's "quoted""#)
    }

    @Test func rawFromThePlaybook() throws {
        let (quoted, quotedRaw) = try command("- run: 'echo {{ x }}'")
        #expect(!quotedRaw)
        let (raw, isRaw) = try command("- run: {command: 'echo {{ x }}', raw: true}")
        #expect(isRaw)
        let scope = HostScope(host: "h", inventory: ["x": "a b"], play: [:], extra: [:])
        #expect(try Renderer(scope: scope).shell(quoted, raw: quotedRaw) == "echo 'a b'")
        #expect(try Renderer(scope: scope).shell(raw, raw: isRaw) == "echo a b")
    }

    @Test func textAndValuesAreNotQuoted() throws {
        let at = SourcePosition(source: "t.yml", line: 1, column: 1)
        #expect(try renderer.text(TemplateText("{{ spaced }}/{{ evil }}", at: at)) == "hello world/$(rm -rf /)")
        #expect(try renderer.value(TemplateText("{{ ports }}", at: at)) == .list([80, 443]))
        #expect(try renderer.value(TemplateText("{{ port }}", at: at)) == .int(8080))
        #expect(try renderer.value(TemplateText("p{{ port }}", at: at)) == .string("p8080"))
        #expect(try renderer.condition(TemplateText("flag and port > 80", at: at)))
        #expect(try !renderer.condition(TemplateText("443 not in ports", at: at)))
    }

    @Test func renderCheckParameters() throws {
        let at = SourcePosition(source: "t.yml", line: 7, column: 5)
        let value: InventoryValue = ["targets": ["db:{{ port }}", "{{ ports }}"], "n": 1, "plain": "x"]
        #expect(try renderer.render(value, at: at) == ["targets": ["db:8080", [80, 443]], "n": 1, "plain": "x"])
    }

    // MARK: Where template errors point

    @Test func errorOnAQuotedScalar() throws {
        let (text, _) = try command("- run: 'echo {{ missing }}'")
        // `      - run: '` puts the template's first character at column 15.
        #expect(text.position == SourcePosition(source: "test.yml", line: 4, column: 15))
        do {
            _ = try renderer.shell(text, raw: false)
            Issue.record("expected an error")
        } catch {
            #expect(error.source == "test.yml")
            #expect(error.line == 4)
            #expect(error.column == 15 + "echo {{ ".count)
            #expect(error.message.contains("missing"))
        }
    }

    @Test func errorOnADoubleQuotedAndAPlainScalar() throws {
        let (double, _) = try command("- run: \"echo {{ 1 + }}\"")
        let (plain, _) = try command("- run: echo {{ 1 + }}x")
        for (text, start) in [(double, 15), (plain, 14)] {
            do {
                _ = try renderer.shell(text, raw: false)
                Issue.record("expected an error")
            } catch {
                #expect(error.line == 4)
                #expect(error.column.map { $0 >= start + "echo {{ 1 ".count } == true, "\(error)")
            }
        }
    }

    @Test func errorOnALaterLineOfABlockScalar() throws {
        let (text, _) = try command("- run: |\n    echo start\n    echo {{ missing }}")
        do {
            _ = try renderer.shell(text, raw: false)
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 6)
            #expect(error.column == nil)
        }
    }

    @Test func positionArithmetic() {
        let template = TemplateText("a {{ b }}", at: SourcePosition(source: "p.yml", line: 3, column: 10))
        let sameLine = Renderer.position(of: TemplateError(.undefined, at: 5, "x"), in: template)
        #expect(sameLine == SourcePosition(source: "p.yml", line: 3, column: 15))
        let multiLine = TemplateText("a\nb {{ c }}", at: SourcePosition(source: "p.yml", line: 3, column: 10))
        let second = Renderer.position(of: TemplateError(.undefined, at: 7, "x"), in: multiLine)
        #expect(second == SourcePosition(source: "p.yml", line: 4, column: nil))
        let noColumn = Renderer.position(
            of: TemplateError(.undefined, at: 5, "x"), in: TemplateText("a {{ b }}", at: SourcePosition(source: "p.yml")))
        #expect(noColumn == SourcePosition(source: "p.yml"))
    }

    // MARK: Template variables in the scope

    @Test func templatedVariablesAreResolved() throws {
        var scope = scope
        try scope.resolveTemplates(positions: [:], source: "t.yml")
        #expect(scope.lookup("dir") == "/srv//opt/app-1.2_x")
        #expect(
            try Renderer(scope: scope).shell(TemplateText("ls {{ dir }}", at: SourcePosition(source: "t.yml")), raw: false)
                == "ls /srv//opt/app-1.2_x")
    }

    @Test func scopePrecedence() {
        var scope = HostScope(host: "h", inventory: ["a": 1, "b": 1, "c": 1], play: ["b": 2, "c": 2], extra: ["c": 3])
        #expect(scope.lookup("a") == 1)
        #expect(scope.lookup("b") == 2)
        #expect(scope.lookup("c") == 3)
        scope.set("b", 9)
        scope.set("c", 9)
        // Registered results win over play vars but not over -e.
        #expect(scope.lookup("b") == 9)
        #expect(scope.lookup("c") == 3)
        #expect(scope.names == ["a", "b", "c"])
    }
}

extension RendererTests {
    @Test func blockScalarStartsOnTheNextLine() throws {
        let (text, _) = try command("- run: |\n    echo {{ missing }}")
        #expect(text.position == SourcePosition(source: "test.yml", line: 5, column: nil))
        do {
            _ = try renderer.shell(text, raw: false)
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 5)
            #expect(error.column == nil)
        }
    }
}
