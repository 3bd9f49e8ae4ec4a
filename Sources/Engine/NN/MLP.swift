// micrograd's multi-layer perceptron: layers one after another, each layer's outputs the next one's
// inputs. `MLP(3, [4, 4, 1])` is the lecture's; `MLP(2, [16, 16, 1], nonlinearity: .relu)` the demo's.

/// A multi-layer perceptron of `Value` neurons.
///
/// ```swift
/// let g = TorchGenerator()
/// let n = MLP(3, [4, 4, 1], generator: g)           // the lecture's: tanh everywhere
/// let out = n([2.0, 3.0, -1.0])[0]                  // one Value
/// print(n)            // MLP of [Layer of [TanhNeuron(3), …], Layer of […], Layer of [TanhNeuron(4)]]
/// print(n.summary)    // MLP(3 → 4 → 4 → 1), tanh, 41 parameters
/// ```
///
/// The hidden layers use `nonlinearity`; the last layer uses `last`, which defaults to the convention
/// of each source: tanh in the lecture (its last layer is tanh too), linear after ReLU as in
/// micrograd's nn.py, where the output is a score for a margin loss.
public final class MLP: ValueModule {
    public let layers: [Layer]

    /// Layers of `layerSizes` neurons over `inputCount` inputs, drawn from `generator` layer by layer.
    /// - Precondition: `inputCount >= 1`, `layerSizes` is not empty and every size is at least 1.
    public convenience init(
        _ inputCount: Int, _ layerSizes: [Int], nonlinearity: Nonlinearity = .tanh,
        last: Nonlinearity? = nil, generator: TorchGenerator
    ) {
        self.init(inputCount, layerSizes, nonlinearity: nonlinearity, last: last, drawing: .torch(generator))
    }

    /// The same, with every weight from `source` (CPython's `random`, for micrograd's demo).
    public init(
        _ inputCount: Int, _ layerSizes: [Int], nonlinearity: Nonlinearity = .tanh,
        last: Nonlinearity? = nil, drawing source: WeightSource
    ) {
        precondition(
            inputCount >= 1 && !layerSizes.isEmpty && layerSizes.allSatisfy { $0 >= 1 },
            "an MLP needs at least one input and one layer, each of at least one neuron")
        let sizes = [inputCount] + layerSizes
        let output = last ?? (nonlinearity == .relu ? .linear : nonlinearity)
        layers = layerSizes.indices.map { i in
            Layer(
                sizes[i], sizes[i + 1], nonlinearity: i == layerSizes.count - 1 ? output : nonlinearity,
                drawing: source)
        }
    }

    public var inputCount: Int { layers[0].inputCount }
    public var outputCount: Int { layers[layers.count - 1].outputCount }
    /// The number of neurons in each layer: `[4, 4, 1]`.
    public var layerSizes: [Int] { layers.map(\.outputCount) }

    /// The outputs for inputs that are `Value`s; `fused: false` builds micrograd's unfused graph.
    /// - Precondition: `x.count == inputCount`.
    public func callAsFunction(_ x: [Value], fused: Bool = true) -> [Value] {
        precondition(x.count == inputCount, "\(x.count) inputs for an MLP of \(inputCount)")
        var activations = x
        for layer in layers { activations = layer(activations, fused: fused) }
        return activations
    }

    /// The outputs for plain-number inputs, which enter the graph as constants.
    public func callAsFunction(_ x: [Double], fused: Bool = true) -> [Value] {
        self(x.map { Value(constant: $0) }, fused: fused)
    }

    /// The outputs on plain numbers, building no graph: for predictions and decision boundaries.
    public func predict(_ x: [Double]) -> [Double] {
        var activations = x
        for layer in layers { activations = layer.predict(activations) }
        return activations
    }

    public func parameters() -> [Value] { layers.flatMap { $0.parameters() } }

    /// micrograd's repr: `MLP of [Layer of [TanhNeuron(3), …], …]`, every neuron listed.
    public var description: String { "MLP of [\(layers.map(\.description).joined(separator: ", "))]" }

    /// `MLP(3 → 4 → 4 → 1)`: the inputs and each layer's size.
    public var architecture: String {
        "MLP(" + ([inputCount] + layerSizes).map(String.init).joined(separator: " → ") + ")"
    }

    /// `MLP(3 → 4 → 4 → 1), tanh, 41 parameters`; `relu, linear last` when the last layer differs.
    public var summary: String {
        let hidden = layers.count > 1 ? layers[0].nonlinearity : layers[layers.count - 1].nonlinearity
        let lastLayer = layers[layers.count - 1].nonlinearity
        let activations = hidden == lastLayer ? "\(hidden)" : "\(hidden), \(lastLayer) last"
        let count = parameterCount
        return "\(architecture), \(activations), \(count) parameter\(count == 1 ? "" : "s")"
    }
}
