// `backward NAME`: the whole backward pass at once, as micrograd's `L.backward()`.
import ArgumentParser
import Engine
import NotebookLanguage

struct BackwardCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "backward",
        abstract: "Backpropagate from a Value: add d(output)/d(node) to every node's grad.",
        discussion:
            "Same as NAME.backward(). Gradients add up, as in PyTorch: run zero_grad NAME first to start from zero.")
    static let group = CommandGroup.graph

    @Argument(help: "The Value to backpropagate from.", completion: CommandCompletion.variables) var expression: String

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
