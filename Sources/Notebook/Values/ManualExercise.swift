// The manual-backpropagation exercise in progress: the nodes from the output back, the gradient asked
// for at each, the answer checked and the local derivative explained.
import ArgumentParser
import Engine
import NotebookLanguage

/// An exercise that takes over the prompt: each typed line is an answer.
protocol Exercise: AnyObject {
    /// The prompt that asks for the next answer.
    var prompt: String { get }
    /// Handles one typed line; returns false when the line could not be read as an answer.
    func handle(_ line: String) -> Bool
    /// Ends the exercise (q, or Ctrl-D at its prompt).
    func stop()
    /// The same exercise from its start (classroom mode rehearses a script's answers on one).
    func restarted() -> any Exercise
}

/// The state of a manual-backprop exercise.
final class ManualExercise: Exercise {
    let output: Value
    /// Nodes still to answer, the next one first.
    private(set) var remaining: [Value]
    /// The right answers, from a backward pass made when the exercise started.
    private let answers: [Value: Double]
    /// Who uses each node, for the hints.
    private let users: GraphUsers
    /// Wrong answers and hints given for the current node: they reset when it is filled in.
    private var wrongAttempts = 0
    private var hintsGiven = 0
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

    func restarted() -> any Exercise { ManualExercise(output: output, session: session) }

    var prompt: String {
        guard let node = current else { return ">>> " }
        return "d\(session.name(of: output))/d\(session.name(of: node)) = "
    }

    private func answer(for node: Value) -> Double { answers[node] ?? 0 }

    /// Handles one typed line; returns false when the line could not be read as an answer.
    func handle(_ line: String) -> Bool {
        let text = line.trimmingCharacters(in: .whitespaces)
        guard let node = current else { return true }
        switch text {
        case "":
            return true
        case "q", "quit", "exit", "quit()", "exit()":
            stop()
            return true
        case "?", "hint":
            giveHint(for: node)
            return true
        default:
            break
        }
        let expression: Expression
        let given: Double
        do {
            expression = try Parser.parseExpression(text)
            given = try session.interpreter.evaluate(expression).number(as: "the answer")
        } catch {
            session.report(error, in: text)
            return false
        }
        let right = answer(for: node)
        let name = "d\(session.name(of: output))/d\(session.name(of: node))"
        if !agrees(given, right) {
            wrongAttempts += 1
            session.emit(
                session.style.paint("not quite", .red) + " (you said \(given.compactDescription))."
                    + (wrongAttempts == 1 ? " Try again, or ? for a hint." : ""))
            if wrongAttempts > 1 { giveHint(for: node) }
            return true
        }
        // A formula (not a plain number) must hold at other input values too, not only at these.
        if Double(text) == nil, let miss = counterexample(to: expression, for: node) {
            wrongAttempts += 1
            session.emit(
                session.style.paint("right number, wrong formula", .red)
                    + ": with \(miss.inputs), \(text) gives \(miss.given.compactDescription) but \(name) is \(miss.right.compactDescription). Try again, or ? for a hint."
            )
            return true
        }
        session.emit(
            session.style.paint("right: ", .green) + "\(name) = \(right.compactDescription)   " + explanation(of: node))
        fill(node)
        return true
    }

    /// Ends the exercise (q, or Ctrl-D at its prompt), keeping the grads found so far.
    func stop() {
        session.state.values.exercise = nil
        session.emit("stopped; the grads found so far are kept")
    }

    /// The next hint for `node`: the rule, then the numbers, then the answer (which fills the grad in).
    private func giveHint(for node: Value) {
        hintsGiven += 1
        if node == output && hintsGiven == 2 { hintsGiven = 3 }  // its rule has no numbers to show
        switch hintsGiven {
        case 1: session.emit("hint: " + ChainRule.ruleHint(for: node, in: output, users: users, session))
        case 2: session.emit("hint: " + ChainRule.numbersHint(for: node, in: output, users: users, session))
        default:
            let name = "d\(session.name(of: output))/d\(session.name(of: node))"
            let working = ChainRule.numbersHint(for: node, in: output, users: users, session)
                .components(separatedBy: " = ").dropFirst().joined(separator: " = ")
            session.emit(
                "the answer: \(name) = \(answer(for: node).compactDescription)"
                    + (node == output ? "" : " = " + working))
            fill(node)
        }
    }

    private func agrees(_ given: Double, _ right: Double) -> Bool {
        abs(given - right) <= max(1e-9, 1e-6 * abs(right)) || (given.isNaN && right.isNaN)
    }

    /// Evaluates `expression` with the graph's inputs moved to other values (the grads found so far
    /// updated to match, the others 0, as now): the first point where it misses d(output)/d(node),
    /// or nil when it holds at every point tried. Everything is put back afterwards.
    private func counterexample(to expression: Expression, for node: Value) -> (
        inputs: String, given: Double, right: Double
    )? {
        let graph = output.topologicalOrder()
        let inputs = graph.filter { $0.op == .leaf }
        let data = inputs.map(\.data)
        let grads = graph.map(\.grad)
        let unanswered = Set(remaining)
        defer {
            for (input, value) in zip(inputs, data) { input.data = value }
            output.forward()
            for (node, grad) in zip(graph, grads) { node.grad = grad }
        }
        for trial in 1...2 {
            for (i, input) in inputs.enumerated() {
                let shift = 0.25 * Double(trial) * Double(i % 3 + 1) * (i % 2 == 0 ? 1 : -1)
                input.data = data[i] + shift * Swift.max(1, abs(data[i]))
            }
            output.forward()
            output.zeroGrad()
            output.backward()
            let right = node.grad
            for other in graph where unanswered.contains(other) { other.grad = 0 }
            guard right.isFinite else { continue }  // outside a function's domain: no test here
            guard let given = try? session.interpreter.evaluate(expression).number(as: "the answer") else {
                return nil  // cannot evaluate there (a log of a negative): the number alone decides
            }
            if !agrees(given, right) {
                let shown = inputs.prefix(4).map { "\(session.name(of: $0)) = \($0.data.compactDescription)" }
                return (shown.joined(separator: ", ") + (inputs.count > 4 ? ", …" : ""), given, right)
            }
        }
        return nil
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
        hintsGiven = 0
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
