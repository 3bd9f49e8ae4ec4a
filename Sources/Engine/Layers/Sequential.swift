// A stack of layers applied in order: makemore part 5's `Sequential`, which turned the lecture's list
// of layers into one model with `parameters()` and a training switch.
//
// Shapes: whatever the layers make; the first layer may take character indices (B, T).

/// Layers applied one after another: `x → layers[0] → layers[1] → …`.
///
/// makemore part 5's hierarchical model, in a few lines:
///
///     let g = TorchGenerator(seed: 42)
///     let model = Sequential([
///         Embedding(27, 24, generator: g),                                       // (B, 8) → (B, 8, 24)
///         FlattenConsecutive(2), Linear(48, 128, bias: false, generator: g), BatchNorm1d(128), Tanh(),
///         FlattenConsecutive(2), Linear(256, 128, bias: false, generator: g), BatchNorm1d(128), Tanh(),
///         FlattenConsecutive(2), Linear(256, 128, bias: false, generator: g), BatchNorm1d(128), Tanh(),
///         Linear(128, 27, generator: g),                                         // (B, 27)
///     ])
///     (model.layers.last as? Linear)?.weight *= 0.1   // make the last layer less confident
///     let logits = model(Xb)                           // (32, 27)
///     model.training = false                           // evaluate with batch norm's running statistics
public final class Sequential: TensorLayer {
    /// The layers, first to last.
    public let layers: [any TensorLayer]

    public init(_ layers: [any TensorLayer]) {
        self.layers = layers
    }

    /// Whether the layers are in training mode; setting it sets every layer (`model.train()`/`eval()`).
    public var training = true {
        didSet { for layer in layers { layer.training = training } }
    }

    public func forward(_ x: Tensor) throws(ShapeError) -> Tensor {
        var x = x
        for layer in layers { x = try layer.forward(x) }
        return x
    }

    /// The first layer takes the indices (an ``Embedding`` looks them up); the rest take its output.
    public func forward(indices: IndexTensor) throws(ShapeError) -> Tensor {
        guard let first = layers.first else {
            return try Tensor(shape: indices.shape, values: indices.values.map(Float.init))
        }
        var x = try first.forward(indices: indices)
        for layer in layers.dropFirst() { x = try layer.forward(x) }
        return x
    }

    /// Every layer's parameters, in layer order.
    public func parameters() -> [Tensor] { layers.flatMap { $0.parameters() } }

    /// Every layer's buffers, in layer order.
    public func buffers() -> [Tensor] { layers.flatMap { $0.buffers() } }

    /// The layer at `index`, counted from the end when negative (`model[-1]` is the last, as in Python).
    /// - Precondition: `index` is in `-layers.count ..< layers.count`.
    public subscript(index: Int) -> any TensorLayer {
        precondition(
            (-layers.count..<layers.count).contains(index), "Sequential has \(layers.count) layers; no layer \(index)")
        return layers[index < 0 ? index + layers.count : index]
    }

    /// One line for the model, then one indented line per layer:
    ///
    ///     Sequential of 3 layers, 6,497 parameters
    ///       Linear(30 → 200), 6,200 parameters
    ///       Tanh()
    ///       …
    public var description: String {
        let header =
            "Sequential of \(layers.count) layer\(layers.count == 1 ? "" : "s")" + parameterCountSuffix
            + (training ? "" : " (eval)")
        let lines = layers.map { $0.description.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") }
        return ([header] + lines).joined(separator: "\n")
    }
}
