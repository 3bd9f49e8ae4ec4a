// Looking inside a network, as makemore part 3 does after training: one forward and backward pass on a
// batch, keeping every tanh layer's output and its gradient (`layer.out.retain_grad()`), and every
// weight matrix's gradient. The plots (activation and gradient histograms, saturation) are drawn from it.
//
//     for i, layer in enumerate(layers[:-1]):
//         if isinstance(layer, Tanh):
//             t = layer.out
//             print('layer %d (%10s): mean %+.2f, std %.2f, saturated: %.2f%%' % (i, ..., t.mean(), t.std(), (t.abs() > 0.97).float().mean()*100))
//
// Shapes: B = batch, H = a layer's width.
import Engine

/// What one pass through the model shows, layer by layer.
package struct LayerDiagnostics: Sendable {
    /// A tanh layer's output on the batch and the loss's gradient with respect to it.
    package struct Activation: Sendable {
        /// `layer 3 (Tanh)`: its index in `layers`.
        package let name: String
        /// The output values, row-major.                                                  // (B, H)
        package let values: [Float]
        package let gradient: [Float]
        /// B and H.
        package let rows: Int, columns: Int
        /// Whether the values lie in (-1, 1), as tanh's and the recurrent hidden states' do, so that
        /// saturation (|t| near 1, where the gradient vanishes) means something; not for GELU.
        package var bounded = true

        /// The fraction of |t| > `threshold` (the lecture's 0.97: where tanh's gradient is almost 0).
        package func saturation(above threshold: Float = 0.97) -> Double {
            Double(values.filter { abs($0) > threshold }.count) / Double(max(1, values.count))
        }
    }

    /// A weight matrix (a parameter with 2 dims) and its gradient.
    package struct Weight: Sendable {
        /// `layer 2 weight (30, 200)`, or `W (27, 27)`.
        package let name: String
        package let shape: [Int]
        package let values: [Float]
        package let gradient: [Float]
    }

    package let activations: [Activation]
    package let weights: [Weight]
    /// The loss of the pass.
    package let loss: Float

    /// One forward and backward pass of `model` on `batch`, in the model's current mode. Batch norm's
    /// running statistics are put back afterwards and the parameters' gradients zeroed, so looking
    /// changes nothing.
    package init(_ model: any LanguageModel, batch: (contexts: IndexTensor, targets: IndexTensor)) {
        let buffers = model.buffers().map(\.scalars)
        defer {
            for (b, saved) in zip(model.buffers(), buffers) {
                b.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = saved[i] } }
            }
            for p in model.parameters() { p.zeroGrad() }
        }
        var outputs: [(Int, any TensorLayer, Tensor)] = []
        let capture = InternalsCapture()
        let loss = InternalsCapture.$current.withValue(capture) {
            modelShapes { () throws(ShapeError) -> Tensor in
                let layers = model.layers
                let logits: Tensor
                if let first = layers.first {
                    var x = try first.forward(indices: batch.contexts)  // (B, T, E)
                    for (i, layer) in layers.enumerated().dropFirst() {
                        x = try layer.forward(x)  // (B, …)
                        outputs.append((i, layer, x))
                    }
                    logits = x  // (B, V)
                } else {
                    logits = try model.forward(batch.contexts, targets: nil).logits  // (B, V)
                }
                let dataLoss = try languageModelLoss(logits, batch.targets)
                return model.regularization().map { dataLoss + $0 } ?? dataLoss  // ()
            }
        }
        for p in model.parameters() { p.zeroGrad() }
        modelShapes { () throws(ShapeError) in try loss.backward() }
        activations =
            outputs.filter { $0.1 is Tanh }.map { i, layer, out in
                Activation(
                    name: "layer \(i) (\(Self.typeName(layer)))", values: out.scalars,
                    gradient: out.grad?.scalars ?? [Float](repeating: 0, count: out.count),
                    rows: out.shape.first ?? 1, columns: out.count / max(1, out.shape.first ?? 1))
            }
            + capture.tensors.map { name, out, bounded in  // (B, t, H): each position of each word is a row
                let columns = out.shape.last ?? 1
                return Activation(
                    name: name, values: out.scalars,
                    gradient: out.grad?.scalars ?? [Float](repeating: 0, count: out.count),
                    rows: out.count / max(1, columns), columns: columns, bounded: bounded)
            }
        weights = Self.weightNames(model).map { name, p in
            Weight(
                name: name, shape: p.shape, values: p.scalars,
                gradient: p.grad?.scalars ?? [Float](repeating: 0, count: p.count))
        }
        self.loss = modelShapes { () throws(ShapeError) in try loss.item() }
    }

    /// The model's 2-D parameters with names: `layer 2 weight (30, 200)`, `layer 0 embedding (27, 10)`.
    static func weightNames(_ model: any LanguageModel) -> [(String, Tensor)] {
        zip(parameterNames(model), model.parameters()).filter { $0.1.shape.count == 2 }.map { ($0.0, $0.1) }
    }

    /// Names for every parameter, in `parameters()` order: `layer 2 weight (30, 200)`, `layer 3 gamma (200)`.
    package static func parameterNames(_ model: any LanguageModel) -> [String] {
        let layers = model.layers
        guard !layers.isEmpty else { return model.parameters().map { "W \(shape($0.shape))" } }
        return layers.enumerated().flatMap { i, layer in
            let roles =
                switch layer {
                case is Embedding: ["embedding"]
                case is Linear: ["weight", "bias"]
                case is BatchNorm1d: ["gamma", "beta"]
                default: [String]()
                }
            return layer.parameters().enumerated().map { j, p in
                "layer \(i) \(j < roles.count ? roles[j] : "parameter \(j)") \(shape(p.shape))"
            }
        }
    }

    /// `(30, 200)`.
    static func shape(_ s: [Int]) -> String { "(" + s.map(String.init).joined(separator: ", ") + ")" }

    /// `Tanh`, `Linear`: the layer's class name.
    static func typeName(_ layer: any TensorLayer) -> String { String(describing: type(of: layer)) }
}

/// The mean and standard deviation (unbiased, as PyTorch's `std()`) of float32 values, in float64.
package func meanAndStandardDeviation(_ values: [Float]) -> (mean: Double, std: Double) {
    guard !values.isEmpty else { return (.nan, .nan) }
    let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
    guard values.count > 1 else { return (mean, 0) }
    let squares = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) }
    return (mean, (squares / Double(values.count - 1)).squareRoot())
}
