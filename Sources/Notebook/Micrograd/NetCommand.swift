// `net NAME` describes a network: its layers, its parameter count, and how big a graph one forward
// pass or one loss builds.
import ArgumentParser
import Engine
import NotebookLanguage

struct NetCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "net",
        abstract: "Describe an MLP: its layers, parameter count, and the size of one loss's graph.",
        discussion: """
            With data (a data set, or xs ys), also the graph one loss evaluation builds over all of it: \
            its nodes and depth, and what micrograd's unfused neurons (one * and one + node per weight) \
            would build instead.
            """)
    static let group = CommandGroup.neuralNets

    @Argument(help: "The MLP.", completion: CommandCompletion.variables) var model: String
    @Argument(parsing: .allUnrecognized, help: "Data: a data set, or the inputs and targets (xs ys).") var data:
        [String] = []
    @Option(help: "The loss: hinge, squared or bce.") var loss = ValueLoss.hinge
    @Option(parsing: .unconditional, help: "The L2 penalty's factor.") var alpha = 0.0

    func run(in session: Session) throws(NotebookError) {
        let network = try session.mlp(named: model)
        let mlp = network.model
        let graphs: (fused: (nodes: Int, depth: Int), unfused: (nodes: Int, depth: Int), what: String)
        if data.isEmpty {
            let x = [Double](repeating: 0, count: mlp.inputCount)
            let outputs = mlp.outputCount == 1 ? "" : ", first output"
            graphs = (
                mlp(x)[0].graphSize(), mlp(x, fused: false)[0].graphSize(), "one forward pass (one example\(outputs))"
            )
        } else {
            let examples = try session.examples(data, for: "net", features: mlp.inputCount)
            try TrainCommand.check(examples, loss: loss, alpha: alpha, model: mlp)
            let fused = mlp.loss(on: examples, loss: loss, alpha: alpha).total
            let unfused = mlp.loss(on: examples, loss: loss, alpha: alpha, fused: false).total
            let penalty = alpha == 0 ? "" : " + \(alpha.pythonDescription)·Σp²"
            graphs = (
                fused.graphSize(), unfused.graphSize(),
                "one loss evaluation on \(data.joined(separator: " ")) (\(examples.count) example\(examples.count == 1 ? "" : "s"), \(loss.rawValue) loss\(penalty))"
            )
        }
        let trained =
            network.stepsTrained == 0
            ? "" : " (trained \(network.stepsTrained) step\(network.stepsTrained == 1 ? "" : "s"))"
        session.emit("\(model): \(mlp.summary)\(trained)")
        networkTable(mlp).forEach { session.emit($0) }
        let n = { (count: Int) in count.grouped }
        session.emit("\(graphs.what) builds a graph of \(n(graphs.fused.nodes)) nodes, depth \(graphs.fused.depth);")
        session.emit(
            "micrograd's unfused neurons would build \(n(graphs.unfused.nodes)) nodes, depth \(graphs.unfused.depth)")
    }
}
