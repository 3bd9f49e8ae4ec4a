// `check NAME`: backpropagation against central differences; `nudge NAME STEP`: move every input
// a little along its gradient and watch the output change — how the lecture raises L.
import ArgumentParser
import Engine
import Foundation
import NotebookLanguage

struct CheckCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a Value's gradients against finite differences.",
        discussion: """
            For every input x: (f(x + h) - f(x - h)) / 2h next to the grad from backpropagation. Leaves data \
            and grads as they were. Each input costs a pass over the graph, so on a big graph an evenly \
            spaced sample of the inputs is checked (--inputs N to choose how many). Where rounding in \
            f(x ± h) alone could explain a difference, the row says "unreliable" rather than MISMATCH: \
            try a larger --h there.
            """)
    static let group = CommandGroup.graph

    /// How many node recomputations a check makes by default before it samples the inputs.
    static let defaultBudget = 20_000_000

    @Argument(help: "The Value to check.") var expression: String
    @Option(name: .customLong("h"), help: "The finite-difference step.") var h: Double = 1e-6
    @Option(name: .long, help: "How many inputs to check (default: all, or a sample on big graphs).") var inputs: Int?

    func run(in session: Session) throws(NotebookError) {
        guard h > 0, h.isFinite else { throw NotebookError("check: h must be a small positive number, e.g. --h 1e-6") }
        if let inputs, inputs < 1 { throw NotebookError("check: --inputs must be at least 1, e.g. --inputs 100") }
        let output = try session.value(named: expression)
        let check = GradientCheck(of: output)
        guard check.inputCount > 0 else {
            session.emit("\(session.name(of: output)) has no inputs to check: it is made of constants only")
            return
        }
        let affordable = max(1, Self.defaultBudget / max(1, 3 * check.nodeCount))
        let wanted = min(check.inputCount, inputs ?? affordable)
        var table = [["input", "autograd", "numerical", "rel. error", ""]]
        var unreliable = 0
        var stoppedAfter: Int?
        for sample in 0..<wanted {
            if Interrupt.isRequested {
                stoppedAfter = sample
                break
            }
            let k = wanted == check.inputCount ? sample : sample * check.inputCount / wanted
            let row = check.row(k, step: h)
            let verdict = row.agrees ? "ok" : row.isUnreliable ? "unreliable" : session.style.paint("MISMATCH", .red)
            if row.isUnreliable { unreliable += 1 }
            table.append([row.leaf.label.isEmpty ? "input #\(k + 1)" : row.leaf.label, row.analytic.compactDescription, row.numerical.compactDescription,
                          errorBound(row.relativeError), verdict])
        }
        session.emit("gradient check of \(session.name(of: output)) (central differences, h = \(h.pythonDescription))")
        Table(rows: table, alignRight: [1, 2, 3]).lines.forEach { session.emit($0) }
        if wanted < check.inputCount, stoppedAfter == nil {
            session.emit("checked \(wanted) of \(check.inputCount.grouped) inputs, evenly spaced: each costs three passes over "
                         + "\(check.nodeCount.grouped) nodes (--inputs N to check more)")
        }
        if unreliable > 0 {
            session.emit("unreliable: rounding in f(x ± h) alone could make a difference that large here; try a larger --h, e.g. --h \((h * 1000).pythonDescription)")
        }
        if let stoppedAfter {
            // Last, where the student's eyes are: the rows above may fill the screen.
            session.warn("check stopped by Ctrl-C after \(stoppedAfter) of \(wanted) inputs; the graph is as it was")
        }
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

    /// The most inputs listed; a big graph's others are counted.
    static let rowLimit = 30

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
            if rows.count <= Self.rowLimit {
                rows.append([session.name(of: leaf), leaf.grad.compactDescription, old.compactDescription, leaf.data.compactDescription])
            }
        }
        output.forward()
        session.emit("each input moved by \(step.pythonDescription) × its grad:")
        Table(rows: rows, alignRight: [1, 2, 3]).lines.forEach { session.emit($0) }
        if leaves.count > Self.rowLimit { session.emit("… and \((leaves.count - Self.rowLimit).grouped) more inputs, moved the same way") }
        let change = output.data - before
        let direction = change > 0 ? "up" : change < 0 ? "down" : "unchanged"
        session.emit("\(session.name(of: output)): \(before.compactDescription) → \(output.data.compactDescription)"
                     + (change == 0 ? "" : " (\(direction) by \(abs(change).compactDescription))"))
    }
}
