// makemore.py's Transformer: gradients against finite differences (tolerance in
// AttentionModelChecks.swift), causality, shapes and shape errors, the parameter count and order, the
// shape trace, and a loss that training drives down.
//
// Shapes: B = batch, T = block size, C = channels, V = vocabulary.
import Engine
import Testing

@testable import Makemore

@Suite("TransformerModel")
struct TransformerModelTests {
    /// Vocabulary 5, block 4, 4 channels in 2 heads, `layers` blocks.
    static func tiny(layers: Int = 2, seed: UInt64 = 5) throws -> any LanguageModel {
        try ModelConfiguration.transformer(blockSize: 4, embeddingSize: 4, layerCount: layers, headCount: 2)
            .make(vocabulary: AttentionModelChecks.vocabulary, generator: TorchGenerator(seed: seed))
    }

    @Test(arguments: [1, 2])
    func gradientsMatchFiniteDifferences(_ layers: Int) throws {
        try AttentionModelChecks.expectGradientsMatchFiniteDifferences(Self.tiny(layers: layers))
    }

    @Test func laterTokensNeverChangeEarlierLogits() throws {
        try AttentionModelChecks.expectCausal(Self.tiny())
    }

    @Test func shapesForEveryPrefixAndShapeErrors() throws {
        try AttentionModelChecks.expectShapesAndShapeErrors(Self.tiny())
    }

    @Test(arguments: [(27, 16, 64, 4, 4), (5, 4, 4, 2, 2), (30, 9, 12, 3, 3)])
    func parameterCountMatchesTheConfiguration(_ V: Int, _ T: Int, _ C: Int, _ L: Int, _ nh: Int) throws {
        let c = ModelConfiguration.transformer(blockSize: T, embeddingSize: C, layerCount: L, headCount: nh)
        let vocabulary = Vocabulary(characters: "abcdefghijklmnopqrstuvwxyz0123".prefix(V - 1))
        let model = try c.make(vocabulary: vocabulary, generator: TorchGenerator(seed: 1))
        #expect(model.parameterCount == c.parameterCount(vocabularySize: V))
        // wte, wpe; per block ln_1, c_attn, c_proj, ln_2, c_fc, c_proj; ln_f; lm_head (no bias).
        let block = [[C], [C], [C, 3 * C], [3 * C], [C, C], [C], [C], [C], [C, 4 * C], [4 * C], [4 * C, C], [C]]
        #expect(
            model.parameters().map(\.shape) == [[V, C], [T, C]] + Array(repeating: block, count: L).flatMap { $0 } + [
                [C], [C], [C, V]
            ])
        #expect(model.buffers().isEmpty && model.layers.isEmpty)
    }

    @Test func describesItself() throws {
        let model = try ModelConfiguration.transformer().make(
            vocabulary: Vocabulary(characters: "abcdefghijklmnopqrstuvwxyz"),
            generator: TorchGenerator(seed: 1))
        let count = ModelConfiguration.transformer().parameterCount(vocabularySize: 27)
        #expect(
            model.description
                == "Transformer(4 layers × 4 heads, 64 channels, block 16 → 27), \(count.grouped) parameters, training mode"
        )
    }

    @Test func shapeTraceShowsEveryBlock() throws {
        let model = try Self.tiny()
        let (X, Y) = try AttentionModelChecks.batch()
        let steps = try model.traceShapes(X, targets: Y)
        #expect(steps.first == .init(name: "input", shape: [2, 4]))
        #expect(steps.filter { $0.name.hasPrefix("block 1 attention") }.map(\.shape) == [[2, 4, 4]])
        #expect(steps.filter { $0.name.hasPrefix("block 0 mlp") }.map(\.shape) == [[2, 4, 4]])
        #expect(
            Array(steps.suffix(3)) == [
                .init(name: "ln_f", shape: [2, 4, 4]), .init(name: "logits", shape: [2, 4, 5]),
                .init(name: "loss", shape: [])
            ])
    }

    @Test func trainingDrivesTheLossDown() throws {
        let (before, after) = try AttentionModelChecks.lossBeforeAndAfterTraining(
            .transformer(blockSize: 7, embeddingSize: 16, layerCount: 1, headCount: 2), steps: 150,
            schedule: .constant(1e-2))
        #expect(after < before - 0.8, "\(before) → \(after)")
    }
}

/// The attention weights `figure attention` draws are the ones the fused kernel uses: weighting the
/// values with them gives the kernel's output.
@Suite("Attention weights")
struct AttentionWeightsTests {
    @Test func theWeightsAreTheKernels() throws {
        let vocabulary = Vocabulary(words: ["emma", "ava"])
        let model = try #require(
            try ModelConfiguration.transformer(blockSize: 6, embeddingSize: 8, layerCount: 2, headCount: 2)
                .make(vocabulary: vocabulary, generator: TorchGenerator(seed: 7)) as? TransformerModel)
        let context = [0] + (try vocabulary.encode("emma"))
        let maps = model.attentionWeights(for: context)
        #expect(maps.count == 2 && maps.allSatisfy { $0.count == 2 })
        for grid in maps.flatMap({ $0 }) {
            for (i, row) in grid.enumerated() {
                #expect(abs(row.reduce(0, +) - 1) < 1e-5)
                #expect(row[(i + 1)...].allSatisfy { $0 == 0 })  // no position reads the future
            }
        }
        // Layer 1: Σ_j w_ij v_j per head equals causalSelfAttention's output.
        let block = model.blocks[0]
        let input = try IndexTensor(context.map(Int32.init), shape: [1, context.count])
        let x = try model.tokenEmbedding.forward(indices: input).add(
            try model.positionEmbedding.weight.slice(0..<context.count, dim: 0))
        let qkv = try block.attention.fused(block.norm1.forward(x))  // (1, t, 3C)
        let fused = try qkv.causalSelfAttention(heads: 2).scalars  // (1, t, C)
        let (t, C, hs) = (context.count, 8, 4)
        let values = qkv.scalars
        for h in 0..<2 {
            for i in 0..<t {
                for d in 0..<hs {
                    var sum: Float = 0
                    for j in 0...i { sum += maps[0][h][i][j] * values[j * 3 * C + 2 * C + h * hs + d] }
                    #expect(abs(sum - fused[i * C + h * hs + d]) < 1e-5)
                }
            }
        }
    }
}
