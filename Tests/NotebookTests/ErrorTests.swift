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
        ("L = (a * b", "error: syntax error: this '(' is never closed"),
        ("x = 'abc", "error: syntax error: this string is never closed: add ' at its end"),
        ("3x = 1", "error: syntax error: a name cannot start with a digit: '3x'"),
        ("a $ b", "error: syntax error: unexpected character '$'"),
        (
            "1 = a",
            "error: syntax error: cannot assign to this expression; the left of '=' must be a name, attribute or item"
        ),
        ("L()", "error: TypeError: 'Value' object is not callable"),
        ("Value(1, (), '', 'x', 5)", "error: TypeError: Value() takes at most 4 arguments, but 5 were given"),
        ("Value(1, lable='x')", "error: TypeError: Value() has no argument 'lable'; did you mean 'label'?"),
        ("Value('x')", "error: TypeError: Value() argument 'data' must be a number, not a str"),
        ("L.label = 3", "error: TypeError: a label must be a string in quotes, e.g. x.label = 'x'"),
        ("[1, 2][5]", "error: IndexError: list index 5 out of range (it has 2 items)"),
        (
            "list(range(10**9))",
            "error: MemoryError: the list would hold 1000000000 items; the notebook's lists and strings hold at most 10000000"
        ),
        ("L + 'a'", "error: TypeError: unsupported operand type(s) for +: a Value and a 'str'"),
        ("a, b = 1", "error: TypeError: cannot unpack non-iterable int object"),
        ("for x in 3: x", "error: TypeError: 'int' object is not iterable"),
        ("x = 7 // 0", "error: ZeroDivisionError: integer division or modulo by zero"),
        ("x = 7 % 0", "error: ZeroDivisionError: integer modulo by zero"),
        (
            "2 ** 64",
            "error: OverflowError: 2 ** 64 does not fit in 64 bits (gradbook's ints are 64-bit; use a float, e.g. 2.0 ** 64)"
        ),
        (
            "import torch.distributions",
            "error: ModuleNotFoundError: No module named 'torch.distributions' in the notebook (it has math, random, time, re, numpy, torch, graphviz, matplotlib.pyplot and micrograd)"
        ),
        (
            "for k in range(3):",
            "error: syntax error: the for loop's header needs a body: type it on the lines below, indented (or 'pass')"
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
        ("backward 3", "error: backward: '3' is an int, not a Value (nor an object with data, grad, _prev and _op)"),
        ("backward (", "error: backward: '(' is not a name or expression: syntax error: this '(' is never closed"),
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
        #expect(transcript(["z = 1 / 0"]).hasSuffix("error: ZeroDivisionError: division by zero\n"))
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
            let error = #expect(throws: NotebookError.self) { try session.interpreter.run([statement]) }
            #expect(error?.message == "interrupted (Ctrl-C)")
        }
        #expect(session.interpreter.variables["ys"] == nil)
        #expect(session.interpreter.variables["x"] == nil)
    }
}
