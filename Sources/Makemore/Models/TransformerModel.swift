// makemore.py's Transformer, a small GPT: token and position embeddings, a stack of pre-norm blocks of
// causal self-attention and a GELU MLP, a final layer norm, and a linear head without bias:
//
//     x = drop(wte(idx) + wpe(arange(t)))          # (B, t, C), drop: dropout, training mode only
//     for block in h: x = block(x)                 # (B, t, C), TransformerBlock.swift
//     logits = lm_head(ln_f(x))                    # (B, t, V)
//
// Shapes: B = batch, t = time (1…T), T = block size, C = channels (n_embd), V = vocabulary.
import Engine

/// A decoder-only Transformer predicting the next character at every position of a word.
///
/// Follows makemore.py's `Transformer`, which is GPT-2's architecture (Radford et al. 2019: the
/// decoder of Vaswani et al. 2017 with layer norm moved before each sublayer and a final layer norm)
/// at makemore's sizes (4 layers, 4 heads, 64 channels, block 16). Initialisation as makemore's, which
/// keeps PyTorch's defaults (embeddings N(0, 1), `Linear` U(±1/√fan-in), layer norms 1 and 0), drawn
/// in its order: wte, wpe, then per block c_attn, c_proj, c_fc, c_proj, then lm_head. Left out, as
/// makemore leaves them out: GPT-2's scaled initialisation of residual projections and weight tying
/// between wte and lm_head. Dropout, which makemore also leaves out, is optional (nanoGPT's placement:
/// the embedding sum and each residual branch; not the fused attention weights), off at the default
/// ``ModelConfiguration/dropout`` of 0 and always off in evaluation mode.
package final class TransformerModel: LanguageModel, DropoutModel {
    package let vocabulary: Vocabulary
    package let configuration: ModelConfiguration
    package var training = true
    /// wte (V, C) and wpe (T, C).
    let tokenEmbedding: Embedding, positionEmbedding: Embedding
    /// h: n_layer blocks.
    let blocks: [TransformerBlock]
    /// ln_f.
    let finalNorm: LayerNorm
    /// lm_head (C, V), no bias.
    let head: Linear
    /// Draws the dropout masks; seeded from the initialisation generator after all the weights, and
    /// only when dropout is on, so a model without dropout draws exactly makemore's numbers.
    package let dropoutGenerator: TorchGenerator?

    init(_ configuration: ModelConfiguration, vocabulary: Vocabulary, generator g: TorchGenerator) {
        let (V, T, C) = (vocabulary.count, configuration.blockSize, configuration.embeddingSize)
        self.vocabulary = vocabulary
        self.configuration = configuration
        tokenEmbedding = Embedding(V, C, generator: g)  // (V, C)
        positionEmbedding = Embedding(T, C, generator: g)  // (T, C)
        blocks = (0..<configuration.layerCount).map { _ in
            TransformerBlock(channels: C, heads: configuration.headCount, generator: g)
        }
        finalNorm = LayerNorm(C)  // (C,), (C,)
        head = .torchDefault(C, V, bias: false, generator: g)  // (C, V)
        dropoutGenerator = configuration.dropout > 0 ? TorchGenerator(seed: UInt64(g.nextUInt32())) : nil
    }

    /// The dropout of this step: the configured probability and its generator in training mode, else nil.
    var activeDropout: (p: Float, generator: TorchGenerator)? {
        guard training, let generator = dropoutGenerator else { return nil }
        return (Float(configuration.dropout), generator)
    }

    package func forward(_ contexts: IndexTensor, targets: IndexTensor?) throws(ShapeError) -> (
        logits: Tensor, loss: Tensor?
    ) {
        let t = try checkWholeWordShapes(contexts, targets, model: "transformer")
        let tokens = try tokenEmbedding.forward(indices: contexts)  // (B, t, C)
        let positions = try positionEmbedding.weight.slice(0..<t, dim: 0)  // (t, C)
        var x = try tokens.add(positions)  // (B, t, C)
        let drop = activeDropout
        if let drop { x = x.dropout(drop.p, generator: drop.generator) }  // (B, t, C)
        ShapeTrace.note("token + position embeddings", x)
        for (i, block) in blocks.enumerated() {
            x = try block.forward(x, index: i, dropout: drop)  // (B, t, C)
            ShapeTrace.note("block \(i) output", x)
        }
        x = try finalNorm.forward(x)  // (B, t, C)
        ShapeTrace.note("ln_f", x)
        let logits = try head.fused(x)  // (B, t, V)
        return (logits, try targets.map { (y) throws(ShapeError) in try languageModelLoss(logits, y) })
    }

    /// makemore's order: wte, wpe, each block's (ln_1, c_attn, c_proj, ln_2, c_fc, c_proj), ln_f, lm_head.
    package func parameters() -> [Tensor] {
        [tokenEmbedding.weight, positionEmbedding.weight] + blocks.flatMap { $0.parameters() }
            + finalNorm.parameters() + head.parameters()
    }

    package func buffers() -> [Tensor] { [] }

    /// None: attention mixes positions, so the layers do not run one after another.
    package var layers: [any TensorLayer] { [] }
    package var embeddingTable: Tensor? { tokenEmbedding.weight }

    /// `Transformer(4 layers × 4 heads, 64 channels, block 16 → 27), 201,152 parameters, training mode`.
    package var description: String {
        let c = configuration
        return
            "Transformer(\(c.layerCount) layer\(c.layerCount == 1 ? "" : "s") × \(c.headCount) head\(c.headCount == 1 ? "" : "s"), "
            + "\(c.embeddingSize) channels, block \(c.blockSize) → \(vocabulary.count)), \(parameterCount.grouped) parameters, \(modeDescription)"
    }
}
