// The notebook's tapes: every top-level statement, every command and every iteration of a `for`
// loop puts its nodes on a fresh tape, so memory follows the variables rather than the history.
import Engine
import Testing

@testable import Notebook

@Suite("Tapes in the notebook")
struct TapeSessionTests {
    private func value(_ name: String, in session: Session) -> Value? {
        guard case .value(let v)? = session.interpreter.variables[name] else { return nil }
        return v
    }

    @Test func eachStatementHasItsOwnTape() {
        let (session, output) = makeSession()
        Tape.withNew {
            let outer = Tape.current
            session.execute("a = Value(2.0)")
            session.execute("b = a * 3; b.backward()")
            session.execute("graph b")
            let a = value("a", in: session)!
            let b = value("b", in: session)!
            #expect(a.tape !== b.tape && a.tape !== outer && b.lhs == a && a.grad == 3)
            #expect(outer.count == 0, "statements and commands leave the caller's tape alone")
        }
        #expect(!output.text.contains("error"))
    }

    @Test func reassigningAVariableFreesItsOldTape() {
        let (session, _) = makeSession()
        session.execute("w = Value(0.5)")
        session.execute("L = (w * 2 - 1) ** 2")
        weak let old = value("L", in: session)?.tape
        #expect(old != nil)
        session.execute("L = (w * 3 - 1) ** 2; L.backward()")
        #expect(old == nil)
        #expect(value("w", in: session)?.grad == 2 * (0.5 * 3 - 1) * 3)
    }

    /// The lecture's training loop typed as one `for` line: the last loss's tape holds one
    /// iteration's nodes, and its graph reaches only that tape and the ones made before the loop.
    @Test func eachLoopIterationHasItsOwnTape() {
        let (session, output) = makeSession()
        for line in [
            "n = MLP(3, [4, 4, 1])",
            "xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]",
            "ys = [1.0, -1.0, -1.0, 1.0]",
            "ypred = [n(x) for x in xs]; loss = sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))"
        ] { session.execute(line) }
        // One iteration makes what these two statements made on their tapes: ypred's, then loss's.
        guard case .list(let ypred)? = session.interpreter.variables["ypred"], case .value(let y0)? = ypred.items.first
        else {
            Issue.record("ypred is not a list of Values")
            return
        }
        let oneStep = y0.tape.count + value("loss", in: session)!.tape.count
        let firstLoss = value("loss", in: session)!.data
        weak let firstTape = value("loss", in: session)?.tape
        session.execute(
            "for k in range(100): ypred = [n(x) for x in xs]; loss = sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred)); n.zero_grad(); loss.backward(); ps = [p for p in n.parameters()]; ups = [p.grad for p in ps]; p0 = ps[0]; p0.data += -0.05 * p0.grad"
        )
        #expect(!output.text.contains("error"), "\(output.text)")
        let last = value("loss", in: session)!
        #expect(last.tape.count == oneStep, "one iteration's nodes, not 100 iterations'")
        #expect(Set(last.topologicalOrder().map { ObjectIdentifier($0.tape) }).count <= 4)
        #expect(firstTape == nil)
        #expect(last.data < firstLoss)
    }
}
