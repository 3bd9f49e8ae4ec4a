// `mlp NAME NIN SIZE…` makes a network, as `NAME = MLP(NIN, [SIZE, …])` does.
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
    @Option(help: "tanh (the lecture), relu (micrograd's demo) or linear.") var nonlin = Nonlinearity.tanh
    @Option(help: "The last layer's nonlinearity (default: the same).") var last: Nonlinearity?
    @Option(
        parsing: .unconditional,
        help: "Draw the weights as micrograd's nn.py does after random.seed(N) (CPython's random; biases 0).")
    var pythonSeed: Int?

    func validate() throws {
        if let pythonSeed, !(0...Int(UInt32.max)).contains(pythonSeed) {
            throw ValidationError("--python-seed must be from 0 to \(UInt32.max), not \(pythonSeed)")
        }
    }

    func run(in session: Session) throws(NotebookError) {
        guard sizes.count >= 2 else {
            throw NotebookError("give the number of inputs and at least one layer size, e.g. mlp \(name) 3 4 4 1")
        }
        if let bad = sizes.first(where: { $0 < 1 }) { throw NotebookError("every size must be at least 1, not \(bad)") }
        let (hidden, output) = (nonlin, last)
        try NeuralNetBuiltins.checkParameterCount(sizes, "MLP")
        let source = pythonSeed.map { WeightSource.python(seed: UInt32($0)) } ?? .torch(session.generator)
        let model = MLP(sizes[0], Array(sizes.dropFirst()), nonlinearity: hidden, last: output, drawing: source)
        try session.assign(.object(MLPObject(model)), to: name)
        let call = "MLP(\(sizes[0]), [\(sizes.dropFirst().map(String.init).joined(separator: ", "))])"
        session.emit("\(name) = \(call): \(model.summary)")
        networkTable(model).forEach { session.emit($0) }
    }
}
