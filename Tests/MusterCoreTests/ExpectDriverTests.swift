import Foundation
import Testing

@testable import MusterCore

/// ExpectDriver fed terminal output directly, chunk by chunk, as `converse` would.
@Suite struct ExpectDriverTests {
    /// Feeds `chunks` and returns what the driver typed in answer to each.
    private func feed(_ driver: ExpectDriver, _ chunks: [String]) throws -> [String] {
        try chunks.map { String(decoding: try driver.received(ArraySlice($0.utf8)), as: UTF8.self) }
    }

    @Test func aPromptSplitAcrossChunksIsAnsweredOnceComplete() throws {
        let driver = try ExpectDriver(prompts: [.init(pattern: #"Name: $"#, answer: "ada")])
        let typed = try feed(driver, ["Welcome\r\nNa", "me", ": "])
        #expect(typed == ["", "", "ada\n"])
        #expect(driver.answeredCount == 1)
        #expect(driver.nextDeadline == nil)
    }

    @Test func twoPromptsInOneChunkAreAnsweredInOrder() throws {
        let driver = try ExpectDriver(prompts: [
            .init(pattern: #"first\? "#, answer: "1"),
            .init(pattern: #"second\? "#, answer: "2"),
        ])
        #expect(try feed(driver, ["first? second? "]) == ["1\n2\n"])
        #expect(driver.unansweredPromptError() == nil)
    }

    /// Text before the match is used up: a later prompt's pattern does not match it again.
    @Test func onlyTextAfterTheMatchCountsForTheNextPrompt() throws {
        let driver = try ExpectDriver(prompts: [
            .init(pattern: #"\[y/n\] "#, answer: "y"),
            .init(pattern: #"\[y/n\] "#, answer: "n"),
        ])
        #expect(try feed(driver, ["Accept? [y/n] "]) == ["y\n"])
        #expect(try feed(driver, ["y\r\n", "Sure? [y/n] "]) == ["", "n\n"])
    }

    @Test func escapeSequencesAndCarriageReturnsAreRemovedBeforeMatching() throws {
        let driver = try ExpectDriver(prompts: [.init(pattern: "^Path \\[/opt\\]: $", answer: "")])
        let typed = try feed(driver, ["\u{1B}[1;3", "2mPath\u{1B}[0m [/opt]: "])
        #expect(typed == ["", "\n"])
        _ = try feed(driver, ["\r\r\ndone\r\n\u{1B}]0;title\u{07}bye\r\n"])
        #expect(driver.transcript == "Path [/opt]: \ndone\nbye\n")
    }

    @Test func aCharacterSplitAcrossChunksSurvives() throws {
        let driver = try ExpectDriver(prompts: [])
        let bytes = Array("Grüße".utf8)
        _ = try driver.received(ArraySlice(bytes[..<3]))
        _ = try driver.received(ArraySlice(bytes[3...]))
        #expect(driver.transcript == "Grüße")
    }

    @Test func aSecretEchoedAcrossChunksIsMaskedInTheTranscript() throws {
        let driver = try ExpectDriver(prompts: [
            .init(pattern: "Password: ", answer: "hunter2", secret: true),
            .init(pattern: "Again: ", answer: "hunter2", secret: true),
        ])
        _ = try feed(driver, ["Password: ", "hun", "ter2\r\nAgain: hunter", "2\r\nok, hunter2 set\r\n"])
        #expect(driver.transcript == "Password: ********\nAgain: ********\nok, ******** set\n")
        #expect(!driver.transcript.contains("hun"))
    }

    @Test func theTimeoutErrorNamesThePromptAndHidesSecrets() throws {
        let driver = try ExpectDriver(prompts: [
            .init(pattern: "Token: ", answer: "s3cret-token", secret: true),
            .init(pattern: #"Start installation\? "#, answer: "y", timeout: .seconds(30)),
        ])
        driver.started()
        _ = try feed(driver, ["Token: ", "s3cret-token\r\n" + String(repeating: "x", count: 150) + "\r\nERROR: bad s3cr"])
        let deadline = try #require(driver.nextDeadline)
        #expect(deadline > .now + .seconds(29) && deadline <= .now + .seconds(30))
        let error = #expect(throws: ExpectError.self) { try driver.deadlinePassed() }
        let message = try #require(error).description
        #expect(message.hasPrefix(#"expect prompt 2 "Start installation\\? " did not appear within 30 s;"#))
        #expect(message.contains("********"))
        #expect(message.contains("ERROR: bad ********"))
        #expect(!message.contains("s3cr"))
        #expect(message.count < 400)
    }

    @Test func outputThatEndsEarlyNamesTheMissingPrompt() throws {
        let driver = try ExpectDriver(prompts: [.init(pattern: "one", answer: "1"), .init(pattern: "two", answer: "2")])
        _ = try feed(driver, ["one\r\n", "bye\r\n"])
        #expect(driver.unansweredPromptError() == .endedBeforePrompt(index: 1, pattern: "two", recentOutput: "one\nbye\n"))
    }

    @Test func anInvalidPatternIsRejectedAtConstruction() {
        #expect(ExpectDriver.validate(pattern: #"Installation path \[[^]]*\]: "#) == nil)
        let reason = ExpectDriver.validate(pattern: "abc(")
        #expect(reason != nil)
        #expect(throws: ExpectError.invalidPattern(index: 1, pattern: "abc(", reason: reason ?? "")) {
            try ExpectDriver(prompts: [.init(pattern: "ok", answer: ""), .init(pattern: "abc(", answer: "x", secret: true)])
        }
    }
}
