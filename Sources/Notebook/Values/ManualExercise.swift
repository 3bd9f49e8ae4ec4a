// The manual-backpropagation exercise in progress: the nodes from the output back, the gradient asked
// for at each, the answer checked and the local derivative explained.
import ArgumentParser
import Engine
import NotebookLanguage

/// The state of a manual-backprop exercise.
final class ManualExercise {
    let output: Value
    /// Nodes still to answer, the next one first.
    private(set) var remaining: [Value]
    /// The right answers, from a backward pass made when the exercise started.
    private let answers: [Value: Double]
    /// Who uses each node, for the hints.
    private let users: GraphUsers
    private var wrongAttempts = 0
    private let session: Session

    init(output: Value, session: Session) {
        self.output = output
        self.session = session
        output.zeroGrad()
        output.backward()
        let order = output.topologicalOrder()
        answers = Dictionary(uniqueKeysWithValues: order.map { ($0, $0.grad) })
        output.zeroGrad()
        remaining = order.reversed().filter { $0.op != .constant }
        users = GraphUsers(order: order)
    }

    var current: Value? { remaining.first }

    var prompt: String {
        guard let node = current else { return ">>> " }
        return "d\(session.name(of: output))/d\(session.name(of: node)) = "
    }

    private func answer(for node: Value) -> Double { answers[node] ?? 0 }

    /// Handles one typed line; returns false when the line could not be read as an answer.
    func handle(_ line: String) -> Bool {
        let text = line.trimmingCharacters(in: .whitespaces)
        guard let node = current else { return true }
        let outName = session.name(of: output)
        switch text {
        case "":
            return true
        case "q", "quit", "exit":
            session.state.values.exercise = nil
            session.emit("stopped; the grads found so far are kept")
            return true
        case "?", "hint":
            session.emit("hint: " + ChainRule.rule(for: node, in: output, users: users, session))
            return true
        default:
            break
        }
        let given: Double
        do {
            given = try session.interpreter.evaluate(try Parser.parseExpression(text)).number(as: "the answer")
        } catch {
            session.report(error, in: text)
            return false
        }
        let right = answer(for: node)
        let correct = abs(given - right) <= max(1e-9, 1e-6 * abs(right)) || (given.isNaN && right.isNaN)
        if correct {
            session.emit(
                session.style.paint("right: ", .green)
                    + "d\(outName)/d\(session.name(of: node)) = \(right.compactDescription)   "
                    + explanation(of: node))
            fill(node)
        } else if wrongAttempts == 0 {
            wrongAttempts = 1
            session.emit(
                session.style.paint("not quite", .red)
                    + " (you said \(given.compactDescription)). Try again, or ? for a hint.")
        } else {
            session.emit(
                session.style.paint("not quite", .red) + ": it is \(right.compactDescription). "
                    + ChainRule.rule(for: node, in: output, users: users, session))
            fill(node)
        }
        return true
    }

    /// The rule behind the answer, for the node just found.
    private func explanation(of node: Value) -> String {
        if node == output { return "(the output with respect to itself)" }
        let rules = Set(users[node].map { $0.user.op.rule })
        return "("
            + ChainRule.rule(for: node, in: output, users: users, session).components(separatedBy: " = ").dropFirst()
            .joined(separator: " = ")
            + (rules.count == 1 ? "; " + (rules.first ?? "") : "") + ")"
    }

    private func fill(_ node: Value) {
        node.grad = answer(for: node)
        wrongAttempts = 0
        remaining.removeFirst()
        if remaining.isEmpty {
            session.state.values.exercise = nil
            let name = session.name(of: output)
            for constant in output.topologicalOrder() where constant.op == .constant {
                constant.grad = answer(for: constant)
            }
            session.emit(
                "All gradients found: they are what \(name).backward() gives. Try check \(name) to compare with finite differences."
            )
        }
    }
}

extension Session {
    /// Passes a typed line to the exercise in progress.
    func answerExercise(_ line: String) -> Bool {
        state.values.exercise?.handle(line) ?? true
    }
}
