// `manual loss` on a tensor: makemore part 4's exercise at the prompt. The named tensors the loss
// was computed from are asked for one at a time, from the loss back to the parameters; each answer
// (an expression in tensor code) is checked against autograd, shape first, then exactly and within
// rounding; a wrong one gets the rule for how that tensor was used (a broadcast becomes a sum, a view
// is undone, a lookup scatter-adds), and a right one is kept as `d<name>` for the answers after it.
import Engine
import Foundation
import NotebookLanguage

final class TensorManualExercise: Exercise {
    struct Step {
        let tensor: Tensor
        let name: String
        let answer: Tensor
    }

    let output: TensorObject
    let outputName: String
    private(set) var remaining: [Step]
    /// For each tensor, the ops that used it (its users in the graph).
    private let users: [ObjectIdentifier: [Tensor]]
    /// The notebook's names for the graph's tensors.
    private let names: [ObjectIdentifier: String]
    private var wrongAttempts = 0
    private var hintsGiven = 0
    private unowned let session: Session

    init(output: TensorObject, name: String, session: Session) throws(NotebookError) {
        guard let loss = output.floatTensor, loss.requiresGrad, loss.count == 1 else {
            throw NotebookError(
                "manual \(name): needs a one-number tensor computed from tensors with requires_grad=True (a loss)")
        }
        self.output = output
        self.outputName = name
        self.session = session
        let graph = loss.graph
        // The names the notebook's variables give the graph's tensors.
        var names: [ObjectIdentifier: String] = [:]
        for (variable, value) in session.interpreter.variables.entries.sorted(by: { $0.key < $1.key }) {
            if case .object(let t as TensorObject) = value, let tensor = t.floatTensor,
                names[ObjectIdentifier(tensor)] == nil, !variable.hasPrefix("_")
            {
                names[ObjectIdentifier(tensor)] = variable
            }
        }
        // Autograd's answers, with the parameters' own gradients put back afterwards.
        let leaves = graph.filter { $0.inputs.isEmpty }
        let saved = leaves.map(\.grad)
        for leaf in leaves { leaf.clearGrad() }
        do {
            try loss.backward()
        } catch {
            throw NotebookError("manual \(name): \(error.message)")
        }
        var steps: [Step] = []
        for tensor in graph.reversed() where tensor !== loss {
            guard let name = names[ObjectIdentifier(tensor)], let grad = tensor.grad else { continue }
            steps.append(
                Step(tensor: tensor, name: name, answer: (try? Tensor(shape: grad.shape, values: grad.scalars)) ?? grad)
            )
        }
        for (leaf, grad) in zip(leaves, saved) { try? leaf.setGrad(grad) }
        remaining = steps
        self.names = names
        var users: [ObjectIdentifier: [Tensor]] = [:]
        for node in graph {
            for input in node.inputs { users[ObjectIdentifier(input), default: []].append(node) }
        }
        self.users = users
    }

    func restarted() -> any Exercise {
        (try? TensorManualExercise(output: output, name: outputName, session: session)) ?? self
    }

    var prompt: String {
        guard let step = remaining.first else { return ">>> " }
        return "d\(outputName)/d\(step.name) = "
    }

    func handle(_ line: String) -> Bool {
        let text = line.trimmingCharacters(in: .whitespaces)
        guard let step = remaining.first else { return true }
        switch text {
        case "": return true
        case "q", "quit", "exit", "quit()", "exit()":
            stop()
            return true
        case "?", "hint":
            giveHint(step)
            return true
        default: break
        }
        let given: Object
        do {
            given = try session.interpreter.evaluate(try Parser.parseExpression(text))
        } catch {
            session.report(error, in: text)
            return false
        }
        let values: [Double]
        let shape: [Int]
        switch given {
        case .object(let t as TensorObject):
            (values, shape) = (t.doubles(), t.shape)
        case .int, .float, .bool:
            (values, shape) = ([(try? given.number(as: "the answer")) ?? .nan], [])
        default:
            session.report(NotebookError("the answer is a tensor (or a number), not \(given.typeNameWithArticle)"))
            return false
        }
        let name = "d\(outputName)/d\(step.name)"
        guard shape == step.tensor.shape else {
            wrongAttempts += 1
            session.emit(
                session.style.paint("wrong shape", .red)
                    + ": your answer is \(formatShape(shape)) but \(step.name) is \(formatShape(step.tensor.shape)); a gradient has the shape of its tensor."
                    + (shapeHint(from: shape, to: step.tensor.shape).map { " " + $0 } ?? ""))
            if wrongAttempts > 1 { giveHint(step) }
            return true
        }
        let right = step.answer.scalars.map { Double($0) }
        var exact = true
        var close = true
        var maxdiff = 0.0
        for (a, b) in zip(values, right) {
            if Float(a) != Float(b) { exact = false }
            let d = abs(Double(Float(a) - Float(b)))
            if d > maxdiff || d.isNaN { maxdiff = d }
            if !(abs(a - b) <= 1e-8 + 1e-5 * abs(b)) { close = false }
        }
        guard close else {
            wrongAttempts += 1
            session.emit(
                session.style.paint("not quite", .red)
                    + ": the shape is right, the values are not (largest difference \(maxdiff.pythonRepr)). "
                    + rule(step) + (wrongAttempts == 1 ? ". Try again, or ? for the answer." : ""))
            if wrongAttempts > 2 { giveHint(step) }
            return true
        }
        session.emit(
            session.style.paint("right: ", .green) + "\(name), "
                + (exact ? "exact" : "approximate (largest difference \(maxdiff.pythonRepr))") + " — " + rule(step))
        fill(step)
        return true
    }

    func stop() {
        session.state.values.exercise = nil
        session.emit("stopped; the gradients found so far are kept as d<name> variables")
    }

    private func giveHint(_ step: Step) {
        hintsGiven += 1
        if hintsGiven == 1 {
            session.emit("hint: " + rule(step))
        } else {
            session.emit("the answer: d\(step.name) is autograd's \(step.name).grad, now set")
            fill(step)
        }
    }

    private func fill(_ step: Step) {
        session.interpreter.assign(.object(TensorObject(step.answer)), toGlobal: "d" + step.name)
        wrongAttempts = 0
        hintsGiven = 0
        remaining.removeFirst()
        if remaining.isEmpty {
            session.state.values.exercise = nil
            session.emit(
                "All gradients found: they are what \(outputName).backward() gives (kept as d<name> for each).")
        }
    }

    /// What a gradient smaller than its tensor is missing, or the reverse.
    private func shapeHint(from given: [Int], to wanted: [Int]) -> String? {
        if given.count == wanted.count, zip(given, wanted).allSatisfy({ $0 == $1 || $0 == 1 }) {
            return
                "Where your answer has 1, the tensor was broadcast there: its gradient is not summed but spread (multiply by torch.ones_like)."
        }
        if given.count == wanted.count, zip(given, wanted).allSatisfy({ $0 == $1 || $1 == 1 }) {
            let dims = zip(given, wanted).enumerated().filter { $0.element.1 == 1 && $0.element.0 != 1 }.map(\.offset)
            return
                "The tensor was broadcast along dim \(dims.map(String.init).joined(separator: ", ")): sum the gradient there (.sum(\(dims.first ?? 0), keepdim=True))."
        }
        if given.count > wanted.count,
            zip(given.suffix(wanted.count), wanted).allSatisfy({ $0 == $1 || $1 == 1 })
        {
            let extra = given.count - wanted.count
            return
                "The tensor was broadcast along the leading dim\(extra == 1 ? "" : "s") \((0..<extra).map(String.init).joined(separator: ", ")): sum the gradient over \(extra == 1 ? "it" : "them") (.sum(0)\(extra == 1 ? "" : " for each"))."
        }
        if given.reduce(1, *) == wanted.reduce(1, *) {
            return "It has the right number of values: view it as \(formatShape(wanted))."
        }
        return nil
    }

    /// The chain rule for how `step`'s tensor was used, in the lecture's tensor code.
    private func rule(_ step: Step) -> String {
        let uses = users[ObjectIdentifier(step.tensor)] ?? []
        let name = step.name
        let parts = uses.map { use -> String in
            let first = use.operandPosition(of: step.tensor) == 0
            let dout = names[ObjectIdentifier(use)].map { "d" + $0 } ?? "dout"
            let broadcast = use.shape != step.tensor.shape && ["add", "sub", "mul", "div"].contains(use.op ?? "")
            let tail = broadcast ? ", summed over the dims \(name) was broadcast along" : ""
            switch use.op ?? "" {
            case "add": return "in a sum: d\(name) = \(dout)\(tail)"
            case "sub":
                return first ? "in a difference: d\(name) = \(dout)\(tail)" : "subtracted: d\(name) = -\(dout)\(tail)"
            case "mul": return "in a product: d\(name) = (the other factor) * \(dout)\(tail)"
            case "div":
                return first
                    ? "divided: d\(name) = \(dout) / (the divisor)\(tail)"
                    : "a divisor: d\(name) = -\(dout) * a / \(name)**2\(tail)"
            case "matmul":
                return first ? "in x @ W: d\(name) = \(dout) @ W.T" : "in x @ W: d\(name) = x.T @ \(dout)"
            case "tanh": return "in tanh: d\(name) = (1 - out**2) * \(dout)"
            case "exp": return "in exp: d\(name) = out * \(dout)"
            case "log": return "in log: d\(name) = \(dout) / \(name)"
            case "pow": return "in a power: d\(name) = n * \(name)**(n - 1) * \(dout)"
            case "relu": return "in relu: d\(name) = (out > 0) * \(dout)"
            case "sigmoid": return "in sigmoid: d\(name) = out * (1 - out) * \(dout)"
            case "sum":
                return
                    "summed: d\(name) = \(dout) spread back over what was summed (torch.ones_like(\(name)) * \(dout))"
            case "mean": return "averaged: d\(name) = \(dout) / n, spread back over what was averaged"
            case "variance": return "in a variance: d\(name) = 2 / (n - 1) * (\(name) - mean) * \(dout)"
            case "embedding", "index":
                return
                    "looked up by index: each picked element's gradient is added back where it came from (d\(name)[ix] += \(dout)[k])"
            case "view", "reshape", "contiguous": return "reshaped: d\(name) = \(dout).view(\(name).shape)"
            case "transpose", "permute": return "transposed: d\(name) = \(dout) transposed back"
            case "select", "slice": return "sliced: d\(name) is zero except where the slice came from"
            case "max":
                return
                    "in a max: d\(name) is \(dout) at the largest entry, 0 elsewhere (F.one_hot(….max(1).indices, n) * \(dout))"
            case "cross_entropy": return "in cross_entropy: d\(name) = (softmax(\(name), 1) - one_hot(targets)) / n"
            case "softmax": return "in softmax: d\(name) = out * (\(dout) - (out * \(dout)).sum(1, keepdim=True))"
            case "affine": return "scaled: d\(name) = (the scale) * \(dout)"
            case "sqrt": return "in sqrt: d\(name) = \(dout) / (2 * out)"
            default: return "in \(use.op ?? "an op"): apply its local derivative to \(dout)"
            }
        }
        if parts.isEmpty { return "\(name) is the output" }
        if parts.count == 1 { return name + " is used " + parts[0] }
        return "\(name) is used \(parts.count) times; add the contributions: " + parts.joined(separator: "; ")
    }
}
