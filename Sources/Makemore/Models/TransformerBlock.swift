// One block of makemore.py's Transformer (GPT-2's block, pre-norm): causal self-attention, then an
// MLP, each read from a layer-normed copy of the residual stream and added back into it:
//
//     x = x + drop(attn(ln_1(x)))                  # c_proj(causal attention of the heads of c_attn(x))
//     x = x + drop(mlp(ln_2(x)))                   # c_proj(NewGELU(c_fc(x)))
//
// drop is dropout (nanoGPT's resid_dropout), applied only in training mode when the model has it.
//
// Shapes: B = batch, t = time, C = channels (n_embd), nh = heads, hs = C / nh, 4C = the MLP's width.
import Engine
import Foundation

/// Pre-norm residual block: layer norm → causal self-attention → add; layer norm → GELU MLP → add.
///
/// The attention is the engine's fused `causalSelfAttention`, which equals makemore's split, view,
/// transpose, `q @ kᵀ / √hs`, masked softmax, `@ v` and transpose back. It has no dropout on the
/// attention weights (makemore has none); the optional dropout acts on each residual branch.
final class TransformerBlock: AttentionBlock {
    let norm1: LayerNorm
    /// c_attn (C, 3C): queries, keys and values of every head at once, [q | k | v].
    let attention: Linear
    /// The attention's c_proj (C, C).
    let attentionProjection: Linear
    let norm2: LayerNorm
    /// The MLP: c_fc (C, 4C), then c_proj (4C, C).
    let expand: Linear, project: Linear
    let heads: Int

    /// Draws from `g` in makemore's order: c_attn, attention c_proj, c_fc, MLP c_proj (layer norms start
    /// at weight 1, bias 0 and draw nothing).
    init(channels C: Int, heads: Int, generator g: TorchGenerator) {
        norm1 = LayerNorm(C)  // (C,), (C,)
        attention = .torchDefault(C, 3 * C, generator: g)  // (C, 3C)
        attentionProjection = .torchDefault(C, C, generator: g)  // (C, C)
        norm2 = LayerNorm(C)  // (C,), (C,)
        expand = .torchDefault(C, 4 * C, generator: g)  // (C, 4C)
        project = .torchDefault(4 * C, C, generator: g)  // (4C, C)
        self.heads = heads
    }

    /// The residual stream after this block, noting each half's output as block `index`. With `dropout`
    /// (training mode), each branch's c_proj output is dropped out before it is added back.
    func forward(_ x: Tensor, index: Int, dropout: (p: Float, generator: TorchGenerator)? = nil) throws(ShapeError)
        -> Tensor
    {
        let qkv = try attention.fused(norm1.forward(x))  // (B, t, 3C)
        let mixed = try qkv.causalSelfAttention(heads: heads)  // (B, t, C)
        var attended = try attentionProjection.fused(mixed)  // (B, t, C)
        if let dropout { attended = attended.dropout(dropout.p, generator: dropout.generator) }
        ShapeTrace.note("block \(index) attention: c_proj(causal attention(c_attn(ln_1(x)))), \(heads) heads", attended)
        let x = try x.add(attended)  // (B, t, C)
        let h = try expand.fused(norm2.forward(x)).gelu()  // (B, t, 4C)
        InternalsCapture.note("block \(index) MLP (GELU)", h, bounded: false)
        var m = try project.fused(h)  // (B, t, C)
        if let dropout { m = m.dropout(dropout.p, generator: dropout.generator) }
        ShapeTrace.note("block \(index) mlp: c_proj(GELU(c_fc(ln_2(x))))", m)
        return try x.add(m)  // (B, t, C)
    }

    /// makemore's order: ln_1, c_attn, attention c_proj, ln_2, c_fc, MLP c_proj (weight, bias each).
    func parameters() -> [Tensor] {
        ([norm1, attention, attentionProjection, norm2, expand, project] as [any TensorLayer]).flatMap {
            $0.parameters()
        }
    }
}

extension TransformerBlock {
    /// The attention weights of each head for one sequence: softmax((q·kᵀ)/√hs) with the future masked,
    /// `weights[h][i][j]` = how much position i reads position j (0 for j > i; each row sums to 1).
    /// - Precondition: `x` is (1, t, C), the residual stream entering this block.
    func attentionWeights(_ x: Tensor) throws(ShapeError) -> [[[Float]]] {
        try causalAttentionWeights(qkv: attention.fused(norm1.forward(x)), heads: heads)  // from (1, t, 3C)
    }
}

extension TransformerModel {
    /// For the characters of `context` (indices), each layer's attention weights, `[layer][head][i][j]`,
    /// as in eval mode (no dropout), without a graph.
    /// - Precondition: 1 to `blockSize` indices, each in the vocabulary.
    package func attentionWeights(for context: [Int]) -> [[[[Float]]]] {
        attentionMaps(context, tokens: tokenEmbedding, positions: positionEmbedding, blocks: blocks)
    }
}

/// A block whose attention weights can be read: makemore.py's and gpt.py's.
protocol AttentionBlock {
    /// Each head's weights `[head][i][j]` while the block reads the residual stream `x` (1, t, C).
    func attentionWeights(_ x: Tensor) throws(ShapeError) -> [[[Float]]]
    /// The residual stream after the block, without dropout.
    func forward(_ x: Tensor, index: Int, dropout: (p: Float, generator: TorchGenerator)?) throws(ShapeError) -> Tensor
}

/// softmax(q·kᵀ/√hs) with the future masked, per head, of packed queries and keys (1, t, 3C):
/// `weights[h][i][j]` = how much position i reads position j (0 for j > i; each row sums to 1).
func causalAttentionWeights(qkv: Tensor, heads: Int) -> [[[Float]]] {
    let (t, threeC) = (qkv.shape[1], qkv.shape[2])
    let C = threeC / 3
    let hs = C / heads
    let values = qkv.scalars
    let scale = 1 / Float(hs).squareRoot()
    return (0..<heads).map { h in
        (0..<t).map { i in
            var scores = [Float](repeating: -.infinity, count: t)
            for j in 0...i {
                var dot: Float = 0
                for d in 0..<hs { dot += values[i * threeC + h * hs + d] * values[j * threeC + C + h * hs + d] }
                scores[j] = dot * scale
            }
            let top = scores[0...i].max() ?? 0
            let e = scores.map { $0 == -.infinity ? 0 : exp($0 - top) }
            let total = e.reduce(0, +)
            return e.map { $0 / total }
        }
    }
}

extension LanguageModel {
    /// Every block's attention weights `[block][head][i][j]` while the model reads `context`, embedded
    /// by `tokens` and `positions`, in eval mode without a graph.
    /// - Precondition: 1 to `blockSize` indices, each in the vocabulary.
    func attentionMaps(
        _ context: [Int], tokens: Embedding, positions: Embedding, blocks: [any AttentionBlock]
    ) -> [[[[Float]]]] {
        precondition(
            (1...blockSize).contains(context.count) && context.allSatisfy { (0..<vocabulary.count).contains($0) },
            "a context of 1 to blockSize known characters")
        return Tensor.withoutGrad {
            modelShapes { () throws(ShapeError) in
                let input = try IndexTensor(context.map(Int32.init), shape: [1, context.count])  // (1, t)
                let embedded = try tokens.forward(indices: input)  // (1, t, C)
                var x = try embedded.add(try positions.weight.slice(0..<context.count, dim: 0))  // (1, t, C)
                var maps: [[[[Float]]]] = []
                for (i, block) in blocks.enumerated() {
                    maps.append(try block.attentionWeights(x))
                    x = try block.forward(x, index: i, dropout: nil)  // (1, t, C)
                }
                return maps
            }
        }
    }
}
