// micrograd's neuron: a weighted sum of the inputs plus a bias, then a nonlinearity. The lecture's
// neurons use tanh; micrograd's nn.py (and its moons demo) uses ReLU, with a linear output layer.
import Foundation

/// What a neuron applies to its weighted sum.
public enum Nonlinearity: String, CaseIterable, Sendable, CustomStringConvertible {
    /// tanh(w·x + b), squashing to (−1, 1): the lecture's neuron.
    case tanh
    /// max(0, w·x + b): micrograd's nn.py and the moons demo.
    case relu
    /// w·x + b unchanged: micrograd's output layer, a score rather than a squashed value.
    case linear

    /// The nonlinearity applied to a `Value`, building its node (none for `.linear`).
    public func callAsFunction(_ x: Value) -> Value {
        switch self {
        case .tanh: x.tanh()
        case .relu: x.relu()
        case .linear: x
        }
    }

    /// The same on a plain number, for predictions that build no graph.
    public func callAsFunction(_ x: Double) -> Double {
        switch self {
        case .tanh: lectureTanh(x)
        case .relu: Swift.max(0, x)
        case .linear: x
        }
    }

    /// The prefix of a neuron's name in micrograd's repr: `TanhNeuron(3)`, `ReLUNeuron(2)`.
    public var neuronPrefix: String {
        switch self {
        case .tanh: "Tanh"
        case .relu: "ReLU"
        case .linear: "Linear"
        }
    }

    public var description: String { rawValue }
}

/// One neuron: out = f(w₀x₀ + w₁x₁ + … + b).
///
/// ```swift
/// let g = TorchGenerator()
/// let neuron = Neuron(2, generator: g)          // TanhNeuron(2): w and b uniform in (−1, 1)
/// let out = neuron([Value(2.0), Value(3.0)])
/// ```
///
/// Initialisation draws each weight uniform in [−1, 1) from `generator`, as micrograd does with
/// `random.uniform(-1, 1)`. The bias follows the source of each nonlinearity: the lecture's tanh
/// neuron draws it uniformly too; micrograd's nn.py (ReLU and linear neurons) starts it at 0.
/// The parameters are labelled `w0`, `w1`, …, `b` within their neuron, as the lecture names a
/// neuron's `w1`, `w2`, `b`, so graphs and backward steps can name them.
public final class Neuron: ValueModule {
    /// The weights w, one per input (micrograd's `w`).
    public let weights: [Value]
    /// The bias b (micrograd's `b`).
    public let bias: Value
    public let nonlinearity: Nonlinearity

    /// A neuron with `inputCount` weights drawn from `generator`.
    /// - Precondition: `inputCount >= 1`.
    public convenience init(_ inputCount: Int, nonlinearity: Nonlinearity = .tanh, generator: TorchGenerator) {
        self.init(inputCount, nonlinearity: nonlinearity, drawing: .torch(generator))
    }

    /// A neuron whose weights (and bias, when the source draws one) come from `source`.
    /// - Precondition: `inputCount >= 1`.
    public init(_ inputCount: Int, nonlinearity: Nonlinearity = .tanh, drawing source: WeightSource) {
        precondition(inputCount >= 1, "a neuron needs at least one input")
        weights = (0..<inputCount).map { i in Value(source.next(), label: "w\(i)") }
        bias = Value(source.drawsBias(nonlinearity) ? source.next() : 0, label: "b")
        self.nonlinearity = nonlinearity
    }

    /// f(w·x + b), with the weighted sum as one `Value.dot` node.
    /// - Precondition: `x.count == weights.count`.
    public func callAsFunction(_ x: [Value]) -> Value {
        nonlinearity(Value.dot(weights, x, bias: bias))
    }

    /// f(w·x + b) built as micrograd builds it, one `*` and one `+` node per input:
    /// `sum((wi*xi for wi, xi in zip(self.w, x)), self.b)`. Same numbers as the fused form; for
    /// drawing the lecture's graph and for measuring what the fused node saves.
    public func unfused(_ x: [Value]) -> Value {
        precondition(x.count == weights.count, "\(x.count) inputs for \(weights.count) weights")
        var act = bias
        for (w, xi) in zip(weights, x) { act = act + w * xi }
        return nonlinearity(act)
    }

    /// f(w·x + b) on plain numbers, building no graph: for predictions and decision boundaries.
    public func predict(_ x: [Double]) -> Double {
        var act = bias.data
        for (w, xi) in zip(weights, x) { act += w.data * xi }
        return nonlinearity(act)
    }

    public func parameters() -> [Value] { weights + [bias] }

    /// micrograd's repr: `TanhNeuron(3)`.
    public var description: String { "\(nonlinearity.neuronPrefix)Neuron(\(weights.count))" }
}
