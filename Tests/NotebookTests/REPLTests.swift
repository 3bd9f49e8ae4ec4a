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
}
