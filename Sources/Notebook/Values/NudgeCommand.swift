// `nudge NAME STEP`: move every input a little along its gradient and watch the output change — how
// the lecture raises L.
import ArgumentParser
import Engine
import Foundation
import NotebookLanguage

struct NudgeCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "nudge",
        abstract: "Move every input of a Value by STEP × its grad, recompute, and show how the Value changed.",
        usage: "nudge <expression> <step>",
        discussion:
            "A positive step follows the gradient and raises the output; a negative one lowers it (gradient descent).")
    static let group = CommandGroup.graph

    /// The most inputs listed; a big graph's others are counted.
    static let rowLimit = 30

    @Argument(help: "The Value whose inputs to nudge.", completion: CommandCompletion.variables) var expression: String
    /// A list so that the parser takes a negative step (`nudge L -0.01`, gradient descent) as a value.
    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("The step size, e.g. 0.01 (negative to descend).", valueName: "step"))
    var steps: [Double] = []
    var step: Double { steps.first ?? .nan }

    func validate() throws {
        guard steps.count == 1 else {
            throw ValidationError(
                steps.isEmpty ? "give the step size, e.g. nudge L 0.01" : "give one step size, not \(steps.count)")
        }
        guard step.isFinite else { throw ValidationError("the step must be a finite number, e.g. 0.01") }
    }

    func run(in session: Session) throws(NotebookError) {
        let output = try session.value(named: expression)
        let leaves = output.leaves()
        guard !leaves.isEmpty else { throw NotebookError("\(session.name(of: output)) has no inputs to nudge") }
        guard leaves.contains(where: { $0.grad != 0 }) else {
            throw NotebookError("every input's grad is 0, so nothing would move; run backward \(expression) first")
        }
        if let stepper = session.state.values.steppers[output], !stepper.isFinished {
            session.warn(
                "a step pass of \(expression) is half done (\(stepper.position) of \(stepper.order.count) nodes): the grads are incomplete; finish it with step \(expression) --all"
            )
        }
        let before = output.data
        var rows = [["input", "grad", "data before", "data after"]]
        for leaf in leaves {
            let old = leaf.data
            leaf.data += step * leaf.grad
            if rows.count <= Self.rowLimit {
                rows.append([
                    session.name(of: leaf), leaf.grad.compactDescription, old.compactDescription,
                    leaf.data.compactDescription
                ])
            }
        }
        output.forward()
        session.emit("each input moved by \(step.pythonDescription) × its grad:")
        Table(rows: rows, alignRight: [1, 2, 3]).lines.forEach { session.emit($0) }
        if leaves.count > Self.rowLimit {
            session.emit("… and \((leaves.count - Self.rowLimit).grouped) more inputs, moved the same way")
        }
        let change = output.data - before
        let direction = change > 0 ? "up" : change < 0 ? "down" : "unchanged"
        session.emit(
            "\(session.name(of: output)): \(before.compactDescription) → \(output.data.compactDescription)"
                + (change == 0 ? "" : " (\(direction) by \(abs(change).compactDescription))"))
    }
}
