// The two models of "Let's build GPT" (karpathy/ng-video-lecture), on a text read as one stream:
//
// bigram.py's BigramLanguageModel: each character reads the next one's logits from a table.
//
//     logits = token_embedding_table(idx)               # (B, T, V)
//
// gpt.py's GPTLanguageModel: token and position embeddings, n_layer pre-norm blocks, a final layer
// norm and a linear head (with bias):
//
//     x = tok_emb(idx) + pos_emb(arange(T))             # (B, T, C)
//     x = x + sa(ln1(x))                                # per block: heads of causal attention, concatenated, proj, dropout
//     x = x + ffwd(ln2(x))                              #            Linear(C, 4C), ReLU, Linear(4C, C), dropout
//     logits = lm_head(ln_f(x))                         # (B, T, V)
//
// Shapes: B = batch, T = time (1…block size), C = channels (n_embd), V = vocabulary, hs = C / n_head.
import Engine

/// bigram.py's model: a (V, V) table of next-character logits, N(0, 1) as `nn.Embedding` starts.
package final class GPTBigramModel: LanguageModel {
    package let vocabulary: Vocabulary
    package let configuration: ModelConfiguration
    package var training = true
    /// token_embedding_table, (V, V).
    let table: Embedding

    init(_ configuration: ModelConfiguration, vocabulary: Vocabulary, generator g: TorchGenerator) {
        self.vocabulary = vocabulary
        self.configuration = configuration
        table = Embedding(vocabulary.count, vocabulary.count, generator: g)  // (V, V)
    }

    package func forward(_ contexts: IndexTensor, targets: IndexTensor?) throws(ShapeError) -> (
        logits: Tensor, loss: Tensor?
    ) {
        _ = try checkWholeWordShapes(contexts, targets, model: "gpt-bigram")
        let logits = try table.forward(indices: contexts)  // (B, T, V)
        ShapeTrace.note("token_embedding_table(idx): the next character's logits", logits)
        return (logits, try targets.map { (y) throws(ShapeError) in try languageModelLoss(logits, y) })
    }

    package func parameters() -> [Tensor] { [table.weight] }
    package func buffers() -> [Tensor] { [] }
    package var layers: [any TensorLayer] { [] }
    package var embeddingTable: Tensor? { table.weight }

    /// `GPT bigram (27 × 27 table), 729 parameters, training mode`.
    package var description: String {
        "GPT bigram (\(vocabulary.count) × \(vocabulary.count) table), \(parameterCount.grouped) parameters, \(modeDescription)"
    }
}

/// gpt.py's model, its weights drawn as gpt.py draws them: the modules' own initialisation first (all of
/// it overwritten, but it moves the generator), then `self.apply(self._init_weights)`: every Linear
/// weight and Embedding N(0, 0.02), biases 0, in the order `apply` visits them. With
/// `torch.manual_seed(s)` before `GPTLanguageModel()` and the same text, the weights are PyTorch's.
///
/// The heads of a block are one fused op here (their queries, keys and values packed as [q | k | v],
/// head h in columns h·hs ..< (h + 1)·hs of each): the same numbers as gpt.py's `Head` modules,
/// concatenated, up to the order of float sums. Dropout (gpt.py's 0.2 by default here too) acts where
/// gpt.py's does: on the attention weights, after each block's proj and after its feed-forward, in
/// training mode only, drawn from a generator of its own (PyTorch's dropout draws from the global one
/// by a kernel of its own; with dropout 0 nothing is drawn, and a run equals PyTorch's).
package final class GPTModel: LanguageModel, DropoutModel {
    package let vocabulary: Vocabulary
    package let configuration: ModelConfiguration
    package var training = true
    /// token_embedding_table (V, C), position_embedding_table (T, C).
    let tokenEmbedding: Embedding, positionEmbedding: Embedding
    let blocks: [GPTBlock]
    /// ln_f.
    let finalNorm: LayerNorm
    /// lm_head (C, V), with bias.
    let head: Linear
    /// Draws the dropout masks, only when dropout is on; seeded from the initialisation generator's seed.
    package let dropoutGenerator: TorchGenerator?

    init(_ configuration: ModelConfiguration, vocabulary: Vocabulary, generator g: TorchGenerator) {
        let (V, T, C, nh) = (
            vocabulary.count, configuration.blockSize, configuration.embeddingSize, configuration.headCount
        )
        let hs = C / nh
        self.vocabulary = vocabulary
        self.configuration = configuration
        // The modules' own initialisation, in construction order; apply(_init_weights) overwrites it all.
        _ = g.randn(V * C)  // nn.Embedding(V, C)
        _ = g.randn(T * C)  // nn.Embedding(T, C)
        for _ in 0..<configuration.layerCount {
            for _ in 0..<(3 * nh) { _ = g.rand(hs * C) }  // key, query, value: nn.Linear(C, hs, bias=False)
            _ = g.rand(C * C)  // proj: nn.Linear(C, C)
            _ = g.rand(C)
            _ = g.rand(4 * C * C)  // nn.Linear(C, 4C)
            _ = g.rand(4 * C)
            _ = g.rand(C * 4 * C)  // nn.Linear(4C, C)
            _ = g.rand(C)
        }
        _ = g.rand(V * C)  // lm_head: nn.Linear(C, V)
        _ = g.rand(V)
        // apply(_init_weights): children before their parents, in the order they were assigned.
        tokenEmbedding = Embedding(weight: g.gptNormal(V * C, shape: [V, C]))
        positionEmbedding = Embedding(weight: g.gptNormal(T * C, shape: [T, C]))
        blocks = (0..<configuration.layerCount).map { _ in GPTBlock(channels: C, heads: nh, generator: g) }
        finalNorm = LayerNorm(C)
        head = .gptInitialized(C, V, bias: true, generator: g)  // (C, V)
        // Seeded from the seed, not drawn from `g`: gpt.py's construction draws nothing for dropout, and
        // its first estimates (eval mode) follow the weights' draws directly.
        dropoutGenerator = configuration.dropout > 0 ? TorchGenerator(seed: g.seed &+ 0x9E37_79B9) : nil
    }

    /// The dropout of this step: the probability and its generator in training mode, else nil.
    var activeDropout: (p: Float, generator: TorchGenerator)? {
        guard training, let generator = dropoutGenerator else { return nil }
        return (Float(configuration.dropout), generator)
    }

    package func forward(_ contexts: IndexTensor, targets: IndexTensor?) throws(ShapeError) -> (
        logits: Tensor, loss: Tensor?
    ) {
        let t = try checkWholeWordShapes(contexts, targets, model: "gpt")
        let tokens = try tokenEmbedding.forward(indices: contexts)  // (B, T, C)
        let positions = try positionEmbedding.weight.slice(0..<t, dim: 0)  // (T, C)
        var x = try tokens.add(positions)  // (B, T, C)
        ShapeTrace.note("tok_emb + pos_emb", x)
        let drop = activeDropout
        for (i, block) in blocks.enumerated() {
            x = try block.forward(x, index: i, dropout: drop)  // (B, T, C)
        }
        x = try finalNorm.forward(x)  // (B, T, C)
        ShapeTrace.note("ln_f", x)
        let logits = try head.fused(x)  // (B, T, V)
        ShapeTrace.note("lm_head", logits)
        return (logits, try targets.map { (y) throws(ShapeError) in try languageModelLoss(logits, y) })
    }

    /// gpt.py's `parameters()` order: the embeddings, each block's (heads' key, query, value as one
    /// packed weight; proj; the feed-forward's two Linears; ln1; ln2), ln_f, lm_head.
    package func parameters() -> [Tensor] {
        [tokenEmbedding.weight, positionEmbedding.weight] + blocks.flatMap { $0.parameters() }
            + finalNorm.parameters() + head.parameters()
    }

    package func buffers() -> [Tensor] { [] }
    package var layers: [any TensorLayer] { [] }
    package var embeddingTable: Tensor? { tokenEmbedding.weight }

    /// `GPT(4 layers × 4 heads, 128 channels, block 64 → 65, dropout 0.2), 818,241 parameters, training mode`.
    package var description: String {
        let c = configuration
        let dropout = c.dropout > 0 ? ", dropout \(c.dropout.compactDescription)" : ""
        return
            "GPT(\(c.layerCount) layer\(c.layerCount == 1 ? "" : "s") × \(c.headCount) head\(c.headCount == 1 ? "" : "s"), "
            + "\(c.embeddingSize) channels, block \(c.blockSize) → \(vocabulary.count)\(dropout)), \(parameterCount.grouped) parameters, \(modeDescription)"
    }
}

/// One of gpt.py's `Block`s: `x + sa(ln1(x))`, then `x + ffwd(ln2(x))`.
final class GPTBlock: AttentionBlock {
    let norm1: LayerNorm
    /// The heads' key, query and value weights packed (C, 3C) as [q | k | v], no bias.
    let attention: Linear
    /// MultiHeadAttention's proj (C, C).
    let projection: Linear
    let norm2: LayerNorm
    /// FeedFoward's net: Linear(C, 4C), ReLU, Linear(4C, C).
    let expand: Linear, contract: Linear
    let heads: Int

    /// Draws as `apply(_init_weights)` visits the block: each head's key, query, value; proj; the two
    /// feed-forward Linears (layer norms draw nothing).
    init(channels C: Int, heads nh: Int, generator g: TorchGenerator) {
        let hs = C / nh
        var packed = [Float](repeating: 0, count: C * 3 * C)  // (C, 3C)
        for h in 0..<nh {
            for part in [1, 0, 2] {  // key, query, value, as each Head assigns them; packed as [q | k | v]
                let drawn = g.randn(hs * C).map { $0 * 0.02 }  // (hs, C), PyTorch's layout
                for o in 0..<hs {
                    for i in 0..<C { packed[i * 3 * C + part * C + h * hs + o] = drawn[o * C + i] }
                }
            }
        }
        norm1 = LayerNorm(C)
        attention = Linear(
            weight: modelShapes { () throws(ShapeError) in try Tensor(shape: [C, 3 * C], values: packed) }
                .requiringGrad(), bias: nil)
        projection = .gptInitialized(C, C, bias: true, generator: g)  // (C, C)
        norm2 = LayerNorm(C)
        expand = .gptInitialized(C, 4 * C, bias: true, generator: g)  // (C, 4C)
        contract = .gptInitialized(4 * C, C, bias: true, generator: g)  // (4C, C)
        heads = nh
    }

    func forward(_ x: Tensor, index: Int, dropout: (p: Float, generator: TorchGenerator)?) throws(ShapeError)
        -> Tensor
    {
        let qkv = try attention.fused(norm1.forward(x))  // (B, T, 3C)
        // The residual branches' dropout masks are drawn next after the attention weights' (the order
        // of gpt.py's draws), by the core that drew those, while the other computes attention.
        var masks: [Tensor] = []
        let drawMasks = dropout.map { d in
            { masks = (0..<2).map { _ in Tensor.dropoutKeepMask(count: x.count, d.p, generator: d.generator) } }
        }
        let heads = try qkv.causalSelfAttention(heads: self.heads, dropout: dropout, alongside: drawMasks)  // (B, T, C)
        let attended = try projection.fused(heads)  // (B, T, C)
        ShapeTrace.note("block \(index) sa: proj(heads of causal attention(ln1(x))), \(self.heads) heads", attended)
        let x = try residual(x, attended, masks.first)  // (B, T, C)
        let h = try expand.fused(norm2.forward(x), relu: true)  // (B, T, 4C), ReLU'd as it is written
        InternalsCapture.note("block \(index) feed-forward (ReLU)", h, bounded: false)
        let m = try contract.fused(h)  // (B, T, C)
        ShapeTrace.note("block \(index) ffwd: Linear(ReLU(Linear(ln2(x))))", m)
        return try residual(x, m, masks.last)  // (B, T, C)
    }

    /// x + dropout(branch) with its keep mask (in training), as one op; x + branch without one.
    private func residual(_ x: Tensor, _ branch: Tensor, _ mask: Tensor?) throws(ShapeError) -> Tensor {
        guard let mask else { return try x.add(branch) }
        return try x.addingDropout(of: branch, mask: mask)
    }

    func parameters() -> [Tensor] {
        ([attention, projection, expand, contract, norm1, norm2] as [any TensorLayer]).flatMap { $0.parameters() }
    }

    /// Each head's attention weights for one sequence (1, t, C) entering this block, `[head][i][j]`.
    func attentionWeights(_ x: Tensor) throws(ShapeError) -> [[[Float]]] {
        try causalAttentionWeights(qkv: attention.fused(norm1.forward(x)), heads: heads)
    }
}

extension GPTModel {
    /// For the characters of `context` (indices), each block's attention weights, `[block][head][i][j]`,
    /// as in eval mode (no dropout), without a graph.
    /// - Precondition: 1 to `blockSize` indices, each in the vocabulary.
    package func attentionWeights(for context: [Int]) -> [[[[Float]]]] {
        attentionMaps(context, tokens: tokenEmbedding, positions: positionEmbedding, blocks: blocks)
    }
}

extension TorchGenerator {
    /// `normal_(mean=0.0, std=0.02)` of a fresh tensor of `count` elements, shaped `shape`, trained.
    fileprivate func gptNormal(_ count: Int, shape: [Int]) -> Tensor {
        let values = randn(count).map { $0 * 0.02 }
        return modelShapes { () throws(ShapeError) in try Tensor(shape: shape, values: values) }.requiringGrad()
    }
}

extension Linear {
    /// An `nn.Linear(C, D)` after gpt.py's `_init_weights`: weight N(0, 0.02) drawn as its (D, C)
    /// matrix (stored transposed, (C, D)), bias 0.
    fileprivate static func gptInitialized(_ C: Int, _ D: Int, bias: Bool, generator g: TorchGenerator) -> Linear {
        let drawn = g.randn(D * C).map { $0 * 0.02 }  // (D, C)
        var values = [Float](repeating: 0, count: C * D)  // (C, D)
        for o in 0..<D {
            for i in 0..<C { values[i * D + o] = drawn[o * C + i] }
        }
        let weight = modelShapes { () throws(ShapeError) in try Tensor(shape: [C, D], values: values) }.requiringGrad()
        let b = bias ? Tensor([Float](repeating: 0, count: D)).requiringGrad() : nil  // (D,)
        return Linear(weight: weight, bias: b)
    }
}
