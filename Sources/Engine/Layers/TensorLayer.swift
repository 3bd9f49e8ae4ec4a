// The one interface of tensor layers (the lectures' `Linear`, `BatchNorm1d`, `Tanh`, … classes, PyTorch's
// `nn.Module`): a forward pass, an explicit `parameters()`, and a training flag. Named `TensorLayer`
// because `Layer` is micrograd's scalar layer (`NN/Layer.swift`).

/// A part of a tensor network: it maps a tensor to a tensor and owns the parameters it uses.
///
/// Model code calls a layer like a function and trusts its shapes (a mistake traps with the
/// shape message); code that handles user input calls ``forward(_:)``, which throws instead:
///
///     let g = TorchGenerator(seed: 2147483647)
///     let model = Sequential([
///         Embedding(27, 10, generator: g), FlattenConsecutive(3),           // (B, 3) → (B, 30)
///         Linear(30, 200, generator: g), Tanh(), Linear(200, 27, generator: g),
///     ])
///     let logits = model(X)                                             // (B, 27)
///     print(model.parameterCount)                                       // 11897
///
/// Layers are classes: a model holds its layers, and an optimizer holds the same parameter tensors.
public protocol TensorLayer: AnyObject, CustomStringConvertible {
    /// The layer's output for `x`, or a ``ShapeError`` naming the layer when `x` does not fit it.
    func forward(_ x: Tensor) throws(ShapeError) -> Tensor

    /// The output for integer input (character indices). ``Embedding`` looks the rows up; the default
    /// converts the indices to floats and calls ``forward(_:)``.
    func forward(indices: IndexTensor) throws(ShapeError) -> Tensor

    /// Every trainable tensor, always in the same order (micrograd's and PyTorch's `parameters()`).
    func parameters() -> [Tensor]

    /// State that is not trained but is part of the model (batch norm's running mean and variance),
    /// for checkpoints. Empty by default.
    func buffers() -> [Tensor]

    /// Training (`true`, the default) or evaluation mode. Only ``BatchNorm1d`` behaves differently;
    /// ``Sequential`` passes the setting on to its layers, as PyTorch's `model.train()`/`model.eval()`.
    var training: Bool { get set }
}

extension TensorLayer {
    public func forward(indices: IndexTensor) throws(ShapeError) -> Tensor {
        try forward(Tensor(shape: indices.shape, values: indices.values.map(Float.init)))  // (…)
    }

    public func buffers() -> [Tensor] { [] }

    /// `layer(x)` for model code whose shapes are right; a shape mistake traps with its message.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        trusted { () throws(ShapeError) in try forward(x) }
    }

    /// `model(X)` on character indices (B, T) or (B,).
    public func callAsFunction(_ indices: IndexTensor) -> Tensor {
        trusted { () throws(ShapeError) in try forward(indices: indices) }
    }

    /// The number of trainable numbers: `sum(p.nelement() for p in parameters)`.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    /// Sets every parameter's gradient to zero (`for p in parameters: p.grad = None`, keeping buffers).
    public func zeroGrad() {
        for p in parameters() { p.zeroGrad() }
    }

    /// `, 6,200 parameters` for descriptions; empty for a layer without parameters.
    var parameterCountSuffix: String {
        let n = parameterCount
        return n == 0 ? "" : ", \(n.grouped) parameter\(n == 1 ? "" : "s")"
    }
}
