// `mlp NAME NIN SIZE…` makes a network (as `NAME = MLP(NIN, [SIZE, …])` does); `net NAME` describes
// one: its layers, its parameter count, and how big a graph one forward pass or one loss builds.
import ArgumentParser
import Engine
import NotebookLanguage

struct MLPCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp",
        abstract: "Make an MLP: mlp n 3 4 4 1 is n = MLP(3, [4, 4, 1]).",
        discussion: """
            The first number is the number of inputs, the others the neurons of each layer. Weights are \
            drawn uniform in [-1, 1) from the session's generator (see seed). --nonlin sets the hidden \
            layers' nonlinearity; the last layer follows the lecture (tanh) or micrograd's nn.py (linear \
            after relu) unless --last says otherwise.
            """)
    static let group = CommandGroup.neuralNets

    @Argument(help: "The variable to assign the network to.") var name: String
    @Argument(help: "The number of inputs, then each layer's size.") var sizes: [Int] = []
    @Option(help: "tanh (the lecture), relu (micrograd's demo) or linear.") var nonlin = "tanh"
    @Option(help: "The last layer's nonlinearity.") var last: String?

    func run(in session: Session) throws(NotebookError) {
        guard sizes.count >= 2 else {
            throw NotebookError("mlp: give the number of inputs and at least one layer size, e.g. mlp \(name) 3 4 4 1")
        }
        if let bad = sizes.first(where: { $0 < 1 }) { throw NotebookError("mlp: every size must be at least 1, not \(bad)") }
        let hidden = try NeuralNetBuiltins.parseNonlinearity(nonlin, what: "mlp: nonlinearity")
        let output = try last.map { (text) throws(NotebookError) in try NeuralNetBuiltins.parseNonlinearity(text, what: "mlp: nonlinearity") }
        try NeuralNetBuiltins.checkParameterCount(sizes, "mlp: MLP")
        let model = MLP(sizes[0], Array(sizes.dropFirst()), nonlinearity: hidden, last: output, generator: session.generator)
        try session.assign(.object(MLPObject(model)), to: name, for: "mlp")
        let call = "MLP(\(sizes[0]), [\(sizes.dropFirst().map(String.init).joined(separator: ", "))])"
        session.emit("\(name) = \(call): \(model.summary)")
        networkTable(model).forEach { session.emit($0) }
    }
}

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

    @Argument(help: "The MLP.") var model: String
    @Argument(parsing: .allUnrecognized, help: "Data: a data set, or the inputs and targets (xs ys).") var data: [String] = []
    @Option(help: "The loss: hinge, squared or bce.") var loss = "hinge"
    @Option(help: "The L2 penalty's factor.") var alpha = 0.0

    func run(in session: Session) throws(NotebookError) {
        let network = try session.mlp(named: model, for: "net")
        let mlp = network.model
        let graphs: (fused: (nodes: Int, depth: Int), unfused: (nodes: Int, depth: Int), what: String)
        if data.isEmpty {
            let x = [Double](repeating: 0, count: mlp.inputCount)
            let outputs = mlp.outputCount == 1 ? "" : ", first output"
            graphs = (mlp(x)[0].graphSize(), mlp(x, fused: false)[0].graphSize(), "one forward pass (one example\(outputs))")
        } else {
            let examples = try session.examples(data, for: "net", features: mlp.inputCount)
            let loss = try ValueLoss.named(self.loss, for: "net")
            try TrainCommand.check(examples, loss: loss, alpha: alpha, model: mlp, command: "net")
            let fused = mlp.loss(on: examples, loss: loss, alpha: alpha).total
            let unfused = mlp.loss(on: examples, loss: loss, alpha: alpha, fused: false).total
            let penalty = alpha == 0 ? "" : " + \(alpha.pythonDescription)·Σp²"
            graphs = (fused.graphSize(), unfused.graphSize(),
                      "one loss evaluation on \(data.joined(separator: " ")) (\(examples.count) example\(examples.count == 1 ? "" : "s"), \(loss.rawValue) loss\(penalty))")
        }
        let trained = network.stepsTrained == 0 ? "" : " (trained \(network.stepsTrained) step\(network.stepsTrained == 1 ? "" : "s"))"
        session.emit("\(model): \(mlp.summary)\(trained)")
        networkTable(mlp).forEach { session.emit($0) }
        let n = NeuralNetBuiltins.grouped
        session.emit("\(graphs.what) builds a graph of \(n(graphs.fused.nodes)) nodes, depth \(graphs.fused.depth);")
        session.emit("micrograd's unfused neurons would build \(n(graphs.unfused.nodes)) nodes, depth \(graphs.unfused.depth)")
    }
}
