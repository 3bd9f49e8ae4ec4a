// The read-eval-print loop itself, driven by scripted input instead of a terminal: Ctrl-C at the
// prompt, end of input, quit, and the prompt the loop shows (the tmux tests cover the real terminal).
import Testing

@testable import Notebook

@Suite("The REPL loop")
struct REPLTests {
    @Test func ctrlCAtThePromptAbandonsTheLineAndKeepsEverything() {
        let (session, output) = makeSession()
        let reader = ScriptedLineReader(inputs: [.line("a = Value(2.0)"), .interrupted, .line("a.data * 3")])
        session.interact(with: reader)
        #expect(output.text == "6.0\n")
        #expect(reader.prompts == [">>> ", ">>> ", ">>> ", ">>> "])
        #expect(reader.unread == 0)
    }

    @Test func endOfInputEndsTheLoopWithANewlineOnlyAtATerminal() {
        for interactive in [false, true] {
            let (session, output) = makeSession()
            session.isInteractive = interactive
            session.interact(with: ScriptedLineReader(inputs: [.line("x = 1"), .endOfInput, .line("print(x)")]))
            #expect(output.text == (interactive ? "\n" : ""))
            #expect(!session.wantsExit)
        }
    }

    @Test(arguments: ["quit", "exit"])
    func quitStopsReadingAndLeavesTheRestUnread(word: String) {
        let (session, output) = makeSession()
        let reader = ScriptedLineReader(["print('one')", word, "print('two')"])
        session.interact(with: reader)
        #expect(output.text == "one\n")
        #expect(session.wantsExit && reader.unread == 1)
    }

    @Test func anErrorDoesNotEndTheLoop() {
        let (session, output) = makeSession()
        session.interact(with: ScriptedLineReader(["1 +", "nosuch 3", "print('seven')"]))
        let lines = output.text.split(separator: "\n")
        #expect(lines.last == "seven")
        #expect(lines.filter { $0.hasPrefix("error: ") }.count == 2)
    }

    /// The manual exercise asks at its own prompt, and Enter at the prompt continues a step pass.
    @Test func theLoopShowsTheExercisePromptAndEnterContinuesAStep() {
        let (session, output) = makeSession()
        session.isInteractive = true
        let reader = ScriptedLineReader(["a = Value(2.0); b = Value(3.0); L = a * b", "manual L", "q"])
        session.interact(with: reader)
        #expect(reader.prompts[2] != ">>> " && reader.prompts.last == ">>> ")
        _ = output.take()
        session.interact(with: ScriptedLineReader(["step L", ""]))
        #expect(output.text.contains("step 1/3") && output.text.contains("step 2/3"))
    }

    /// A pasted block arrives as one line with newlines in it: it runs line by line, shown as typed,
    /// blank lines skipped, and stops at the first line that fails.
    @Test func aPasteRunsLineByLineAndStopsAtAnError() {
        let (session, output) = makeSession()
        session.interact(with: ScriptedLineReader(["a = 2\r\nb = a * 3\n\nprint(b)\nnosuch\nprint('not run')\n"]))
        #expect(output.text.hasPrefix(">>> b = a * 3\n>>> print(b)\n6\n>>> nosuch\n"), "\(output.text)")
        #expect(
            output.text.contains("warning: the rest of the paste was not run (1 statement), as the one above failed"))
        #expect(!output.text.split(separator: "\n").contains("not run"))  // the line after the failure
    }

    /// Ctrl-D at the exercise's prompt ends the exercise, not the notebook: the lines after it run.
    @Test func ctrlDInAManualExerciseEndsOnlyTheExercise() {
        let (session, output) = makeSession()
        session.isInteractive = true
        let reader = ScriptedLineReader(
            inputs: [
                .line("a = Value(2.0); b = Value(3.0); L = a * b"), .line("manual L"), .line("1"), .endOfInput,
                .line("print(L.grad, a.data)")
            ])
        session.interact(with: reader)
        #expect(reader.unread == 0 && !session.wantsExit)
        #expect(output.text.contains("stopped; the grads found so far are kept\n1.0 2.0\n"))
        #expect(session.state.values.exercise == nil)
    }
}

/// A terminal's output in memory: what is written, and every status line drawn.
final class StatusCapturingOutput: OutputSink {
    private(set) var text = ""
    private(set) var statuses: [String?] = []
    let showsStatus = true
    func write(_ text: String) { self.text += text }
    func status(_ line: String?) { statuses.append(line) }
}

/// A terminal's output in memory that records the live view's frames.
final class FrameCapturingOutput: OutputSink {
    private(set) var text = ""
    private(set) var frames: [[String]?] = []
    let showsStatus = true
    func write(_ text: String) { self.text += text }
    func status(_ line: String?) { frames.append(line.map { [$0] }) }
    func frame(_ lines: [String]?) { frames.append(lines) }
}

@Suite("The live progress line")
struct LiveProgressTests {
    /// fit's live line goes to the output's status line, never into the output or the log, and is
    /// erased before each row and at the end.
    @Test func fitDrawsItsProgressAsTheStatusLine() {
        let output = StatusCapturingOutput()
        let session = Session(output: output, style: .plain)
        session.isInteractive = true
        for line in ModelCommandTests.setup { session.execute(line) }
        session.execute("fit --steps 3000 --every 1000 --no-dev")
        let drawn = output.statuses.compactMap { $0 }
        #expect(drawn.allSatisfy { $0.hasPrefix("step ") && $0.contains("steps/s") })
        #expect(output.statuses.last == .some(nil))
        #expect(!output.text.contains("steps/s  ") && !output.text.contains("\u{1B}"))
        #expect(output.text.contains("(3,000 steps in "))
    }

    /// At a terminal fit draws a live view (progress, the loss curve, names sampled now) in place,
    /// never into the output or the log; its names come from a generator of their own, so the rows are
    /// the same as with --no-live, and the view is gone at the end, leaving the plain table.
    @Test func fitDrawsALiveViewThatChangesNothing() {
        let output = FrameCapturingOutput()
        let session = Session(output: output, style: .plain)
        session.isInteractive = true
        for line in ModelCommandTests.setup { session.execute(line) }
        session.execute("fit --steps 20000 --every 10000 --no-dev")
        let frames = output.frames.compactMap { $0 }
        #expect(!frames.isEmpty)
        #expect(frames.allSatisfy { $0.first?.hasPrefix("step ") == true && $0.last?.hasPrefix("names now: ") == true })
        #expect(frames.contains { $0.contains { $0.contains("train (mean of") } })  // the curve
        #expect(output.frames.last == .some(nil))
        #expect(!output.text.contains("names now") && !session.log.last!.output.contains("names now"))

        let quiet = FrameCapturingOutput()
        let other = Session(output: quiet, style: .plain)
        other.isInteractive = true
        for line in ModelCommandTests.setup { other.execute(line) }
        other.execute("fit --steps 20000 --every 10000 --no-dev --no-live")
        #expect(quiet.frames.compactMap { $0 }.allSatisfy { $0.count == 1 })  // the progress line alone
        let rows = { (text: String) in text.split(separator: "\n").filter { !$0.hasPrefix("(") } }
        #expect(rows(output.text) == rows(quiet.text))
    }

    /// micrograd's `train` redraws the decision boundary and the loss as it learns, in place.
    @Test func microgradTrainDrawsTheBoundaryLive() {
        let output = FrameCapturingOutput()
        let session = Session(output: output, style: .plain)
        session.isInteractive = true
        for line in ["data d moons --n 60", "mlp m 2 8 1 --nonlin relu"] { session.execute(line) }
        session.execute("train m d --steps 600 --every 300")
        let frames = output.frames.compactMap { $0 }.filter { $0.count > 1 }
        #expect(!frames.isEmpty)
        #expect(frames.allSatisfy { $0.contains { $0.hasPrefix("o label 1") } }, "\(frames.first ?? [])")
        #expect(frames.contains { $0.contains("─── loss") })
        // The view is gone at the end; only `data` drew its scatter into the output.
        #expect(output.frames.last == .some(nil) && output.text.components(separatedBy: "o label").count == 2)
        let quiet = FrameCapturingOutput()
        let other = Session(output: quiet, style: .plain)
        other.isInteractive = true
        for line in ["data d moons --n 60", "mlp m 2 8 1 --nonlin relu"] { other.execute(line) }
        other.execute("train m d --steps 600 --every 300 --no-live")
        #expect(quiet.frames.compactMap { $0 }.allSatisfy { $0.count == 1 })
        #expect(quiet.text == output.text)  // the same rows: the view draws only
    }

    @Test func aStatusIsCutToTheWidthAndKeepsItsColour() {
        #expect("step 1/10  loss 3.2".fittingColumns(8) == "step 1/1")
        #expect("\u{1B}[2mabcdef\u{1B}[0m".fittingColumns(3) == "\u{1B}[2mabc\u{1B}[0m\u{1B}[0m")
    }
}
