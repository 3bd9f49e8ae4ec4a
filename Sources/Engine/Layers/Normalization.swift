// Normalising layers: makemore part 3's `BatchNorm1d` (Ioffe & Szegedy 2015) with running statistics
// for evaluation, and the transformer's `LayerNorm` (Ba et al. 2016). Both are thin shells around the
// fused ops of `Tensor+Norm.swift`, where forward and backward live.
//
// Shapes: B = batch, T = time, C = channels (always the last dim).

/// Normalises each channel over the batch: y = γ · (x - mean) / √(var + eps) + β, with (N, C) or the
/// WaveNet's (B, T, C) input (statistics over every dim but the last, as the lecture's class).
///
/// - training: the batch's mean and (biased) variance; then, in place,
///   `running = (1 - momentum) · running + momentum · batch` (the unbiased variance for `runningVar`),
///   as `nn.BatchNorm1d`.
/// - evaluation (`training = false`): `runningMean` and `runningVar`, so one example can be scored.
///
///     let bn = BatchNorm1d(200)                      // BatchNorm1d(200), 400 parameters
///     let h = bn(hpreact).tanh()                     // (32, 200)
///     model.training = false                         // sample with the running statistics
///
/// γ starts at ones and β at zeros; a `Linear` before it needs no bias (β plays that part).
public final class BatchNorm1d: TensorLayer {
    /// γ, (C,): scales each normalised channel.
    public let gamma: Tensor
    /// β, (C,): shifts each normalised channel.
    public let beta: Tensor
    /// The running mean, (C,), updated in training (a buffer: not trained by gradient).
    public let runningMean: Tensor
    /// The running unbiased variance, (C,), updated in training.
    public let runningVar: Tensor
    /// Added to the variance before the square root.
    public let eps: Float
    /// How far one batch moves the running statistics.
    public let momentum: Float
    /// Which variance it normalises with (lecture 3's form keeps a running std in `runningVar`).
    public let statistics: BatchNormStatistics
    public var training = true

    /// - Precondition: `dimension` is at least 1, `eps` positive, `momentum` in 0...1.
    public init(_ dimension: Int, eps: Float = 1e-5, momentum: Float = 0.1, statistics: BatchNormStatistics = .torch) {
        precondition(dimension >= 1, "BatchNorm1d needs at least one channel, not \(dimension)")
        precondition(eps > 0 && (0...1).contains(momentum), "BatchNorm1d needs eps > 0 and momentum in 0...1")
        self.statistics = statistics
        gamma = Tensor(repeating: 1, shape: [dimension]).requiringGrad()  // (C,)
        beta = Tensor(repeating: 0, shape: [dimension]).requiringGrad()  // (C,)
        runningMean = Tensor(repeating: 0, shape: [dimension])  // (C,)
        runningVar = Tensor(repeating: 1, shape: [dimension])  // (C,)
        self.eps = eps
        self.momentum = momentum
    }

    /// C, the channels normalised.
    public var dimension: Int { gamma.count }

    public func forward(_ x: Tensor) throws(ShapeError) -> Tensor {
        guard x.shape.count >= 2, x.shape.last == dimension else {
            throw ShapeError(
                signature, "needs (N, \(dimension)) or (B, T, \(dimension)) input, got \(formatShape(x.shape))")
        }
        return try x.batchNorm(
            gain: gamma, bias: beta, runningMean: runningMean, runningVar: runningVar,
            training: training, momentum: momentum, eps: eps, statistics: statistics)  // (…, C)
    }

    public func parameters() -> [Tensor] { [gamma, beta] }

    /// The running mean and variance.
    public func buffers() -> [Tensor] { [runningMean, runningVar] }

    var signature: String { "BatchNorm1d(\(dimension))" }

    /// `BatchNorm1d(200), 400 parameters`, and `BatchNorm1d(200, eval), …` in evaluation mode.
    public var description: String {
        (training ? signature : "BatchNorm1d(\(dimension), eval)") + parameterCountSuffix
    }
}

/// Normalises each position over its channels: y = w · (x - mean) / √(var + eps) + b along the last
/// dim, with the biased variance, as `nn.LayerNorm(C)`. The same in training and evaluation.
///
///     let ln = LayerNorm(64)                         // LayerNorm(64), 128 parameters
///     let y = ln(x)                                  // (B, T, 64) → (B, T, 64)
public final class LayerNorm: TensorLayer {
    /// w, (C,), starting at ones.
    public let weight: Tensor
    /// b, (C,), starting at zeros.
    public let bias: Tensor
    public let eps: Float
    public var training = true

    /// - Precondition: `dimension` is at least 1 and `eps` positive.
    public init(_ dimension: Int, eps: Float = 1e-5) {
        precondition(dimension >= 1 && eps > 0, "LayerNorm needs at least one channel and eps > 0")
        weight = Tensor(repeating: 1, shape: [dimension]).requiringGrad()  // (C,)
        bias = Tensor(repeating: 0, shape: [dimension]).requiringGrad()  // (C,)
        self.eps = eps
    }

    /// C, the channels each position is normalised over.
    public var dimension: Int { weight.count }

    public func forward(_ x: Tensor) throws(ShapeError) -> Tensor {
        guard x.shape.last == dimension else {
            throw ShapeError(signature, "needs input whose last dim is \(dimension), got \(formatShape(x.shape))")
        }
        return try x.layerNorm(weight: weight, bias: bias, eps: eps)  // (…, C)
    }

    public func parameters() -> [Tensor] { [weight, bias] }

    var signature: String { "LayerNorm(\(dimension))" }

    /// `LayerNorm(64), 128 parameters`.
    public var description: String { signature + parameterCountSuffix }
}
