// The notebook language: lecture and micrograd code typed as is, printing what Python prints.
import Testing

@testable import Notebook

@Suite("Language")
struct LanguageTests {
    /// Every line of micrograd's README example except its print lines, verbatim.
    @Test func microgradReadmeRunsVerbatim() {
        let readme = """
            from micrograd.engine import Value

            a = Value(-4.0)
            b = Value(2.0)
            c = a + b
            d = a * b + b**3
            c += c + 1
            c += 1 + c + (-a)
            d += d * 2 + (b + a).relu()
            d += 3 * d + (b - a).relu()
            e = c - d
            f = e**2
            g = f / 2.0
            g += 10.0 / f
            g.backward()
            """.components(separatedBy: "\n")
        let out = transcript(readme + ["round(g.data, 4)", "round(a.grad, 4)", "round(b.grad, 4)"])
        #expect(out == "24.7041\n138.8338\n645.5773\n")
    }

    /// The micrograd lecture's first cells.
    @Test func lectureExpression() {
        let out = transcript([
            "a = Value(2.0, label='a')",
            "b = Value(-3.0, label='b')",
            "h = -3.0                 # a number is a number, as in Python",
            "h; type(h)",
            "c = Value(10.0)",
            "e = a*b; e.label = 'e'",
            "d = e + c",
            "f = Value(-2.0, label='f')",
            "L = d * f",
            "L",
            "b",
            "L.backward()",
            "a.grad",
            "c.grad; f.grad",
            "[n.label for n in L._prev]"
        ])
        #expect(
            out == """
                -3.0
                <class 'float'>
                Value(data=-8.0, grad=0.0, label='L')
                Value(data=-3.0, grad=0.0, label='b')
                6.0
                -2.0
                4.0
                ['d', 'f']

                """)
    }

    @Test func neuronWithTanhAndItsExpRewrite() {
        let neuron = [
            "x1 = Value(2.0, label='x1'); x2 = Value(0.0, label='x2')",
            "w1 = Value(-3.0, label='w1'); w2 = Value(1.0, label='w2')",
            "b = Value(6.8813735870195432, label='b')",
            "n = x1*w1 + x2*w2 + b"
        ]
        let tanh = transcript(
            neuron + ["o = n.tanh(); o.backward()", "round(o.data, 4); round(x1.grad, 4); round(w1.grad, 4)"])
        let viaExp = transcript(
            neuron + [
                "e = (2*n).exp()", "o = (e - 1) / (e + 1)", "o.backward()",
                "round(o.data, 4); round(x1.grad, 4); round(w1.grad, 4)"
            ])
        #expect(tanh == "0.7071\n-1.5\n1.0\n")
        #expect(viaExp == tanh)
    }

    @Test func augmentedAssignmentRebindsAndLabels() {
        #expect(
            transcript(["c = Value(1.0)", "old = c", "c += c + 1", "c", "old"]) == """
                Value(data=3.0, grad=0.0, label='c')
                Value(data=1.0, grad=0.0, label='c')

                """)
    }

    /// Python's own outputs: ints stay ints, `/` makes a float, floats print their shortest repr.
    @Test(arguments: [
        ("2 + 3 * 4", "14"), ("2 ** 3 ** 2", "512"), ("-2 ** 2", "-4"), ("7 // 2", "3"), ("7 % 3", "1"),
        ("1e-5", "1e-05"), ("0.1 + 0.2", "0.30000000000000004"), ("[1, 2] + [3]", "[1, 2, 3]"),
        ("'ab' + 'c'", "'abc'"), ("len(range(5))", "5"), ("sum([1, 2, 3])", "6"), ("max(3, 9, 4)", "9"),
        ("[x*x for x in range(4) if x > 0]", "[1, 4, 9]"),
        ("list(zip([1, 2], ['a', 'b']))", "[(1, 'a'), (2, 'b')]"),
        ("2 < 3 and not 1 > 2", "True"), ("1 if 0 else 2", "2"), ("(1,)", "(1,)"), ("math.exp(0)", "1.0"),
        ("[1, 2, 3][-1]", "3"), ("[1, 2, 3][1:]", "[2, 3]"), ("abs(-2)", "2"), ("float('2.5')", "2.5"),
        ("Value(3.0) ** 2", "Value(data=9.0, grad=0.0)"), ("2 ** Value(3.0)", "Value(data=8.0, grad=0.0)"),
        ("Value(1.0).sigmoid().data", "0.7310585786300049"), ("3 / 2", "1.5"), ("int(2.9)", "2"),
        ("1e16", "1e+16"), ("1e15", "1000000000000000.0"), ("0.0001", "0.0001"), ("-7 // 2", "-4"),
        ("-7 % 3", "2"), ("7.5 // 2", "3.0"), ("2 ** -1", "0.5"), ("10 ** 18", "1000000000000000000")
    ])
    func expressions(_ input: String, _ expected: String) {
        #expect(transcript([input]) == expected + "\n")
    }

    @Test func forLoopOnOneLine() {
        #expect(
            transcript([
                "xs = [Value(1.0), Value(2.0)]", "for x in xs: x.data += 10; x.grad = 1", "[x.data for x in xs]"
            ])
                == "[11.0, 12.0]\n")
    }

    @Test func printAndComments() {
        #expect(transcript(["print('g =', 24.7041)  # a comment", "# only a comment", ""]) == "g = 24.7041\n")
    }

    @Test func nudgeByHandAndRecompute() {
        let out = transcript([
            "a = Value(2.0); b = Value(-3.0); L = a * b",
            "a.data = 3.0",
            "forward L",
            "L.forward().data"
        ])
        #expect(out == "Value(data=-9.0, grad=0.0, label='L')   (was -6.0)\n-9.0\n")
    }

    /// Every operator of the syntax tree evaluates as Python's: the two-character comparisons are
    /// not read as one character, and the augmented assignments rebind.
    @Test(arguments: [
        ("print(1 <= 2, 2 >= 3, 1 == 1, 1 != 1, 1 < 2, 2 > 1)", "True False True False True True\n"),
        ("print(7 // 2, 7 % 3, -7 % 3, 2 ** 3, 3 / 2, 1 + 2 - 3 * 4)", "3 1 2 8 1.5 -9\n"),
        ("x = 2; x **= 3; x -= 1; x *= 4; x /= 2; x += 1; print(x)", "15.0\n"),
        ("x = Value(2.0); x **= 3; x -= 1; x *= 4; x /= 2; x += 1; print(x.data)", "15.0\n"),
        ("print(0 or 'a', 1 and 0, not 0)", "a 0 True\n")
    ])
    func operatorsEvaluateAsPythons(line: String, expected: String) {
        #expect(transcript([line]) == expected)
    }
}

@Suite("Graphs shaped as micrograd builds them")
struct MicrogradShapeTests {
    /// The lecture's `(e - 1) / (e + 1)` cell: 18 nodes, with `+ -1` and `**-1` where micrograd has them.
    @Test func theLecturesTanhRewriteHas18Nodes() {
        let text = transcript([
            "x1 = Value(2.0); x2 = Value(0.0); w1 = Value(-3.0); w2 = Value(1.0); b = Value(6.8813735870195432)",
            "n = x1*w1 + x2*w2 + b", "e = (2*n).exp()", "o = (e - 1) / (e + 1)", "topo o"
        ])
        let rows = text.split(separator: "\n").dropFirst(2)
        #expect(rows.count == 18, "\(text)")
        #expect(rows.contains { $0.contains("+ e, -1.0") } && rows.contains { $0.contains("**-1 (+)") })
        #expect(rows.contains { $0.contains("* n, 2.0") })  // 2*n is n.__rmul__(2): n first
    }

    /// `a - b` of two Values is `a + (b * -1)`, `-a` is `a * -1`, and the values are a - b exactly.
    @Test func subtractionAndNegationAreMicrogradsNodes() {
        let text = transcript([
            "a = Value(3.0); b = Value(5.0)", "c = a - b", "d = -a", "topo c", "topo d", "print(c.data, d.data)"
        ])
        #expect(text.contains("* b, -1.0") && text.contains("* a, -1.0"), "\(text)")
        #expect(text.hasSuffix("-2.0 -3.0\n"))
    }
}
