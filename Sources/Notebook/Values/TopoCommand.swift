// `topo NAME`: the nodes of a graph in topological order, as backpropagation visits them in reverse.
import ArgumentParser
import Engine
import NotebookLanguage

struct TopoCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "topo",
        abstract: "List the nodes of a graph in topological order (inputs before the nodes that use them).",
        discussion: "Backpropagation visits these nodes in reverse: from the output back to the leaves.")
    static let group = CommandGroup.graph

    @Argument(help: "The Value (a name or an expression).", completion: CommandCompletion.variables) var expression:
        String

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
