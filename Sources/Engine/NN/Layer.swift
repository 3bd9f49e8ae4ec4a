// micrograd's layer: neurons side by side, each seeing every input and giving one output.

/// A layer of `outputCount` neurons over the same `inputCount` inputs.
///
/// ```swift
/// let layer = Layer(2, 3, generator: TorchGenerator())   // Layer of [TanhNeuron(2), TanhNeuron(2), TanhNeuron(2)]
/// let outs = layer([Value(2.0), Value(3.0)])               // 3 Values
/// ```
public final class Layer: ValueModule {
    public let neurons: [Neuron]

    /// `outputCount` neurons, drawn one after another (each its weights, then its bias) from `generator`.
    /// - Precondition: both counts are at least 1.
    public convenience init(
        _ inputCount: Int, _ outputCount: Int, nonlinearity: Nonlinearity = .tanh, generator: TorchGenerator
    ) {
        self.init(inputCount, outputCount, nonlinearity: nonlinearity, drawing: .torch(generator))
    }

    /// `outputCount` neurons whose weights come from `source`, one neuron after another.
    public init(_ inputCount: Int, _ outputCount: Int, nonlinearity: Nonlinearity = .tanh, drawing source: WeightSource)
    {
        precondition(outputCount >= 1, "a layer needs at least one neuron")
        neurons = (0..<outputCount).map { _ in Neuron(inputCount, nonlinearity: nonlinearity, drawing: source) }
    }

    public var inputCount: Int { neurons[0].weights.count }
    public var outputCount: Int { neurons.count }
    public var nonlinearity: Nonlinearity { neurons[0].nonlinearity }

    /// Every neuron's output for `x`; `fused: false` builds micrograd's unfused graph.
    public func callAsFunction(_ x: [Value], fused: Bool = true) -> [Value] {
        fused ? neurons.map { $0(x) } : neurons.map { $0.unfused(x) }
    }

    /// Every neuron's output on plain numbers, building no graph.
    public func predict(_ x: [Double]) -> [Double] {
        neurons.map { $0.predict(x) }
    }

    public func parameters() -> [Value] { neurons.flatMap { $0.parameters() } }

    /// micrograd's repr: `Layer of [TanhNeuron(3), TanhNeuron(3)]`.
    public var description: String { "Layer of [\(neurons.map(\.description).joined(separator: ", "))]" }
}
