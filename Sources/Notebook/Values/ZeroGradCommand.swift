// `zero_grad NAME`: every grad of a graph back to 0, before a fresh backward pass.
import ArgumentParser
import Engine
import NotebookLanguage

struct ZeroGradCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "zero_grad",
        abstract: "Set the grad of every node of a graph to zero.",
        aliases: ["zero-grad", "zerograd"])
    static let group = CommandGroup.graph

    @Argument(help: "The Value whose graph to clear.", completion: CommandCompletion.variables) var expression: String

    func run(in session: Session) throws(NotebookError) {
        let output = try session.value(named: expression)
        output.zeroGrad()
        session.state.values.steppers[output] = nil
        session.emit("grads of \(count(output.topologicalOrder().count, "node")) set to 0")
    }
}
