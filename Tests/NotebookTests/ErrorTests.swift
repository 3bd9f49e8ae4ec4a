// Every error a user can meet: one clear line (with a caret for a column), and the session's
// state exactly as it was before the failing line.
import Testing

@testable import Notebook
@testable import NotebookLanguage

@Suite("Errors")
struct ErrorTests {
    @Test(arguments: [
        ("L2", "error: name 'L2' is not defined; did you mean 'L'?"),
        ("hlep", "error: name 'hlep' is not defined; did you mean 'help'?"),
        ("backwrd L", "error: command 'backwrd' is not defined; did you mean 'backward'?"),
        ("L.dat", "error: Value attribute 'dat' is not defined; did you mean 'data'?"),
        ("L = (a * b", "error: syntax error: expected ')' to close the parenthesis, found end of line"),
        ("x = 'abc", "error: syntax error: this string is never closed: add ' at its end"),
        ("3x = 1", "error: syntax error: a name cannot start with a digit: '3x'"),
        ("a $ b", "error: syntax error: unexpected character '$'"),
        (
            "1 = a",
            "error: syntax error: cannot assign to this: the left of '=' must be a name, x.attribute or x[index]"
        ),
        ("Value = 3", "error: 'Value' is a built-in name and cannot be assigned"),
        ("L()", "error: a Value cannot be called"),
        ("Value(1, 2, 3)", "error: Value() takes at most 2 arguments, but 3 were given"),
        ("Value(1, lable='x')", "error: Value() has no argument 'lable'; did you mean 'label'?"),
        ("Value('x')", "error: Value() argument 'data' must be a number, not a str"),
        ("L.label = 3", "error: a label must be a string in quotes, e.g. x.label = 'x'"),
        ("[1, 2][5]", "error: index 5 is out of range for 2 items"),
        ("range(10**9)", "error: range() would make 1000000000 numbers; the notebook makes at most 10000000"),
        ("L + 'a'", "error: '+' cannot combine a Value with a str"),
        ("a, b = 1", "error: syntax error: unexpected ','"),
        ("for x in 3: x", "error: the for loop's source must be a list, tuple or string, not a number"),
        (
            "for k in range(3):",
            "error: syntax error: the for loop's body goes on the same line, after ':' (for x in xs: y = y + x; print(y)); bodies on the lines below are not supported"
        ),
        (
            "graph",
            "error: graph: Missing expected argument '<expression>' (usage: graph <expression> [--tree] [--wide] [--depth <depth>] [--dot <dot>] [--svg <svg>]; see help graph)"
        ),
        ("graph L --tree --wide", "error: graph: choose --tree or --wide, not both"),
        ("graph L --depth 2", "error: graph: --depth goes with --tree"),
        ("nudge L", "error: nudge: give the step size, e.g. nudge L 0.01"),
        (
            "nudge L x",
            "error: nudge: 'x' is not a valid value for step (usage: nudge <expression> <step>; see help nudge)"
        ),
        ("nudge L 0.01", "error: nudge: every input's grad is 0, so nothing would move; run backward L first"),
        ("backward 3", "error: backward: '3' is a number, not a Value"),
        (
            "backward (",
            "error: backward: '(' is not a name or expression: syntax error: the line ends where a value was expected"
        ),
        ("step L 0", "error: step: the number of nodes must be at least 1, not 0"),
        ("check L --h -1", "error: check: h must be a small positive number, e.g. --h 1e-6"),
        ("help nosuch", "error: help: help topic 'nosuch' is not defined; type help for the list of commands"),
        (
            "run /nonexistent/lesson.txt",
            "error: run: cannot read /nonexistent/lesson.txt: no such file or folder; check the path"
        )
    ])
    func reportsClearlyAndKeepsState(_ input: String, _ message: String) {
        let (session, output) = makeSession()
        session.execute("a = Value(2.0, label='a'); b = Value(-3.0, label='b'); L = a * b")
        _ = output.take()
        let ok = session.execute(input)
        let lines = output.text.split(separator: "\n").map(String.init)
        #expect(!ok)
        #expect(lines.last == message, "\(input)")
        // The state is untouched: the same variables, the same values.
        #expect(session.interpreter.variables.keys.sorted() == ["L", "a", "b"])
        _ = output.take()
        session.execute("L")
        #expect(output.text == "Value(data=-6.0, grad=0.0, label='L')\n")
    }

    @Test func syntaxErrorsPointAtTheColumn() {
        #expect(
            lastOutput(["a = 1", "b = a + * 2"]) == """
                    b = a + * 2
                            ^
                error: syntax error: unexpected '*'

                """)
    }

    @Test func anErrorStopsTheRestOfTheLineButKeepsWhatRanBefore() {
        let (session, output) = makeSession()
        session.execute("x = 1; y = nosuch; z = 3")
        #expect(
            output.text.hasSuffix(
                "error: name 'nosuch' is not defined; assign it first (vars lists the names defined so far)\n"))
        #expect(session.interpreter.variables["x"] != nil && session.interpreter.variables["z"] == nil)
    }

    @Test func warningsForNanAndInfinity() {
        #expect(
            transcript(["x = Value(-2.0).log()"])
                == "warning: log(-2.0) is nan: log is defined for positive numbers only\n")
        #expect(transcript(["y = 1 / Value(0.0)"]) == "warning: division by zero: 1.0 / 0 gives inf\n")
        #expect(transcript(["z = 1 / 0", "z"]) == "warning: division by zero: 1.0 / 0 gives inf\ninf\n")
        #expect(transcript(["w = Value(0.0).log()"]) == "warning: log(0) is -inf\n")
    }

    @Test func secondBackwardWarnsAndSaysHowToZero() {
        let out = lastOutput(["a = Value(2.0); L = a * a", "L.backward()", "L.backward()"])
        #expect(
            out
                == "warning: 2 nodes of L already had gradients; backward() added to them, as PyTorch does. To start from zero, run zero_grad L (or L.zero_grad()) before backward.\n"
        )
        #expect(
            transcript([
                "a = Value(2.0); L = a * a", "L.backward(); L.backward()", "a.grad", "zero_grad L", "L.backward()",
                "a.grad"
            ])
            .hasSuffix("8.0\ngrads of 2 nodes set to 0\n4.0\n"))
    }

    @Test func interruptedComprehensionAssignsNothing() throws {
        let (session, _) = makeSession()
        session.execute("xs = [1, 2, 3]")
        // Ctrl-C during the statement: the loop stops at its next item.
        let statement = try #require(try Parser.parse("ys = [x for x in xs]").first)
        Interrupt.$simulated.withValue(true) {
            #expect(throws: NotebookError("interrupted (Ctrl-C)")) {
                _ = try session.interpreter.execute(statement)
            }
        }
        #expect(session.interpreter.variables["ys"] == nil)
        #expect(session.interpreter.variables["x"] == nil)
    }
}
