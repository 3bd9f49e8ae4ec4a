// The neural-net objects of the notebook, answering what micrograd's classes answer: `n(x)`,
// `n.layers`, `n.parameters()`, `n.zero_grad()`, `layer.neurons`, `neuron.w`, `neuron.b`; and a data
// set with `d.xs` and `d.ys`.
import Engine
import NotebookLanguage

/// An `MLP` in the notebook (`n = MLP(3, [4, 4, 1])`).
final class MLPObject: NotebookObject {
    static let typeName = "MLP"
    let model: MLP
    /// Training steps the `train` command has taken on this model, over all its runs.
    var stepsTrained = 0

    init(_ model: MLP) { self.model = model }

    var description: String { model.description }
    let attributeNames = ["layers", "parameters", "zero_grad"]

    func attribute(_ name: String) throws(NotebookError) -> Object {
        switch name {
        case "layers": return .list(model.layers.map { .object(LayerObject($0)) })
        case "parameters", "zero_grad": return moduleMethod(name, of: model)
        default:
            throw .unknown(
                "MLP attribute", name, among: attributeNames, hint: "an MLP has layers, parameters() and zero_grad()")
        }
    }

    /// `n(x)`: one Value for one output, a list for several (micrograd's `outs[0] if len(outs) == 1 else outs`).
    func call(_ arguments: Arguments) throws(NotebookError) -> Object {
        let x = try networkInput(arguments, count: model.inputCount, owner: model.architecture)
        return outputs(model(x, fused: false))  // micrograd's graph: a * and a + node per input
    }
}

/// One `Layer` in the notebook (`n.layers[0]`, or `Layer(2, 3)`).
final class LayerObject: NotebookObject {
    static let typeName = "Layer"
    let layer: Layer

    init(_ layer: Layer) { self.layer = layer }

    var description: String { layer.description }
    let attributeNames = ["neurons", "parameters", "zero_grad"]

    func attribute(_ name: String) throws(NotebookError) -> Object {
        switch name {
        case "neurons": return .list(layer.neurons.map { .object(NeuronObject($0)) })
        case "parameters", "zero_grad": return moduleMethod(name, of: layer)
        default:
            throw .unknown(
                "Layer attribute", name, among: attributeNames,
                hint: "a Layer has neurons, parameters() and zero_grad()")
        }
    }

    func call(_ arguments: Arguments) throws(NotebookError) -> Object {
        let x = try networkInput(arguments, count: layer.inputCount, owner: "a layer of \(layer.inputCount) inputs")
        return outputs(layer(x, fused: false))
    }
}

/// One `Neuron` in the notebook (`n.layers[0].neurons[0]`, or `Neuron(2)`).
final class NeuronObject: NotebookObject {
    static let typeName = "Neuron"
    let neuron: Neuron

    init(_ neuron: Neuron) { self.neuron = neuron }

    var description: String { neuron.description }
    let attributeNames = ["w", "b", "parameters", "zero_grad", "nonlin"]

    func attribute(_ name: String) throws(NotebookError) -> Object {
        switch name {
        case "w": return .list(neuron.weights.map(Object.value))
        case "b": return .value(neuron.bias)
        case "nonlin": return .string(neuron.nonlinearity.rawValue)
        case "parameters", "zero_grad": return moduleMethod(name, of: neuron)
        default:
            throw .unknown(
                "Neuron attribute", name, among: attributeNames, hint: "a Neuron has w, b, parameters() and zero_grad()"
            )
        }
    }

    func call(_ arguments: Arguments) throws(NotebookError) -> Object {
        let x = try networkInput(arguments, count: neuron.weights.count, owner: neuron.description)
        return .value(neuron.unfused(x))
    }
}

/// A data set in the notebook (`d = moons(100, noise=0.1)`, or the `data` command).
final class DatasetObject: NotebookObject {
    static let typeName = "Dataset"
    let data: ToyDataset

    init(_ data: ToyDataset) { self.data = data }

    var description: String { data.description }
    let attributeNames = ["xs", "ys"]

    func attribute(_ name: String) throws(NotebookError) -> Object {
        switch name {
        case "xs", "X": return .list(data.inputs.map { row in .list(row.map(Object.number)) })
        case "ys", "y": return .list(data.targets.map(Object.number))
        default:
            throw .unknown(
                "Dataset attribute", name, among: attributeNames,
                hint: "a Dataset has xs (the inputs) and ys (the labels)")
        }
    }
}

// MARK: Shared pieces

/// `parameters()` and `zero_grad()`, as micrograd's `Module` has them.
private func moduleMethod(_ name: String, of module: any ValueModule) -> Object {
    .function(
        Function(name: name) { (args) throws(NotebookError) in
            try args.expect(atMost: 0)
            if name == "zero_grad" {
                module.zeroGrad()
                return .none
            }
            return .list(module.parameters().map(Object.value))
        })
}

/// A network's outputs as micrograd returns them: the Value itself when there is one.
private func outputs(_ values: [Value]) -> Object {
    values.count == 1 ? .value(values[0]) : .list(values.map(Object.value))
}

/// The one argument of `n(x)` as the network's inputs: numbers become constants, Values stay.
private func networkInput(_ arguments: Arguments, count: Int, owner: String) throws(NotebookError) -> [Value] {
    try arguments.expect(atMost: 1)
    guard let x = arguments.positional.first else {
        throw NotebookError("\(owner) needs its inputs: a list of \(count) number\(count == 1 ? "" : "s")")
    }
    let items: [Object]
    switch x {
    case .list(let box): items = box.items
    case .tuple(let tuple): items = tuple.items
    default:
        throw NotebookError(
            "the input x must be a list of \(count) number\(count == 1 ? "" : "s"), not \(x.typeNameWithArticle)")
    }
    guard items.count == count else {
        throw NotebookError("\(owner) takes \(count) input\(count == 1 ? "" : "s"), but x has \(items.count)")
    }
    var inputs: [Value] = []
    for (i, item) in items.enumerated() {
        switch item {
        case .value(let v): inputs.append(v)
        case .int, .float, .bool: inputs.append(Value(constant: try item.number(as: "x[\(i)]")))
        default: throw NotebookError("x[\(i)] must be a number, not \(item.typeNameWithArticle)")
        }
    }
    return inputs
}
