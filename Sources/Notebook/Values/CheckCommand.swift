// `check NAME`: backpropagation against central differences, input by input, sampled on big graphs.
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

    @Argument(help: "The Value to check.", completion: CommandCompletion.variables) var expression: String
    @Option(name: .customLong("h"), parsing: .unconditional, help: "The finite-difference step.") var h: Double = 1e-6
    @Option(
        name: .long, parsing: .unconditional,
        help: "How many inputs to check (default: all, or a sample on big graphs).") var inputs: Int?

    func run(in session: Session) throws(NotebookError) {
        guard h > 0, h.isFinite else { throw NotebookError("h must be a small positive number, e.g. --h 1e-6") }
        if let inputs, inputs < 1 { throw NotebookError("--inputs must be at least 1, e.g. --inputs 100") }
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
            table.append([
                row.leaf.label.isEmpty ? "input #\(k + 1)" : row.leaf.label, row.analytic.compactDescription,
                row.numerical.compactDescription,
                errorBound(row.relativeError), verdict
            ])
        }
        session.emit("gradient check of \(session.name(of: output)) (central differences, h = \(h.pythonDescription))")
        Table(rows: table, alignRight: [1, 2, 3]).lines.forEach { session.emit($0) }
        if wanted < check.inputCount, stoppedAfter == nil {
            session.emit(
                "checked \(wanted) of \(check.inputCount.grouped) inputs, evenly spaced: each costs three passes over "
                    + "\(check.nodeCount.grouped) nodes (--inputs N to check more)")
        }
        if unreliable > 0 {
            session.emit(
                "unreliable: rounding in f(x ± h) alone could make a difference that large here; try a larger --h, e.g. --h \((h * 1000).pythonDescription)"
            )
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
