// `forward NAME`: recompute a graph's values after its inputs changed.
import ArgumentParser
import Engine
import NotebookLanguage

struct ForwardCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Recompute a Value from its inputs' current data (after x.data = …).")
    static let group = CommandGroup.graph

    @Argument(help: "The Value to recompute.", completion: CommandCompletion.variables) var expression: String

    func run(in session: Session) throws(NotebookError) {
        let output = try session.value(named: expression)
        let before = output.data
        output.forward()
        let change = before == output.data ? "unchanged" : "was \(before.pythonDescription)"
        session.emit("\(output)   (\(change))")
    }
}
