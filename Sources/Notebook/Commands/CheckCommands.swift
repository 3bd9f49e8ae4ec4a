// `check NAME`: backpropagation against central differences; `nudge NAME STEP`: move every input
// a little along its gradient and watch the output change — how the lecture raises L.
import ArgumentParser
import Engine
import Foundation

struct CheckCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a Value's gradients against finite differences.",
        discussion: "For every input x: (f(x + h) - f(x - h)) / 2h next to the grad from backpropagation. Leaves data and grads as they were.")
    static let group = CommandGroup.graph

    @Argument(help: "The Value to check.") var expression: String
    @Option(name: .customLong("h"), help: "The finite-difference step.") var h: Double = 1e-6

    func run(in session: Session) throws(NotebookError) {
        guard h > 0, h.isFinite else { throw NotebookError("check: h must be a small positive number, e.g. --h 1e-6") }
        let output = try session.value(named: expression)
        let rows = output.gradientCheck(step: h)
        guard !rows.isEmpty else {
            session.emit("\(session.name(of: output)) has no inputs to check: it is made of constants only")
            return
        }
        var table = [["input", "autograd", "numerical", "rel. error", ""]]
        for row in rows {
            let ok = row.relativeError < 1e-5 || abs(row.analytic - row.numerical) < 1e-7
            table.append([session.name(of: row.leaf), row.analytic.compactDescription, row.numerical.compactDescription,
                          errorBound(row.relativeError), ok ? "ok" : session.style.paint("MISMATCH", .red)])
        }
        session.emit("gradient check of \(session.name(of: output)) (central differences, h = \(h.pythonDescription))")
        Table(rows: table, alignRight: [1, 2, 3]).lines.forEach { session.emit($0) }
    }

    /// The error rounded up to a power of ten, and no finer than `< 1e-8`: the digits below that
    /// depend on the machine's math library, and transcripts must not.
    private func errorBound(_ error: Double) -> String {
        guard error.isFinite else { return error.pythonDescription }
        let exponent = max(-8, Int(Foundation.ceil(Foundation.log10(max(error, 1e-300)))))
        return exponent >= 0 ? String(format: "%.2g", error) : "< 1e\(exponent)"
    }
}

struct NudgeCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "nudge",
        abstract: "Move every input of a Value by STEP × its grad, recompute, and show how the Value changed.",
        discussion: "A positive step follows the gradient and raises the output; a negative one lowers it (gradient descent).")
    static let group = CommandGroup.graph

    @Argument(help: "The Value whose inputs to nudge.") var expression: String
    @Argument(help: "The step size, e.g. 0.01.") var step: Double

    func run(in session: Session) throws(NotebookError) {
        guard step.isFinite else { throw NotebookError("nudge: the step must be a finite number, e.g. 0.01") }
        let output = try session.value(named: expression)
        let leaves = output.leaves()
        guard !leaves.isEmpty else { throw NotebookError("nudge: \(session.name(of: output)) has no inputs to nudge") }
        guard leaves.contains(where: { $0.grad != 0 }) else {
            throw NotebookError("nudge: every input's grad is 0, so nothing would move; run backward \(expression) first")
        }
        if let stepper = session.steppers[output], !stepper.isFinished {
            session.warn("a step pass of \(expression) is half done (\(stepper.position) of \(stepper.order.count) nodes): the grads are incomplete; finish it with step \(expression) --all")
        }
        let before = output.data
        var rows = [["input", "grad", "data before", "data after"]]
        for leaf in leaves {
            let old = leaf.data
            leaf.data += step * leaf.grad
            rows.append([session.name(of: leaf), leaf.grad.compactDescription, old.compactDescription, leaf.data.compactDescription])
        }
        output.forward()
        session.emit("each input moved by \(step.pythonDescription) × its grad:")
        Table(rows: rows, alignRight: [1, 2, 3]).lines.forEach { session.emit($0) }
        let change = output.data - before
        let direction = change > 0 ? "up" : change < 0 ? "down" : "unchanged"
        session.emit("\(session.name(of: output)): \(before.compactDescription) → \(output.data.compactDescription)"
                     + (change == 0 ? "" : " (\(direction) by \(abs(change).compactDescription))"))
    }
}
