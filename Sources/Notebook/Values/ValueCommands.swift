// Commands on a `Value` graph: its nodes in order, backward, zero_grad and forward.
import ArgumentParser
import Engine
import NotebookLanguage

struct TopoCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "topo",
        abstract: "List the nodes of a graph in topological order (inputs before the nodes that use them).",
        discussion: "Backpropagation visits these nodes in reverse: from the output back to the leaves.")
    static let group = CommandGroup.graph

    @Argument(help: "The Value (a name or an expression).") var expression: String

    func run(in session: Session) throws(NotebookError) {
        let output = try session.value(named: expression)
        let order = output.topologicalOrder()
        var rows = [["#", "node", "made by", "data", "grad"]]
        for (index, node) in order.enumerated() {
            try Interrupt.check()
            let madeBy =
                node.inputs.isEmpty
                ? (node.op == .constant ? "constant" : "input")
                : node.op.symbol + " " + node.inputs.map(session.name(of:)).joined(separator: ", ")
            rows.append(["\(index + 1)", session.name(of: node), madeBy, node.data.fixed(4), node.grad.fixed(4)])
        }
        Table(rows: rows, alignRight: [0, 3, 4]).lines.forEach { session.emit($0) }
    }
}

struct BackwardCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "backward",
        abstract: "Backpropagate from a Value: add d(output)/d(node) to every node's grad.",
        discussion:
            "Same as NAME.backward(). Gradients add up, as in PyTorch: run zero_grad NAME first to start from zero.")
    static let group = CommandGroup.graph

    @Argument(help: "The Value to backpropagate from.") var expression: String

    func run(in session: Session) throws(NotebookError) {
        let output = try session.value(named: expression)
        session.interpreter.backward(output)
        let named = output.topologicalOrder().reversed().filter { !$0.label.isEmpty }
        let shown = named.prefix(12).map { "\($0.label).grad = \($0.grad.compactDescription)" }
        session.emit(
            shown.joined(separator: "   ")
                + (named.count > 12 ? "   … (\(named.count - 12) more; see topo \(expression))" : ""))
    }
}

struct ZeroGradCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "zero_grad",
        abstract: "Set the grad of every node of a graph to zero.",
        aliases: ["zero-grad", "zerograd"])
    static let group = CommandGroup.graph

    @Argument(help: "The Value whose graph to clear.") var expression: String

    func run(in session: Session) throws(NotebookError) {
        let output = try session.value(named: expression)
        output.zeroGrad()
        session.state.values.steppers[output] = nil
        session.emit("grads of \(output.topologicalOrder().count) nodes set to 0")
    }
}

struct ForwardCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Recompute a Value from its inputs' current data (after x.data = …).")
    static let group = CommandGroup.graph

    @Argument(help: "The Value to recompute.") var expression: String

    func run(in session: Session) throws(NotebookError) {
        let output = try session.value(named: expression)
        let before = output.data
        output.forward()
        let change = before == output.data ? "unchanged" : "was \(before.pythonDescription)"
        session.emit("\(output)   (\(change))")
    }
}
