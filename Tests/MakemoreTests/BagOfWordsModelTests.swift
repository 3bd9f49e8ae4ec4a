// makemore.py's bag of words: gradients against finite differences (tolerance in
// AttentionModelChecks.swift), causality, the fused causal average against makemore's masked-softmax
// composite, shapes and shape errors, the parameter count and order, and a loss that training drives down.
//
// Shapes: B = batch, T = block size, E = embedding size, V = vocabulary.
import Engine
import Testing

@testable import Makemore

@Suite("BagOfWords model")
struct BagOfWordsModelTests {
    /// Vocabulary 5, block 4, embedding 4, hidden 6.
    static func tiny(seed: UInt64 = 7) throws -> any LanguageModel {
        try ModelConfiguration.bagOfWords(blockSize: 4, embeddingSize: 4, hiddenSize: 6)
            .make(vocabulary: AttentionModelChecks.vocabulary, generator: TorchGenerator(seed: seed))
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        try AttentionModelChecks.expectGradientsMatchFiniteDifferences(Self.tiny())
    }

    @Test func laterTokensNeverChangeEarlierLogits() throws {
        try AttentionModelChecks.expectCausal(Self.tiny())
    }

    @Test func shapesForEveryPrefixAndShapeErrors() throws {
        try AttentionModelChecks.expectShapesAndShapeErrors(Self.tiny())
    }

    /// makemore's CausalBoW: att = softmax(zeros (T, T) masked by tril, -inf above), y = att @ x.
    /// Values and gradients agree within 1e-6 (absolute).
    @Test func causalAverageIsTheMaskedSoftmaxComposite() throws {
        let g = TorchGenerator(seed: 3)
        let (B, T, C) = (3, 5, 4)
        let x = try Tensor.randn([B, T, C], generator: g).requiringGrad()  // (B, T, C)
        let mix = try Tensor.randn([B, T, C], generator: g)  // (B, T, C)
        let fused = try x.causalAverage()  // (B, T, C)
        try fused.mul(mix).sum().backward()
        let fusedGrad = try #require(x.grad).scalars
        x.zeroGrad()
        let mask = try Tensor.ones([T, T]).tril().eq(0)  // (T, T)
        let att = try Tensor.zeros([T, T]).maskedFill(mask, value: -.infinity).softmax(dim: -1)  // (T, T)
        let composite = try att.matmul(x)  // (B, T, C)
        try composite.mul(mix).sum().backward()
        let compositeGrad = try #require(x.grad).scalars
        for (a, b) in zip(fused.scalars, composite.scalars) { #expect(abs(a - b) <= 1e-6) }
        for (a, b) in zip(fusedGrad, compositeGrad) { #expect(abs(a - b) <= 1e-6) }
        #expect(fused.shape == composite.shape)
    }

    @Test(arguments: [(27, 16, 64, 64), (5, 4, 4, 6), (30, 9, 12, 20)])
    func parameterCountMatchesTheConfiguration(_ V: Int, _ T: Int, _ E: Int, _ H: Int) throws {
        let c = ModelConfiguration.bagOfWords(blockSize: T, embeddingSize: E, hiddenSize: H)
        let vocabulary = Vocabulary(characters: "abcdefghijklmnopqrstuvwxyz0123".prefix(V - 1))
        let model = try c.make(vocabulary: vocabulary, generator: TorchGenerator(seed: 1))
        #expect(model.parameterCount == c.parameterCount(vocabularySize: V))
        // wte, wpe, c_fc (weight, bias), c_proj, lm_head.
        #expect(model.parameters().map(\.shape) == [[V, E], [T, E], [E, H], [H], [H, E], [E], [E, V], [V]])
        #expect(model.buffers().isEmpty && model.layers.isEmpty)
    }

    @Test func describesItselfAndStartsAsPyTorchDoes() throws {
        let model = try ModelConfiguration.bagOfWords().make(
            vocabulary: Vocabulary(characters: "abcdefghijklmnopqrstuvwxyz"),
            generator: TorchGenerator(seed: 1))
        #expect(model.description == "BoW(block 16, 64 channels, MLP 64 → 27), 12,827 parameters, training mode")
        model.training = false
        #expect(model.description.hasSuffix("eval mode"))
        // Linear weights and biases U(±1/√fan-in); embeddings N(0, 1).
        let p = model.parameters()
        #expect(p[2].scalars.allSatisfy { abs($0) <= 1 / 8 } && p[3].scalars.allSatisfy { abs($0) <= 1 / 8 })
        #expect(p[0].scalars.contains { abs($0) > 1 })
    }

    @Test func trainingDrivesTheLossDown() throws {
        let (before, after) = try AttentionModelChecks.lossBeforeAndAfterTraining(
            .bagOfWords(blockSize: 7, embeddingSize: 16, hiddenSize: 32), steps: 200, schedule: .constant(1e-2))
        #expect(after < before - 0.8, "\(before) → \(after)")
    }
}
