// How a weight matrix starts: normal draws from the shared generator, scaled so that activations keep
// their spread through the layers (makemore part 3: Kaiming He et al. 2015; Glorot & Bengio 2010).
// Normal forms only; the uniform variants of `torch.nn.init` are left out.

/// The scale of a layer's initial weights W (fanIn, fanOut), each drawn from N(0, 1) and multiplied.
///
/// - ``kaiming(gain:)``: std = gain / √fanIn. The lecture's `Linear` is `gain: 1`
///   (`torch.randn((fan_in, fan_out), generator=g) / fan_in**0.5`); before a tanh the lecture
///   multiplies by 5/3 (``tanhGain``), before a ReLU √2 keeps the variance.
/// - ``xavier(gain:)``: std = gain · √(2 / (fanIn + fanOut)), Glorot's choice for both directions.
///
///     Linear(30, 200, initialization: .kaiming(gain: WeightInitialization.tanhGain), generator: g)
public enum WeightInitialization: Sendable, Equatable, CustomStringConvertible {
    case kaiming(gain: Float)
    case xavier(gain: Float)

    /// The lecture's `Linear` default: N(0, 1) / √fanIn.
    public static let lecture = WeightInitialization.kaiming(gain: 1)
    /// PyTorch's `calculate_gain('tanh')`, 5/3: tanh squashes, so its inputs are spread a little wider.
    public static let tanhGain: Float = 5.0 / 3.0
    /// `calculate_gain('relu')`, √2: ReLU zeroes half its inputs.
    public static let reluGain: Float = Float(2).squareRoot()

    /// The standard deviation of the weights of a (fanIn, fanOut) matrix.
    public func standardDeviation(fanIn: Int, fanOut: Int) -> Float {
        switch self {
        case .kaiming(let gain): gain / Float(Double(fanIn).squareRoot())
        case .xavier(let gain): gain * Float((2 / Double(fanIn + fanOut)).squareRoot())
        }
    }

    /// A (fanIn, fanOut) weight, drawn as `torch.randn((fan_in, fan_out), generator=g)` and scaled in
    /// the lecture's order: divided by √fanIn first, then multiplied by the gain.
    func weight(fanIn: Int, fanOut: Int, generator: TorchGenerator) -> Tensor {
        let w = Tensor(normalShape: [fanIn, fanOut], generator: generator)  // (fanIn, fanOut)
        let (divisor, gain): (Float, Float) =
            switch self {
            case .kaiming(let gain): (Float(Double(fanIn).squareRoot()), gain)
            case .xavier(let gain): (Float((Double(fanIn + fanOut) / 2).squareRoot()), gain)
            }
        w.withUnsafeMutableBufferPointer { values in
            for i in values.indices { values[i] = values[i] / divisor * gain }
        }
        return w.requiringGrad()
    }

    /// `kaiming(gain: 1.6667)`, `xavier(gain: 1)`.
    public var description: String {
        switch self {
        case .kaiming(let gain): "kaiming(gain: \(Double(gain).compactDescription))"
        case .xavier(let gain): "xavier(gain: \(Double(gain).compactDescription))"
        }
    }
}

extension Tensor {
    /// N(0, 1) draws from `generator` for a shape our own code chose (layer sizes are checked positive).
    convenience init(normalShape shape: [Int], generator: TorchGenerator) {
        self.init(repeating: 0, shape: shape)
        let values = generator.randn(count)
        withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = values[i] } }
    }
}
