// The Transformer's optional dropout: off by default (the weights makemore draws are unchanged), drawn
// only in training mode, never in evaluation mode, reproducible for a seed, saved in the configuration
// and checked by validation.
//
// Shapes: B = batch, T = block size, V = vocabulary.
import Engine
import Foundation
import Testing

@testable import Makemore

@Suite("Transformer dropout")
struct TransformerDropoutTests {
    static func tiny(dropout: Double, seed: UInt64 = 5) throws -> any LanguageModel {
        var c = ModelConfiguration.transformer(blockSize: 4, embeddingSize: 4, layerCount: 2, headCount: 2)
        c.dropout = dropout
        return try c.make(vocabulary: AttentionModelChecks.vocabulary, generator: TorchGenerator(seed: seed))
    }

    @Test func theWeightsAreMakemoresAndEvaluationModeDropsNothing() throws {
        let (plain, dropped) = (try Self.tiny(dropout: 0), try Self.tiny(dropout: 0.5))
        #expect(plain.parameters().map(\.scalars) == dropped.parameters().map(\.scalars))
        let (X, Y) = try AttentionModelChecks.batch()
        let expected = try #require(plain.forward(X, targets: Y).loss).item()
        dropped.training = false
        for _ in 0..<2 { #expect(try #require(dropped.forward(X, targets: Y).loss).item() == expected) }
        plain.training = true
        #expect(
            try #require(plain.forward(X, targets: Y).loss).item() == expected,
            "no dropout at 0 in training mode either")
    }

    @Test func trainingModeDropsAFreshMaskEachStepReproduciblyForASeed() throws {
        let (a, b) = (try Self.tiny(dropout: 0.3), try Self.tiny(dropout: 0.3))
        let (X, Y) = try AttentionModelChecks.batch()
        let lossesA = try (0..<3).map { _ in try #require(a.forward(X, targets: Y).loss).item() }
        let lossesB = try (0..<3).map { _ in try #require(b.forward(X, targets: Y).loss).item() }
        #expect(lossesA == lossesB)
        #expect(Set(lossesA).count == 3)
        let clean = try a.withMode(training: false) { try #require(a.forward(X, targets: Y).loss).item() }
        #expect(!lossesA.contains(clean))
    }

    @Test func theGradientInTrainingModeFollowsTheMask() throws {
        // Same seed, same masks: two models' gradients agree exactly, and differ from evaluation mode's.
        let (a, b) = (try Self.tiny(dropout: 0.2), try Self.tiny(dropout: 0.2))
        let (X, Y) = try AttentionModelChecks.batch()
        try #require(a.forward(X, targets: Y).loss).backward()
        try #require(b.forward(X, targets: Y).loss).backward()
        #expect(a.parameters().map { $0.grad?.scalars } == b.parameters().map { $0.grad?.scalars })
    }

    @Test func theConfigurationSavesValidatesAndDescribesDropout() throws {
        var c = ModelConfiguration.transformer()
        #expect(c.description == "transformer (block 16, embedding 64, 4 layers, 4 heads)")
        let plainJSON = String(decoding: try JSONEncoder().encode(c), as: UTF8.self)
        #expect(!plainJSON.contains("dropout"), "a model without dropout saves what it saved before")
        c.dropout = 0.1
        #expect(c.description == "transformer (block 16, embedding 64, 4 layers, 4 heads, dropout 0.1)")
        #expect(try JSONDecoder().decode(ModelConfiguration.self, from: JSONEncoder().encode(c)) == c)
        let vocabulary = AttentionModelChecks.vocabulary
        for bad in [-0.1, 1, 1.5, .nan] {
            c.dropout = bad
            #expect(throws: ModelError.self) {
                try c.validate(vocabularySize: vocabulary.count)
            }
        }
        c.dropout = 0.99
        try c.validate(vocabularySize: vocabulary.count)
    }
}
