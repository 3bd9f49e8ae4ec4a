// The fully connected layer of makemore parts 3 and 5: y = x·W + b, with W stored (fanIn, fanOut) as
// in the lecture (PyTorch's `nn.Linear` stores the transpose). Backward is the matmul's and the add's.
//
// Shapes: B = batch, T = time, C = fanIn (input features), D = fanOut (output features).

/// y = x·W + b over the last dim: (…, C) → (…, D).
///
/// W starts as N(0, 1)/√C (``WeightInitialization/lecture``) and b as zeros, as the lecture's class:
///
///     let g = TorchGenerator(seed: 2147483647)
///     let layer = Linear(30, 200, generator: g)          // Linear(30 → 200), 6,200 parameters
///     let h = layer(emb.view(-1, 30))                     // (32, 30) → (32, 200)
///     Linear(48, 128, bias: false, generator: g)          // before a BatchNorm1d, whose β is the bias
///
/// ∂L/∂x = ∂L/∂y · Wᵀ, ∂L/∂W = xᵀ · ∂L/∂y, ∂L/∂b = Σ ∂L/∂y over every dim but the last.
public final class Linear: TensorLayer {
    /// W, (C, D).
    public let weight: Tensor
    /// b, (D,), or `nil` for `bias: false`.
    public let bias: Tensor?
    public var training = true

    /// A layer from `inputSize` features to `outputSize`, its weights drawn from `generator`.
    /// - Precondition: both sizes are at least 1.
    public init(
        _ inputSize: Int, _ outputSize: Int, bias: Bool = true,
        initialization: WeightInitialization = .lecture, generator: TorchGenerator
    ) {
        precondition(
            inputSize >= 1 && outputSize >= 1,
            "Linear needs at least one input and one output, not \(inputSize) → \(outputSize)")
        weight = initialization.weight(fanIn: inputSize, fanOut: outputSize, generator: generator)  // (C, D)
        self.bias = bias ? Tensor(repeating: 0, shape: [outputSize]).requiringGrad() : nil  // (D,)
    }

    /// A layer around existing tensors (loaded from a checkpoint, or built by hand in a test).
    /// - Precondition: `weight` is 2-D and `bias`, if any, has one element per column.
    public init(weight: Tensor, bias: Tensor?) {
        precondition(
            weight.shape.count == 2 && (bias == nil || bias!.shape == [weight.shape[1]]),
            "Linear needs a (C, D) weight and a (D,) bias, not \(weight.shape) and \(bias?.shape ?? [])")
        self.weight = weight
        self.bias = bias
    }

    /// C, the features each input row has.
    public var inputSize: Int { weight.shape[0] }
    /// D, the features each output row has.
    public var outputSize: Int { weight.shape[1] }

    public func forward(_ x: Tensor) throws(ShapeError) -> Tensor {
        guard x.shape.last == inputSize else {
            throw ShapeError(
                signature,
                "input \(formatShape(x.shape)) has \(x.shape.last ?? 0) features in its last dim; this layer takes \(inputSize)"
            )
        }
        // x·W + b as one op, equal to the bit to `x.matmul(weight).add(bias)`, gradients included
        return try x.linear(weight, bias: bias, sumsBiasInDouble: true)  // (…, D)
    }

    public func parameters() -> [Tensor] { bias.map { [weight, $0] } ?? [weight] }

    /// `Linear(30 → 200)`, or `Linear(48 → 128, no bias)`.
    var signature: String { "Linear(\(inputSize) → \(outputSize)\(bias == nil ? ", no bias" : ""))" }

    /// `Linear(30 → 200), 6,200 parameters`.
    public var description: String { signature + parameterCountSuffix }
}
