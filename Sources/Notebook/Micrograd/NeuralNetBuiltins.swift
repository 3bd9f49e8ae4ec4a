// The neural-net built-ins of the notebook language: micrograd's classes `Neuron`, `Layer` and `MLP`,
// and the data sets `moons`, `circles`, `xor`, `blobs`. Everything they draw comes from the session's
// generator (`seed N` resets it), so a lesson gives the same network every time.
import Engine
import NotebookLanguage

/// A built-in that draws random numbers: called like a function, drawing from its interpreter's
/// generator (the session's).
final class RandomBuiltin: NotebookObject {
    static let typeName = "function"
    let name: String
    let isClass: Bool
    unowned let interpreter: Interpreter
    let body: (Arguments, TorchGenerator) throws(NotebookError) -> Object

    init(
        _ name: String, isClass: Bool, interpreter: Interpreter,
        body: @escaping (Arguments, TorchGenerator) throws(NotebookError) -> Object
    ) {
        self.name = name
        self.isClass = isClass
        self.interpreter = interpreter
        self.body = body
    }

    var description: String { isClass ? "<class '\(name)'>" : "<function \(name)>" }
    let attributeNames: [String] = []

    func attribute(_ attribute: String) throws(NotebookError) -> Object {
        throw NotebookError("\(name) has no attribute '\(attribute)'")
    }

    func call(_ arguments: Arguments) throws(NotebookError) -> Object {
        try body(
            Arguments(function: name, positional: arguments.positional, keywords: arguments.keywords),
            interpreter.host.generator)
    }
}

enum NeuralNetBuiltins {
    /// The most parameters a notebook network may have: the scalar engine makes a node per number.
    static let maximumParameters = 100_000

    /// The built-ins, drawing from `interpreter`'s generator.
    static func entries(_ interpreter: Interpreter) -> [(String, Object)] {
        unowned let interpreter = interpreter  // the built-ins live in the interpreter's own table
        func make(
            _ name: String, isClass: Bool = false,
            _ body: @escaping (Arguments, TorchGenerator) throws(NotebookError) -> Object
        ) -> (String, Object) {
            (name, .object(RandomBuiltin(name, isClass: isClass, interpreter: interpreter, body: body)))
        }
        var entries = [
            make("Neuron", isClass: true) { (args, g) throws(NotebookError) in
                try args.expect(atMost: 2, keywords: ["nin", "nonlin"])
                let nin = try size(args, 0, "nin")
                try checkParameterCount([nin, 1], args.function)
                let nonlinearity = try Self.nonlinearity(args, 1, "nonlin") ?? .tanh
                return .object(NeuronObject(Neuron(nin, nonlinearity: nonlinearity, generator: g)))
            },
            make("Layer", isClass: true) { (args, g) throws(NotebookError) in
                try args.expect(atMost: 3, keywords: ["nin", "nout", "nonlin"])
                let nin = try size(args, 0, "nin")
                let nout = try size(args, 1, "nout")
                try checkParameterCount([nin, nout], args.function)
                let nonlinearity = try Self.nonlinearity(args, 2, "nonlin") ?? .tanh
                return .object(LayerObject(Layer(nin, nout, nonlinearity: nonlinearity, generator: g)))
            },
            make("MLP", isClass: true) { (args, g) throws(NotebookError) in
                try args.expect(atMost: 4, keywords: ["nin", "nouts", "nonlin", "last"])
                let (nin, sizes) = try mlpShape(args)
                return .object(
                    MLPObject(
                        MLP(
                            nin, sizes, nonlinearity: try Self.nonlinearity(args, 2, "nonlin") ?? .tanh,
                            last: try Self.nonlinearity(args, 3, "last"), generator: g)))
            }
        ]
        for shape in ToyShape.allCases where shape != .lecture {
            entries.append(
                make(shape.rawValue) { (args, g) throws(NotebookError) in
                    try args.expect(atMost: 3, keywords: ["n", "noise", "seed"] + (shape == .circles ? ["factor"] : []))
                    let count = try args.value(0, "n").map { (o) throws(NotebookError) in
                        try o.integer(as: "\(shape)() argument 'n'")
                    }
                    let noise = try args.value(1, "noise").map { (o) throws(NotebookError) in
                        try o.number(as: "\(shape)() argument 'noise'")
                    }
                    let seed = try args.value(2, "seed").map { (o) throws(NotebookError) in
                        try o.integer(as: "\(shape)() argument 'seed'")
                    }
                    let factor = try args.value(.max, "factor").map { (o) throws(NotebookError) in
                        try o.number(as: "circles() argument 'factor'")
                    }
                    return .object(
                        DatasetObject(
                            try shape.make(count: count, noise: noise, factor: factor, seed: seed, generator: g)))
                })
        }
        return entries
    }

    // MARK: Arguments

    /// `MLP(nin, nouts)`'s numbers, checked: at least one input, a non-empty list of sizes ≥ 1, and
    /// no more than `maximumParameters` parameters.
    static func mlpShape(_ args: Arguments) throws(NotebookError) -> (Int, [Int]) {
        let nin = try size(args, 0, "nin")
        guard let nouts = args.value(1, "nouts") else {
            throw NotebookError("MLP() needs the layer sizes too, e.g. MLP(3, [4, 4, 1])")
        }
        guard case .list(let box) = nouts else {
            throw NotebookError(
                "MLP() argument 'nouts' must be a list of layer sizes, e.g. [4, 4, 1], not \(nouts.typeNameWithArticle)"
            )
        }
        guard !box.items.isEmpty else { throw NotebookError("MLP() needs at least one layer: nouts is empty") }
        var sizes: [Int] = []
        for (i, item) in box.items.enumerated() {
            let n = try item.integer(as: "MLP() layer size nouts[\(i)]")
            guard n >= 1 else { throw NotebookError("MLP() layer size nouts[\(i)] must be at least 1, not \(n)") }
            sizes.append(n)
        }
        try checkParameterCount([nin] + sizes, "MLP")
        return (nin, sizes)
    }

    /// A whole number ≥ 1 (an input count or a layer size).
    private static func size(_ args: Arguments, _ index: Int, _ name: String) throws(NotebookError) -> Int {
        guard let value = args.value(index, name) else {
            throw NotebookError(
                "\(args.function)() needs the argument '\(name)', e.g. \(args.function == "MLP" ? "MLP(3, [4, 4, 1])" : args.function == "Layer" ? "Layer(2, 3)" : "Neuron(2)")"
            )
        }
        let n = try value.integer(as: "\(args.function)() argument '\(name)'")
        guard n >= 1 else { throw NotebookError("\(args.function)() argument '\(name)' must be at least 1, not \(n)") }
        return n
    }

    /// Refuses networks whose layer sizes (inputs first) make more than `maximumParameters` parameters.
    static func checkParameterCount(_ sizes: [Int], _ function: String) throws(NotebookError) {
        var count = 0.0
        for i in 0..<(sizes.count - 1) { count += (Double(sizes[i]) + 1) * Double(sizes[i + 1]) }
        guard count <= Double(maximumParameters) else {
            let shown = count < 1e15 ? Int(count).grouped : count.compactDescription
            throw NotebookError(
                "\(function)() would make \(shown) parameters; the scalar engine takes at most \(maximumParameters.grouped) (one Value each)"
            )
        }
    }

    /// A nonlinearity named by a string argument, or nil when it is not given.
    static func nonlinearity(_ args: Arguments, _ index: Int, _ name: String) throws(NotebookError) -> Nonlinearity? {
        guard args.value(index, name) != nil else { return nil }
        return try parseNonlinearity(try args.string(index, name), what: "\(args.function)() \(name)")
    }

    static func parseNonlinearity(_ text: String, what: String) throws(NotebookError) -> Nonlinearity {
        if let n = Nonlinearity(rawValue: text.lowercased()) { return n }
        throw .unknown(what, text, among: Nonlinearity.allCases.map(\.rawValue), hint: "choose tanh, relu or linear")
    }
}
