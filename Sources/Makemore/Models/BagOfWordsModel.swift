// makemore.py's bag of words: each position's input is the average of the token and position
// embeddings at and before it, added to its own, then a tanh MLP with a residual connection:
//
//     x = wte(idx) + wpe(arange(t))                # (B, t, E)
//     x = x + CausalBoW(x)                         # (B, t, E): softmax(zeros masked by tril) @ x
//     x = x + c_proj(tanh(c_fc(x)))                # (B, t, E), through (B, t, H)
//     logits = lm_head(x)                          # (B, t, V)
//
// Shapes: B = batch, t = time (1…T), T = block size, E = embedding size, H = hidden size (n_embd2),
// V = vocabulary.
import Engine

/// Embeddings averaged causally over the word so far, a tanh MLP, logits at every position.
///
/// Follows makemore.py's `BoW` (Karpathy's stepping stone from the MLP to attention: the same mixing
/// of past positions as self-attention, with every weight fixed to 1/(t + 1) instead of learned) and
/// its initialisation (PyTorch's defaults: embeddings N(0, 1), `Linear` weights and biases
/// U(±1/√fan-in)), drawn in makemore's order: wte, wpe, c_fc, c_proj, lm_head. The causal average is
/// the fused `causalAverage` op, a running mean that equals makemore's masked-softmax `att @ x`.
/// Nothing of makemore's model is left out.
package final class BagOfWordsModel: LanguageModel {
    package let vocabulary: Vocabulary
    package let configuration: ModelConfiguration
    package var training = true
    /// wte, (V, E).
    let tokenEmbedding: Embedding
    /// wpe, (T, E).
    let positionEmbedding: Embedding
    /// The block's MLP: c_fc (E, H), then c_proj (H, E).
    let expand: Linear, project: Linear
    /// lm_head, (E, V).
    let head: Linear

    init(_ configuration: ModelConfiguration, vocabulary: Vocabulary, generator g: TorchGenerator) {
        let (V, T, E, H) = (
            vocabulary.count, configuration.blockSize, configuration.embeddingSize, configuration.hiddenSize
        )
        self.vocabulary = vocabulary
        self.configuration = configuration
        tokenEmbedding = Embedding(V, E, generator: g)  // (V, E)
        positionEmbedding = Embedding(T, E, generator: g)  // (T, E)
        expand = .torchDefault(E, H, generator: g)  // (E, H)
        project = .torchDefault(H, E, generator: g)  // (H, E)
        head = .torchDefault(E, V, generator: g)  // (E, V)
    }

    package func forward(_ contexts: IndexTensor, targets: IndexTensor?) throws(ShapeError) -> (
        logits: Tensor, loss: Tensor?
    ) {
        let t = try checkWholeWordShapes(contexts, targets, model: "bow")
        let tokens = try tokenEmbedding.forward(indices: contexts)  // (B, t, E)
        let positions = try positionEmbedding.weight.slice(0..<t, dim: 0)  // (t, E)
        var x = try tokens.add(positions)  // (B, t, E)
        ShapeTrace.note("token + position embeddings", x)
        x = try x.add(x.causalAverage())  // (B, t, E)
        ShapeTrace.note("x + causal average (CausalBoW)", x)
        let h = try expand.fused(x).tanh()  // (B, t, H)
        ShapeTrace.note("c_fc, tanh", h)
        x = try x.add(project.fused(h))  // (B, t, E)
        ShapeTrace.note("x + c_proj", x)
        let logits = try head.fused(x)  // (B, t, V)
        return (logits, try targets.map { (y) throws(ShapeError) in try languageModelLoss(logits, y) })
    }

    /// makemore's order: wte, wpe, c_fc (weight, bias), c_proj, lm_head.
    package func parameters() -> [Tensor] {
        [tokenEmbedding.weight, positionEmbedding.weight] + expand.parameters() + project.parameters()
            + head.parameters()
    }

    package func buffers() -> [Tensor] { [] }

    /// None: the causal average mixes positions, so the layers do not run one after another.
    package var layers: [any TensorLayer] { [] }
    package var embeddingTable: Tensor? { tokenEmbedding.weight }

    /// `BoW(block 16, 64 channels, MLP 64 → 27), 12,827 parameters, training mode`.
    package var description: String {
        let c = configuration
        return "BoW(block \(c.blockSize), \(c.embeddingSize) channels, MLP \(c.hiddenSize) → \(vocabulary.count)), "
            + "\(parameterCount.grouped) parameters, \(modeDescription)"
    }
}

extension LanguageModel {
    /// t, after checking that `contexts` is (B, t) with 1 ≤ t ≤ the block size and `targets`, when
    /// given, has the same shape (makemore.py's whole-word models take any prefix of the block).
    func checkWholeWordShapes(_ contexts: IndexTensor, _ targets: IndexTensor?, model: String) throws(ShapeError) -> Int
    {
        guard contexts.shape.count == 2, (1...blockSize).contains(contexts.shape[1]), contexts.shape[0] >= 1 else {
            throw ShapeError(
                model, "needs contexts of shape (B, t) with 1 ≤ t ≤ \(blockSize), got \(formatShape(contexts.shape))")
        }
        if let targets, targets.shape != contexts.shape {
            throw ShapeError(
                model,
                "targets \(formatShape(targets.shape)) must have the contexts' shape \(formatShape(contexts.shape)), one per position"
            )
        }
        return contexts.shape[1]
    }
}
