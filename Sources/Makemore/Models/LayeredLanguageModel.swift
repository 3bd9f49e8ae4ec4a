// What the MLPs share: a stack of the engine's layers whose first layer looks up character embeddings,
// so forward, parameters, buffers and the train/eval switch are written once for both.
//
// Shapes: B = batch, T = time (block size), V = vocabulary.
import Engine

/// A language model that is a ``Sequential`` of layers, the first an ``Embedding``.
package protocol LayeredLanguageModel: LanguageModel {
    /// The layers, first (the embedding table C) to last (the logits).
    var network: Sequential { get }
}

extension LayeredLanguageModel {
    package func forward(_ contexts: IndexTensor, targets: IndexTensor?) throws(ShapeError) -> (
        logits: Tensor, loss: Tensor?
    ) {
        guard contexts.shape.count == 2, contexts.shape[1] == blockSize else {
            throw ShapeError(
                configuration.kind.rawValue, "needs contexts of shape (B, \(blockSize)), got \(contexts.shape)")
        }
        let logits: Tensor
        if ShapeTrace.current == nil {
            logits = try network.forward(indices: contexts)  // (B, V)
        } else {
            // Layer by layer, noting each output for `shapes`.
            var x = try network.layers[0].forward(indices: contexts)  // (B, T, E)
            ShapeTrace.note(network.layers[0].description, x)
            for layer in network.layers.dropFirst() {
                x = try layer.forward(x)
                ShapeTrace.note(layer.description, x)
            }
            logits = x  // (B, V)
        }
        return (logits, try targets.map { (t) throws(ShapeError) in try languageModelLoss(logits, t) })
    }

    package func parameters() -> [Tensor] { network.parameters() }
    package func buffers() -> [Tensor] { network.buffers() }
    package var layers: [any TensorLayer] { network.layers }

    package var training: Bool {
        get { network.training }
        set { network.training = newValue }
    }

    /// The embedding table C, (V, E).
    package var embeddingTable: Tensor? { (network.layers.first as? Embedding)?.weight }

    /// The model's one-line heading followed by its layers, one per line.
    func describe(_ heading: String) -> String {
        ([heading + ", \(parameterCount.grouped) parameters, \(modeDescription)"]
            + network.layers.map { "  " + $0.description }).joined(separator: "\n")
    }
}

extension Tensor {
    /// N(0, 1) draws of `shape` times `scale`, as `torch.randn(shape, generator=g) * scale`, marked as
    /// a parameter. For shapes a model fixes.
    static func parameter(_ shape: [Int], scale: Float = 1, generator: TorchGenerator) -> Tensor {
        let t = modelShapes { () throws(ShapeError) in try Tensor.randn(shape, generator: generator) }
        if scale != 1 { t *= scale }
        return t.requiringGrad()
    }
}

extension LayeredLanguageModel {
    /// `torch.randn(shape, generator=g)` with `scale` applied to each value, as a lecture's cell draws
    /// and scales a weight (`torch.randn(…, generator=g) * 0.01`): a parameter.
    static func draw(_ shape: [Int], _ g: TorchGenerator, _ scale: (Float) -> Float) -> Tensor {
        let values = g.randn(shape.reduce(1, *)).map(scale)
        do { return try Tensor(shape: shape, values: values).requiringGrad() } catch {
            preconditionFailure("a layer's own shape: \(error)")
        }
    }
}
