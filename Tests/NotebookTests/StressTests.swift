// 100,000 random lines made of the language's own tokens, fed to one session: none may end it.
import Testing

@testable import Notebook

@Suite("Random lines")
struct StressTests {
    static let tokens = [
        "1", "2.5", "-", "+", "*", "/", "**", "//", "%", "(", ")", "[", "]", ",", ";", ".", ":", "=", "==",
        "<", "a", "b", "xs", "Value(", "Value(2.0)", "a.grad", "a.data", "backward()", "xs.append(", "len(",
        "sum(", "range(3)", "for i in", "if", "else", "not", "and", "or", "'s'", "\"", "'", "#", "lambda",
        "None", "True", "1e308", "nan", "zip(", "print(", "tanh()", "exp()", "vars", "x", "  ", "\t",
        "def", "class", "while", "return", "try:", "except", "with", "{", "}", "f'{", "%timeit", "\n", "\n    ",
        "lambda:", "yield", "import", "math", "random", "global", "del", "assert", "is", "**kw", "*args", "self"
    ]

    @Test func randomLinesNeverEndTheSession() {
        let (session, output) = makeSession()
        session.stepBudget = 20_000  // `while True: pass` is among the lines it can make
        session.execute("a = Value(2.0); b = Value(-3.0); xs = [1, 2]")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15  // splitmix64: the same lines on every machine
        func next() -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
        }
        for _ in 0..<100_000 {
            let count = 1 + next() % 12
            let line = (0..<count).map { _ in Self.tokens[next() % Self.tokens.count] }.joined(
                separator: next() % 3 == 0 ? "" : " ")
            session.execute(line)
            _ = output.take()
        }
        #expect(session.execute("1 + 1"))
        #expect(output.take() == "2\n")
    }
}
