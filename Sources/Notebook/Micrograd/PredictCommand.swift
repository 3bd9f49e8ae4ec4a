// `predict MODEL POINT`: an MLP's output for new inputs — one point, a list of points or a data set —
// and, with --graph, the graph behind one prediction or behind one neuron's output.
import ArgumentParser
import Engine
import NotebookLanguage

struct PredictCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Run an MLP on new inputs: predict n [2.0, 3.0, -1.0], predict n xs, predict n d.",
        discussion: """
            For one point, the output (its sign is the class); for several points or a data set, a table \
            (with each label, and the accuracy, for a data set). --graph shows the graph of one point's \
            prediction; with --layer L --neuron J (from 0, as n.layers[L].neurons[J]), only the graph \
            up to that neuron's output.
            """)
    static let group = CommandGroup.neuralNets

    @Argument(help: "The MLP.", completion: CommandCompletion.variables) var model: String
    @Argument(parsing: .allUnrecognized, help: "The inputs: a list of numbers, a list of lists, or a data set.")
    var input: [String] = []
    @Flag(help: "Show the graph behind the prediction.") var graph = false
    @Option(parsing: .unconditional, help: "With --graph: the layer of the neuron to show (from 0).") var layer: Int?
    @Option(parsing: .unconditional, help: "With --graph: the neuron within the layer (from 0).") var neuron: Int?

    static let shownRows = 12

    func run(in session: Session) throws(NotebookError) {
        let mlp = try session.mlp(named: model).model
        guard !input.isEmpty else {
            throw NotebookError(
                "give the inputs, e.g. predict \(model) [\(Array(repeating: "1.0", count: mlp.inputCount).joined(separator: ", "))]"
            )
        }
        let text = input.joined(separator: " ")
        let object = try session.object(named: text)
        if case .object(let set as DatasetObject) = object {
            guard !graph else {
                throw NotebookError(
                    "--graph shows one point's prediction; give one point, e.g. predict \(model) [1.0, 0.5] --graph")
            }
            return try table(mlp, set.data.inputs, labels: set.data.targets, session)
        }
        guard case .list(let box) = object, let first = box.items.first else {
            throw NotebookError(
                "the inputs must be a list of \(mlp.inputCount) numbers (or a list of such lists), not \(object.typeName == "list" ? "an empty list" : "\(object.typeNameWithArticle)")"
            )
        }
        if case .list = first {
            guard !graph else {
                throw NotebookError("--graph shows one point's prediction; give one point, not a list of them")
            }
            let points = try box.items.enumerated().map { (i, item) throws(NotebookError) in
                try point(item, mlp, "inputs[\(i)]")
            }
            return try table(mlp, points, labels: nil, session)
        }
        let x = try point(object, mlp, "the input")
        if graph { return try showGraph(mlp, x, session) }
        guard layer == nil, neuron == nil else { throw NotebookError("--layer and --neuron go with --graph") }
        let outputs = mlp.predict(x)
        let shown =
            outputs.count == 1 ? outputs[0].fixed(4) : "[" + outputs.map { $0.fixed(4) }.joined(separator: ", ") + "]"
        let call = "\(model)([\(x.map(\.pythonDescription).joined(separator: ", "))])"
        session.emit("\(call) = \(shown)" + (outputs.count == 1 ? "   (class \(outputs[0] > 0 ? "1" : "-1"))" : ""))
    }

    /// One input vector: `inputCount` finite numbers.
    private func point(_ object: Object, _ mlp: MLP, _ place: String) throws(NotebookError) -> [Double] {
        guard case .list(let box) = object else {
            throw NotebookError(
                "\(place) must be a list of \(mlp.inputCount) numbers, not \(object.typeNameWithArticle)")
        }
        guard box.items.count == mlp.inputCount else {
            throw NotebookError(
                "\(model) takes \(mlp.inputCount) input\(mlp.inputCount == 1 ? "" : "s"), but \(place) has \(box.items.count)"
            )
        }
        var x: [Double] = []
        for (j, item) in box.items.enumerated() {
            switch item {
            case .int, .float, .bool, .value: break
            default: throw NotebookError("\(place)[\(j)] must be a number, not \(item.typeNameWithArticle)")
            }
            let n = try item.number(as: "\(place)[\(j)]")
            guard n.isFinite else {
                throw NotebookError("\(place)[\(j)] is \(n.pythonDescription); give finite numbers")
            }
            x.append(n)
        }
        return x
    }

    /// A table of predictions, with the labels and the accuracy when they are known.
    private func table(_ mlp: MLP, _ points: [[Double]], labels: [Double]?, _ session: Session) throws(NotebookError) {
        guard !points.isEmpty else { throw NotebookError("there are no points to predict") }
        if let first = points.first, first.count != mlp.inputCount {
            throw NotebookError("\(model) takes \(mlp.inputCount) inputs, but the points have \(first.count)")
        }
        let scores = points.map { mlp.predict($0) }
        var rows = [
            ["#", "x", mlp.outputCount == 1 ? "score" : "outputs"] + (mlp.outputCount == 1 ? ["class"] : [])
                + (labels == nil ? [] : ["label", ""])
        ]
        for (i, (x, out)) in zip(points, scores).enumerated().prefix(Self.shownRows) {
            var row = [
                "\(i)", x.map { $0.fixed(2) }.joined(separator: ", "), out.map { $0.fixed(4) }.joined(separator: ", ")
            ]
            if out.count == 1 { row.append(out[0] > 0 ? "1" : "-1") }
            if let labels {
                row.append(labels[i] > 0 ? "1" : "-1")
                row.append(out.count == 1 && (out[0] > 0) == (labels[i] > 0) ? "✓" : "✗")
            }
            rows.append(row)
        }
        Table(rows: rows, alignRight: [0, 2, 3, 4]).lines.forEach { session.emit($0) }
        if points.count > Self.shownRows { session.emit("… \(points.count - Self.shownRows) more") }
        if let labels, mlp.outputCount == 1 {
            let accuracy = ToyDataset.accuracy(scores.map { $0[0] }, labels)
            let right = Int((accuracy * Double(labels.count)).rounded())
            session.emit("accuracy \(TrainCommand.percent(accuracy)) (\(right) of \(labels.count))")
        }
    }

    /// The inputs as constants labelled x0, x1, …, so the graph names them.
    private func inputs(_ x: [Double]) -> [Value] {
        x.enumerated().map { i, xi in
            let input = Value(constant: xi)
            input.label = "x\(i)"
            return input
        }
    }

    /// The graph of one prediction, or of one neuron's output on the way.
    private func showGraph(_ mlp: MLP, _ x: [Double], _ session: Session) throws(NotebookError) {
        let value: Value
        let what: String
        if layer != nil || neuron != nil {
            let l = layer ?? 0
            let j = neuron ?? 0
            guard mlp.layers.indices.contains(l) else {
                throw NotebookError("--layer must be from 0 to \(mlp.layers.count - 1), not \(l)")
            }
            guard mlp.layers[l].neurons.indices.contains(j) else {
                throw NotebookError(
                    "layer \(l) has neurons 0 to \(mlp.layers[l].outputCount - 1); there is no neuron \(j)")
            }
            var activations = inputs(x)
            for earlier in mlp.layers[..<l] { activations = earlier(activations) }
            value = mlp.layers[l].neurons[j](activations)
            what = "\(model).layers[\(l)].neurons[\(j)] (\(mlp.layers[l].neurons[j]))"
        } else {
            let outputs = mlp(inputs(x))
            value = outputs[0]
            what = "\(model)" + (outputs.count == 1 ? "" : "'s first output")
        }
        session.emit("\(what) on [\(x.map(\.pythonDescription).joined(separator: ", "))] = \(value.data.fixed(4))")
        session.predictionGraph(value).forEach { session.emit($0) }
    }
}
