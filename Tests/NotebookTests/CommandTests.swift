// The commands on Value graphs, each against its exact transcript.
import Foundation
import Testing

@testable import Makemore
@testable import Notebook
@testable import NotebookLanguage

@Suite("Commands")
struct CommandTests {
    static let lecture = [
        "a = Value(2.0, label='a'); b = Value(-3.0, label='b'); c = Value(10.0, label='c')",
        "e = a*b; d = e + c; f = Value(-2.0, label='f'); L = d * f"
    ]

    @Test func topo() {
        #expect(
            lastOutput(Self.lecture + ["topo L"]) == """
                #  node  made by     data    grad
                ─  ────  ───────  ───────  ──────
                1  a     input     2.0000  0.0000
                2  b     input    -3.0000  0.0000
                3  e     * a, b   -6.0000  0.0000
                4  c     input    10.0000  0.0000
                5  d     + e, c    4.0000  0.0000
                6  f     input    -2.0000  0.0000
                7  L     * d, f   -8.0000  0.0000

                """)
    }

    @Test func backwardListsTheGrads() {
        #expect(
            lastOutput(Self.lecture + ["backward L"])
                == "L.grad = 1.0   f.grad = 4.0   d.grad = -2.0   c.grad = -2.0   e.grad = -2.0   b.grad = -4.0   a.grad = 6.0\n"
        )
    }

    @Test func stepShowsTheChainRuleAndEndsWhereBackwardEnds() {
        let (session, output) = makeSession()
        for line in Self.lecture { session.execute(line) }
        session.execute("step L 3")
        #expect(
            output.take() == """
                backward pass from L: 7 nodes, grads set to 0
                step 1/7  L = d * f
                  L.grad = 1.0   (the output: dL/dL = 1)
                  → d: dL/dd += L.grad * f.data = 1.0 * -2.0 = -2.0
                  → f: dL/df += L.grad * d.data = 1.0 * 4.0 = 4.0
                step 2/7  f (an input)
                  f.grad = 4.0   (sent by L)
                step 3/7  d = e + c
                  d.grad = -2.0   (sent by L)
                  → e: dL/de += d.grad * 1 = -2.0 * 1.0 = -2.0
                  → c: dL/dc += d.grad * 1 = -2.0 * 1.0 = -2.0

                """)
        session.execute("step L --all")
        #expect(output.take().hasSuffix("done: every node's grad is in place, as L.backward() would leave them\n"))
        session.execute("[a.grad, b.grad, c.grad, f.grad]")
        #expect(output.take() == "[6.0, -4.0, -2.0, 4.0]\n")
    }

    /// A step writes the grads it shows (micrograd's `_backward`), and every other command sees them.
    @Test func stepWritesTheGradsItShowsAndBackwardEndsThePass() {
        let (session, output) = makeSession()
        for line in Self.lecture { session.execute(line) }
        session.execute("step L")
        session.execute("[L.grad, d.grad, f.grad, a.grad]")
        #expect(output.take().hasSuffix("\n[1.0, -2.0, 4.0, 0.0]\n"))
        session.execute("step L 2")
        session.execute("[e.grad, c.grad]")
        #expect(output.take().hasSuffix("\n[-2.0, -2.0]\n"))
        // backward adds a whole pass to those grads, and the half-done step pass is over.
        session.execute("step L --all")
        session.execute("backward L")
        #expect(
            output.take().hasSuffix(
                "L.grad = 2.0   f.grad = 8.0   d.grad = -4.0   c.grad = -4.0   e.grad = -4.0   b.grad = -8.0   a.grad = 12.0\n"
            ))
        session.execute("step L")
        session.execute("backward L")
        #expect(session.state.values.steppers.isEmpty)
        session.execute("nudge L 0.01")
        #expect(!output.take().contains("half done"))
    }

    /// An expression answer must be the right formula: the right number from a wrong one is caught
    /// by trying it again with the inputs moved, and the graph is left as it was.
    @Test func manualChecksTheFormulaNotOnlyTheNumber() {
        let (session, output) = makeSession()
        for line in Self.lecture + ["manual L", "1", "d.data"] { session.execute(line) }
        _ = output.take()
        session.execute("-2 * L.grad")  // dL/dd is -2.0 here, but it is f.data * L.grad
        #expect(output.take().hasPrefix("right number, wrong formula: with a = 2.5, b = -4.5, c = 17.5, f = -2.5,"))
        let state = ["a", "f", "L"].compactMap { try? session.value(named: $0).data }
        let grads = ["d", "f"].compactMap { try? session.value(named: $0).grad }
        #expect(state == [2.0, -2.0, -8.0] && grads == [0.0, 4.0])  // everything put back
        session.execute("f.data * 1 * L.grad")  // the same rule, written differently
        #expect(output.take().hasPrefix("right: dL/dd = -2.0"))
    }

    /// ? gives the rule, then the numbers, then the answer (which fills the grad in).
    @Test func manualHintsGoFromTheRuleToTheNumbersToTheAnswer() {
        let (session, output) = makeSession()
        for line in Self.lecture + ["manual L", "1"] { session.execute(line) }
        _ = output.take()
        for _ in 0..<3 { session.execute("?") }
        #expect(
            output.take() == """
                hint: f is used by L (L = d * f): the chain rule says dL/df = L.grad × ∂L/∂f, the local derivative. d(x*y)/dx = y, d(x*y)/dy = x: each input gets the other's value times the upstream grad
                hint: dL/df = L.grad * d.data = 1.0 * 4.0
                the answer: dL/df = 4.0 = L.grad * d.data = 1.0 * 4.0

                """)
        #expect(session.prompt == "dL/dd = ")
    }

    @Test func enterContinuesSteppingInteractively() {
        let (session, output) = makeSession()
        session.isInteractive = true
        for line in Self.lecture { session.execute(line) }
        session.execute("step L")
        _ = output.take()
        session.execute("")
        #expect(output.text.hasPrefix("step 2/7  f (an input)\n"))
    }

    @Test func manualBackpropExercise() {
        let (session, output) = makeSession()
        for line in Self.lecture { session.execute(line) }
        session.execute("manual L")
        #expect(session.prompt == "dL/dL = ")
        // The nodes come from the output back: L, f, d, c, e, b, a.
        for answer in [
            "1", "f.data", "?", "3", "-2.0", "-2", "d.grad", "d.grad * b.data", "d.grad", "e.grad * a.data", "4"
        ] {
            session.execute(answer)
        }
        let lines = output.text.split(separator: "\n").map(String.init)
        #expect(
            Array(lines.dropFirst(3)) == [
                "right: dL/dL = 1.0   (the output with respect to itself)",
                "not quite (you said -2.0). Try again, or ? for a hint.",
                "hint: f is used by L (L = d * f): the chain rule says dL/df = L.grad × ∂L/∂f, the local derivative. d(x*y)/dx = y, d(x*y)/dy = x: each input gets the other's value times the upstream grad",
                "not quite (you said 3.0).",
                "hint: dL/df = L.grad * d.data = 1.0 * 4.0",
                "not quite (you said -2.0).",
                "the answer: dL/df = 4.0 = L.grad * d.data = 1.0 * 4.0",
                "right: dL/dd = -2.0   (L.grad * f.data; d(x*y)/dx = y, d(x*y)/dy = x: each input gets the other's value times the upstream grad)",
                "right: dL/dc = -2.0   (d.grad * 1; d(x+y)/dx = 1, d(x+y)/dy = 1: a sum routes the gradient unchanged to both inputs)",
                "not quite (you said 6.0). Try again, or ? for a hint.",
                "right: dL/de = -2.0   (d.grad * 1; d(x+y)/dx = 1, d(x+y)/dy = 1: a sum routes the gradient unchanged to both inputs)",
                "right: dL/db = -4.0   (e.grad * a.data; d(x*y)/dx = y, d(x*y)/dy = x: each input gets the other's value times the upstream grad)",
                "not quite (you said 4.0). Try again, or ? for a hint."
            ])
        #expect(session.prompt == "dL/da = ")
        session.execute("6")
        #expect(
            output.text.hasSuffix(
                "All gradients found: they are what L.backward() gives. Try check L to compare with finite differences.\n"
            ))
        #expect(session.state.values.exercise == nil)
        session.execute("[a.grad, b.grad, c.grad, e.grad, f.grad]")
        #expect(output.text.hasSuffix("[6.0, -4.0, -2.0, -2.0, 4.0]\n"))
    }

    @Test func manualExerciseStopsOnQ() {
        let (session, output) = makeSession()
        for line in Self.lecture { session.execute(line) }
        session.execute("manual L")
        session.execute("1")
        session.execute("q")
        #expect(output.text.hasSuffix("stopped; the grads found so far are kept\n"))
        #expect(session.prompt == ">>> ")
    }

    @Test func checkAgainstFiniteDifferences() {
        #expect(
            lastOutput(Self.lecture + ["check L"]) == """
                gradient check of L (central differences, h = 1e-06)
                input  autograd  numerical  rel. error
                ─────  ────────  ─────────  ──────────  ──
                a           6.0        6.0      < 1e-8  ok
                b          -4.0       -4.0      < 1e-8  ok
                c          -2.0       -2.0      < 1e-8  ok
                f           4.0        4.0      < 1e-8  ok

                """)
    }

    @Test func nudgeRaisesL() {
        #expect(
            lastOutput(Self.lecture + ["backward L", "nudge L 0.01"]) == """
                each input moved by 0.01 × its grad:
                input  grad  data before  data after
                ─────  ────  ───────────  ──────────
                a       6.0          2.0        2.06
                b      -4.0         -3.0       -3.04
                c      -2.0         10.0        9.98
                f       4.0         -2.0       -1.96
                L: -8.0 → -7.2865 (up by 0.713504)

                """)
    }

    @Test func varsHistoryReset() {
        let (session, output) = makeSession()
        session.execute("x = Value(1.0)")
        session.execute("xs = [1, 2]")
        session.execute("vars")
        #expect(
            output.take()
                == """
                name  type   value
                ────  ─────  ----------------------------------
                x     Value  Value(data=1.0, grad=0.0, label='x')
                xs    list   [1, 2]

                """.replacingOccurrences(
                    of: "----------------------------------", with: String(repeating: "─", count: 36)))
        session.execute("history")
        #expect(output.take() == "1  x = Value(1.0)\n2  xs = [1, 2]\n3  vars\n")
        session.execute("reset")
        #expect(output.take() == "forgot 2 variables\n")
        #expect(session.interpreter.variables.isEmpty)
        session.execute("quit")
        #expect(session.wantsExit)
    }

    /// reset forgets every domain's state, not only variables, and says what it forgot.
    @Test func resetForgetsTheNamesTheModelsAndThePasses() {
        let (session, output) = makeSession()
        for line in ModelCommandTests.setup + ["split", "a = Value(2.0); L = a * a", "step L", "bigram"] {
            session.execute(line)
        }
        _ = output.take()
        session.execute("reset")
        #expect(
            output.take()
                == "forgot 2 variables, 1 step pass, the names of \(ModelCommandTests.names), the bigram model, the mlp model and the split\n"
        )
        #expect(
            session.state.names.dataset == nil && session.state.languageModels.trainer == nil
                && session.state.values.steppers.isEmpty)
        session.execute("sample 1")
        #expect(output.take().hasPrefix("error: sample: no dataset loaded yet"))
    }

    @Test func helpListsEveryCommandAndExplainsOne() {
        let all = transcript(["help"])
        for name in CommandRegistry.names where CommandRegistry.find(name)?.configuration.commandName == name {
            #expect(all.contains("\n  \(name) "), "help does not list \(name)")
        }
        #expect(transcript(["help nudge"]).contains("USAGE: nudge <expression> <step>"))
        #expect(transcript(["help Value"]).contains("exp() log() tanh() relu() sigmoid() backward()"))
    }

    @Test func completion() {
        let (session, _) = makeSession()
        session.execute("a = Value(1.0); bay = 2; xs = []")
        #expect(session.completions(for: "ba") == ["backward", "bay"])
        #expect(session.completions(for: "a.d") == ["a.data"])
        #expect(session.completions(for: "a.") == Interpreter.valueAttributes.sorted().map { "a." + $0 })
        #expect(session.completions(for: "zz") == [])
        #expect(session.completions(for: "xs.ap") == ["xs.append"])
    }

    /// Every warning, the language's too, is coloured at a colour terminal, as errors are; plain otherwise.
    @Test func warningsAreColouredLikeErrors() {
        let output = CapturedOutput()
        let session = Session(output: output, style: TextStyle(color: true, width: 100))
        session.execute("x = Value(-1.0).log()")
        session.execute("a = Value(1.0); a.backward(); a.backward()")
        session.execute("nosuch")
        let lines = output.text.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("\u{1B}[33mwarning: \u{1B}[0m") }.count == 2)
        #expect(lines.contains { $0.hasPrefix("\u{1B}[31merror: \u{1B}[0m") })
        #expect(!transcript(["x = Value(-1.0).log()"]).contains("\u{1B}"))
    }

    /// One of a thing reads as one: "1 node", "1 line", "1 layer".
    @Test func oneReadsAsOne() throws {
        #expect(lastOutput(["a = Value(1.0)", "zero_grad a"]) == "grads of 1 node set to 0\n")
        #expect(lastOutput(["a = Value(1.0)", "step a"]).hasPrefix("backward pass from a: 1 node, grads set to 0\n"))
        let file = try temporaryFile("one.txt", "")
        #expect(lastOutput(["a = Value(1.0)", "save \(file)"]) == "saved 1 line to \(file)\n")
        #expect(
            ModelConfiguration.transformer(layerCount: 1, headCount: 1).description.contains("1 layer, 1 head"))
    }

    /// Inside a command, Tab offers what the argument under the cursor takes, from the command's
    /// own declaration: choices from the enums it parses, its options, files, or variables.
    @Test func completionFollowsTheCommandsArguments() throws {
        let (session, _) = makeSession()
        session.execute("a = Value(1.0); alpha = a * 2; bay = 2")
        #expect(session.completions(for: "tr", after: "model ") == ["transformer"])
        #expect(session.completions(for: "", after: "model ") == ModelConfiguration.Kind.allCases.map(\.rawValue))
        #expect(session.completions(for: "--st", after: "fit ") == ["--steps"])
        #expect(session.completions(for: "", after: "fit --steps 10 --optimizer ") == ["sgd", "adam", "adamw"])
        #expect(session.completions(for: "r", after: "sample 5 --rule ") == ["race"])
        #expect(session.completions(for: "", after: "split --layout ") == ["lecture", "makemore", "all"])
        #expect(session.completions(for: "sa", after: "figure ") == ["saturation"])
        #expect(session.completions(for: "", after: "checkpoint ") == ["save", "load"])
        #expect(session.completions(for: "t", after: "eval train ") == ["train", "test"])
        #expect(session.completions(for: "mo", after: "data d ") == ["moons"])
        #expect(session.completions(for: "fi", after: "help ") == ["fit", "figure"])
        #expect(session.completions(for: "a", after: "graph ") == ["a", "alpha"])
        #expect(session.completions(for: "al", after: "step ") == ["alpha"])
        #expect(session.completions(for: "alpha.g", after: "graph ") == ["alpha.grad"])
        #expect(session.completions(for: "", after: "graph a --wide ") == [])  // nothing after the one Value
        #expect(session.completions(for: "", after: "seed ") == [])

        // Files, and folders with a slash, after load, run, save, record, checkpoint load and --svg.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradbook-tab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("lessons"), withIntermediateDirectories: true)
        try "x\n".write(to: folder.appendingPathComponent("names.txt"), atomically: true, encoding: .utf8)
        let base = folder.path + "/"
        #expect(session.completions(for: base + "n", after: "load ") == [base + "names.txt"])
        #expect(session.completions(for: base + "l", after: "run ") == [base + "lessons/"])
        #expect(session.completions(for: base, after: "checkpoint load ") == [base + "lessons/", base + "names.txt"])
        #expect(session.completions(for: base + "n", after: "figure loss --svg ") == [base + "names.txt"])
        // A variable named like a command is code, not the command.
        session.execute("step = 3")
        #expect(session.completions(for: "st", after: "") == ["step", "str"])
    }
}

/// The reflexes of a Python prompt: quit(), exit() and help() work as the commands do.
@Suite("Python reflexes")
struct PythonReflexTests {
    @Test(arguments: ["quit()", "exit()", "quit", "exit"])
    func quitAndExitLeave(_ line: String) {
        let (session, output) = makeSession()
        session.execute(line)
        #expect(session.wantsExit && output.text.isEmpty)
    }

    @Test func helpCallsAreTheHelpCommand() {
        #expect(lastOutput(["help()"]) == lastOutput(["help"]))
        #expect(lastOutput(["help(Value)"]) == lastOutput(["help Value"]))
        #expect(lastOutput(["x = Value(1.0)", "help(x)"]) == lastOutput(["help Value"]))
        #expect(lastOutput(["help('fit')"]) == lastOutput(["help fit"]))
        #expect(
            lastOutput(["n = MLP(2, [3, 1])", "help(n)"]) == "MLP object; attributes: layers, parameters, zero_grad\n")
        #expect(lastOutput(["help(sum)"]) == "Signature:   sum(...)\nType:        builtin_function_or_method\n")
        #expect(
            lastOutput(["help(1, 2)"]).hasSuffix(
                "error: TypeError: help() takes at most 1 argument, but 2 were given\n"))
    }
}
