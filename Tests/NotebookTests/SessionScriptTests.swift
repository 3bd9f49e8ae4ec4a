// Session scripts: the format, replay, --check, --accept, record and save.
import Foundation
import TestSupport
import Testing

@testable import Notebook
@testable import NotebookLanguage

@Suite("Session scripts")
struct SessionScriptTests {
    static let lesson = """
        # A tiny lesson.
        # Two lines of narration.
        a = Value(2.0, label='a')
        a
        #> Value(data=2.0, grad=0.0, label='a')

        # The second cell.
        b = a * 3; b.backward()
        a.grad
        #> 3.0
        print('one'); print(); print('three')
        #> one
        #>
        #> three

        """

    @Test func parsesCellsNarrationAndOutput() throws {
        let script = try SessionScript(text: Self.lesson, path: "lesson.txt")
        #expect(script.cells.count == 2)
        #expect(script.cells[0].narration == ["# A tiny lesson.", "# Two lines of narration."])
        #expect(script.cells[0].entries.map(\.input) == ["a = Value(2.0, label='a')", "a"])
        #expect(script.cells[0].entries[1].expected == ["Value(data=2.0, grad=0.0, label='a')"])
        #expect(script.cells[1].entries.map(\.line) == [8, 9, 11])
        #expect(script.cells[1].entries[2].expected == ["one", "", "three"])
    }

    @Test func rewritingNothingGivesTheSameFile() throws {
        let script = try SessionScript(text: Self.lesson, path: "lesson.txt")
        #expect(script.rewritten(with: [:]) == Self.lesson)
    }

    @Test func outputWithoutACommandIsAnError() {
        #expect(throws: NotebookError("x.txt:2: recorded output (#>) with no command above it")) {
            try SessionScript(text: "# narration\n#> stray\n", path: "x.txt")
        }
    }

    @Test func checkPassesOnTheRecordedLesson() throws {
        let result = Session(output: CapturedOutput()).check(try SessionScript(text: Self.lesson, path: "lesson.txt"))
        #expect(result.passed == 5 && result.failed == 0)
    }

    @Test func checkFindsAChangedOutputAndAcceptRewritesOnlyThatBlock() throws {
        let changed = Self.lesson.replacingOccurrences(of: "#> 3.0", with: "#> 4.0\n#> extra")
        let file = try temporaryFile("changed.txt", changed)
        let script = try SessionScript(contentsOf: file)
        let result = Session(output: CapturedOutput()).check(script)
        #expect(result.passed == 4 && result.failed == 1)
        #expect(
            result.diffs.first == [
                "--- \(file):9 (recorded)", "+++ \(file):9 (now)", "@@ -10,2 +10,1 @@",
                "-4.0", "-extra", "+3.0"
            ])
        try result.accept(into: script)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == Self.lesson)
    }

    @Test func acceptKeepsEverythingElseByteForByte() throws {
        // Hand-written commands with no recorded output yet; odd spacing in narration kept as is.
        let text = "#   spaced   narration\nx = 2\nx\n\n\n# end\nx * 2\n"
        let file = try temporaryFile("new.txt", text)
        let script = try SessionScript(contentsOf: file)
        let result = Session(output: CapturedOutput()).check(script)
        #expect(result.failed == 2)
        try result.accept(into: script)
        #expect(
            try String(contentsOfFile: file, encoding: .utf8)
                == "#   spaced   narration\nx = 2\nx\n#> 2\n\n\n# end\nx * 2\n#> 4\n"
        )
    }

    @Test(arguments: [
        (["...", "c"], ["a", "b", "c"], true), (["a", "..."], ["a"], true), (["took ... ms"], ["took 12.5 ms"], true),
        (["took ... ms"], ["took 12.5 s"], false), (["a"], ["a", "b"], false), (["..."], [], true),
        (["x...y...z"], ["x1y2z"], true)
    ])
    func ellipsis(_ expected: [String], _ actual: [String], _ matches: Bool) {
        #expect(TranscriptMatch.matches(expected, actual) == matches)
    }

    @Test func replayWritesATranscriptAndNamesTheFailingLine() throws {
        let text = "# Broken.\nx = Value(1.0)\ny = nosuch\nx\n"
        let (session, output) = makeSession()
        let errors = CapturedOutput()
        let failures = session.replay(try SessionScript(text: text, path: "broken.txt"), errors: errors)
        #expect(failures == [3])
        #expect(errors.text == "broken.txt:3: error in: y = nosuch\n")
        #expect(
            output.text == """
                # Broken.
                >>> x = Value(1.0)
                >>> y = nosuch
                    y = nosuch
                        ^
                error: name 'nosuch' is not defined; assign it first (vars lists the names defined so far)
                >>> x
                Value(data=1.0, grad=0.0, label='x')

                """)
    }

    @Test func runReplaysIntoTheCurrentSession() throws {
        let file = try temporaryFile("run.txt", "z = Value(5.0)\n")
        let (session, output) = makeSession()
        session.execute("run \(file)")
        session.execute("z")
        #expect(output.text == ">>> z = Value(5.0)\nValue(data=5.0, grad=0.0, label='z')\n")
    }

    @Test func saveAndRecordWriteScriptsThatCheck() throws {
        let saved = try temporaryFile("saved.txt", "")
        let recorded = try temporaryFile("recorded.txt", "")
        let (session, _) = makeSession()
        session.execute("# Saved from a live session.")
        session.execute("a = Value(2.0, label='a')")
        session.execute("record \(recorded)")
        session.execute("a * 2")
        session.execute("")
        session.execute("# A new cell.")
        session.execute("a.data")
        session.execute("record --stop")
        session.execute("save \(saved)")
        #expect(
            try String(contentsOfFile: saved, encoding: .utf8) == """
                # Saved from a live session.
                a = Value(2.0, label='a')
                record \(recorded)
                #> recording to \(recorded): every line from now on is written there with its output
                a * 2
                #> Value(data=4.0, grad=0.0)

                # A new cell.
                a.data
                #> 2.0
                record --stop
                #> stopped recording; \(recorded) is complete

                """)
        let recording = try String(contentsOfFile: recorded, encoding: .utf8)
        #expect(recording == "a * 2\n#> Value(data=4.0, grad=0.0)\n\n# A new cell.\na.data\n#> 2.0\n")
        // A recording checks against itself once its variables exist.
        let check = Session(output: CapturedOutput()).check(
            try SessionScript(text: "a = Value(2.0, label='a')\n" + recording, path: "r"))
        #expect(check.failed == 0 && check.passed >= 3)
    }

    @Test func writingToAMissingFolderIsAClearError() {
        let (session, output) = makeSession()
        session.execute("save /nonexistent/folder/x.txt")
        #expect(output.text.hasPrefix("error: save: cannot write /nonexistent/folder/x.txt: "))
    }

    /// Every lesson in sessions/ replays with its recorded output.
    @Test(
        arguments: try! FileManager.default.contentsOfDirectory(
            atPath: Reference.packageRoot.appendingPathComponent("sessions").path
        )
        .filter { $0.hasSuffix(".txt") }.sorted())
    func shippedLessonChecks(_ name: String) throws {
        let path = Reference.packageRoot.appendingPathComponent("sessions").appendingPathComponent(name).path
        let result = Session(output: CapturedOutput()).check(try SessionScript(contentsOf: path))
        #expect(result.failed == 0, "\(result.diffs.flatMap { $0 }.joined(separator: "\n"))")
        #expect(result.passed > 0)
    }
}

/// Writes `text` to a new file in a fresh temporary folder and returns its path.
func temporaryFile(_ name: String, _ text: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradbook-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// Classroom mode (`--step`): the code is shown before it runs, and a quiz or a step pass that a cell
/// starts is answered live, the script's own answers skipped.
@Suite("Classroom mode")
struct ClassroomModeTests {
    static let lesson = """
        # Quiz.
        a = Value(2.0, label='a'); b = Value(-3.0, label='b'); L = a * b
        manual L
        1
        a.data

        # More of the script's answers.
        b.data

        # After the quiz.
        print(a.grad, b.grad)
        step L

        """

    @Test func theCodeShowsBeforeItRuns() throws {
        let (session, output) = makeSession()
        let reader = ScriptedLineReader(inputs: [.endOfInput])
        session.stepThrough(try SessionScript(text: Self.lesson, path: "quiz.txt"), reader: reader)
        #expect(
            output.text
                == "\n# Quiz.\n    a = Value(2.0, label='a'); b = Value(-3.0, label='b'); L = a * b\n    manual L\n    1\n    a.data\n"
        )
    }

    @Test func aQuizIsAnsweredLiveAndTheScriptsAnswersAreSkipped() throws {
        let (session, output) = makeSession()
        // Enter runs cell 1; the class answers 1, asks for the answer three times, and answers -3; then
        // Enter runs the last cell, and Enter twice steps the pass live to its end.
        let reader = ScriptedLineReader(["", "1", "?", "?", "?", "b.data", "", "", ""])
        #expect(session.stepThrough(try SessionScript(text: Self.lesson, path: "quiz.txt"), reader: reader))
        let text = output.text
        #expect(text.contains("(your turn: answer at the prompt; ? for a hint, q to stop)\nright: dL/dL = 1.0"))
        #expect(text.contains("the answer: dL/db = 2.0 = L.grad * a.data = 1.0 * 2.0\nright: dL/da = -3.0"))
        #expect(!text.contains("\n>>> a.data") && !text.contains("\n>>> b.data"))  // the script's answers
        #expect(!text.contains("    b.data"))  // and its cell of answers shows no code
        #expect(text.contains(">>> print(a.grad, b.grad)\n-3.0 2.0\n"))
        #expect(text.contains("step 3/3  a (an input)") && text.hasSuffix("end of quiz.txt\n"))
        #expect(reader.unread == 0)
    }

    @Test func ctrlDDuringALiveQuizStopsTheLesson() throws {
        let (session, output) = makeSession()
        let reader = ScriptedLineReader(inputs: [.line(""), .line("1"), .endOfInput])
        #expect(!session.stepThrough(try SessionScript(text: Self.lesson, path: "quiz.txt"), reader: reader))
        #expect(output.text.hasSuffix("stopped; the grads found so far are kept\n"))
        #expect(session.state.values.exercise == nil)
    }
}
