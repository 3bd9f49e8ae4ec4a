// The language models of makemore parts 1–3 through their one protocol: sizes, parameter counts,
// descriptions, forward shapes, the loss at initialisation, sampling distributions, and every
// configuration a user can get wrong.
import Engine
import Foundation
import TestSupport
import Testing

@testable import Makemore

@Suite("Language models")
struct ModelTests {
    static let vocabulary = Vocabulary(characters: "abcdefghijklmnopqrstuvwxyz")  // 27 with '.'

    static func make(_ c: ModelConfiguration, seed: UInt64 = 2_147_483_647) throws -> any LanguageModel {
        try c.make(vocabulary: vocabulary, generator: TorchGenerator(seed: seed))
    }

    @Test(arguments: [
        (ModelConfiguration.neuralBigram(), 729, "NeuralBigram(27 × 27), 729 parameters, λ 0.01, training mode"),
        (.mlp(), 11_897, "MLP(3 × 10 → 200 → 27, randn init), 11,897 parameters, training mode"),
        (
            .mlp(blockSize: 8, embeddingSize: 24, hiddenSize: 128, initialization: .kaiming),
            27 * 24 + 192 * 128 + 128 + 128 * 27 + 27,
            "MLP(8 × 24 → 128 → 27, kaiming init), 28,835 parameters, training mode"
        ),
        (.batchNormMLP(), 12_097, "BatchNormMLP(3 × 10 → 200 → 27), 12,097 parameters, training mode")
    ])
    func sizesAndDescriptions(_ c: ModelConfiguration, _ count: Int, _ heading: String) throws {
        let model = try Self.make(c)
        #expect(model.parameterCount == count)
        #expect(c.parameterCount(vocabularySize: 27) == count)
        #expect(model.description.split(separator: "\n").first.map(String.init) == heading)
        #expect(model.configuration == c)
        #expect(model.blockSize == c.blockSize)
    }

    @Test func batchNormModelListsItsLayersAndShowsItsMode() throws {
        let model = try Self.make(.batchNormMLP())
        #expect(
            model.description == """
                BatchNormMLP(3 × 10 → 200 → 27), 12,097 parameters, training mode
                  Embedding(27 × 10), 270 parameters
                  FlattenConsecutive(3)
                  Linear(30 → 200, no bias), 6,000 parameters
                  BatchNorm1d(200), 400 parameters
                  Tanh()
                  Linear(200 → 27), 5,427 parameters
                """)
        model.training = false
        #expect(model.description.contains("eval mode") && model.description.contains("BatchNorm1d(200, eval)"))
        #expect(model.buffers().count == 2)
    }

    @Test(arguments: [ModelConfiguration.neuralBigram(), .mlp(), .mlp(initialization: .kaiming), .batchNormMLP()])
    func forwardGivesLogitsPerContextAndAMeanLoss(_ c: ModelConfiguration) throws {
        let model = try Self.make(c)
        let T = c.blockSize
        let X = try IndexTensor((0..<(4 * T)).map { Int32($0 % 27) }, shape: [4, T])  // (4, T)
        let Y = try IndexTensor([1, 2, 3, 0])  // (4,)
        let (logits, loss) = try model.forward(X, targets: Y)
        #expect(logits.shape == [4, 27])
        let expected = try logits.crossEntropy(targets: Y).item()
        #expect(try loss!.item() == expected)
        #expect(try model.forward(X, targets: nil).loss == nil)
        #expect(throws: ShapeError.self) { try model.forward(IndexTensor([1, 2], shape: [1, 2 + T]), targets: nil) }
    }

    @Test func lecture3InitialisationStartsNearTheUniformLoss() throws {
        // -log(1/27) = 3.2958: a model that is not confidently wrong at the start (makemore part 3).
        let X = try IndexTensor((0..<96).map { Int32($0 * 7 % 27) }, shape: [32, 3])
        let Y = try IndexTensor((0..<32).map { $0 * 5 % 27 })
        for c in [ModelConfiguration.mlp(initialization: .kaiming), .batchNormMLP()] {
            let loss = try Self.make(c).forward(X, targets: Y).loss!.item()
            #expect(abs(loss - 3.2958) < 0.1, "\(c): \(loss)")
        }
        let randn = try Self.make(.mlp()).forward(X, targets: Y).loss!.item()
        #expect(randn > 10, "lecture 2's N(0, 1) init starts confidently wrong: \(randn)")
    }

    @Test func neuralBigramIsOneHotTimesWAndRegularised() throws {
        let model = try #require(try Self.make(.neuralBigram()) as? NeuralBigramModel)
        let (logits, _) = try model.forward(IndexTensor([5, 0], shape: [2, 1]), targets: nil)
        let W = model.weight.scalars
        #expect(Array(logits.scalars[0..<27]) == Array(W[(5 * 27)..<(6 * 27)]))  // row 5 of W
        #expect(Array(logits.scalars[27..<54]) == Array(W[0..<27]))
        let xenc = try IndexTensor([5, 0]).oneHot(classes: 27)  // (2, 27)
        #expect(try xenc.matmul(model.weight).scalars == logits.scalars, "one-hot × W is the row lookup")
        let penalty = try #require(model.regularization()).item()
        let meanSquare = W.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(W.count)
        #expect(abs(Double(penalty) - 0.01 * meanSquare) < 1e-6)
        #expect(try Self.make(.mlp()).regularization() == nil)
    }

    @Test(arguments: [ModelConfiguration.neuralBigram(), .mlp(), .batchNormMLP()])
    func nextCharacterProbabilitiesAreADistributionInEitherMode(_ c: ModelConfiguration) throws {
        let model = try Self.make(c)
        for mode in [true, false] {
            model.training = mode
            let p = model.nextCharacterProbabilities(context: Array(repeating: 0, count: c.blockSize))
            #expect(p.count == 27 && abs(p.reduce(0, +) - 1) < 1e-5)
            #expect(model.training == mode, "sampling restores the mode")
        }
    }

    @Test func sameSeedSameWeightsAndNames() throws {
        let a = try Self.make(.batchNormMLP(), seed: 42)
        let b = try Self.make(.batchNormMLP(), seed: 42)
        #expect(a.parameters().map(\.scalars) == b.parameters().map(\.scalars))
        let ga = TorchGenerator(seed: 1)
        let gb = TorchGenerator(seed: 1)
        for _ in 0..<3 { #expect(try a.sample(using: ga) == b.sample(using: gb)) }
        #expect(
            try Self.make(.mlp(), seed: 1).parameters()[0].scalars != Self.make(.mlp(), seed: 2).parameters()[0].scalars
        )
    }

    @Test func temperatureSharpensAndFlattens() throws {
        let p: [Float] = [0.5, 0.3, 0.2, 0]
        let cold = BigramModel.sharpened(p, temperature: 0.5)
        let hot = BigramModel.sharpened(p, temperature: 2)
        #expect(abs(cold[0] - 0.25 / 0.38) < 1e-6 && cold[3] == 0)
        #expect(hot[0] < p[0] && hot[2] > p[2] && hot[3] == 0)
        #expect(abs(hot.reduce(0, +) - 1) < 1e-6)
    }

    @Test(arguments: [
        (ModelConfiguration.mlp(blockSize: 0), "the block size must be from 1 to 64, not 0"),
        (.mlp(embeddingSize: -3), "the embedding size must be from 1 to 1,024, not -3"),
        (.batchNormMLP(hiddenSize: 100_000), "the hidden size must be from 1 to 8,192, not 100000"),
        (
            .mlp(blockSize: 64, embeddingSize: 1_024, hiddenSize: 8_192),
            "that model would have 537,127,963 parameters, more than the 50,000,000 allowed; choose smaller sizes"
        ),
        (.neuralBigram(regularization: -1), "the regularisation must be a number ≥ 0 (the lecture's 0.01), not -1.0"),
        (
            ModelConfiguration(
                kind: .neuralBigram, blockSize: 3, embeddingSize: 0, hiddenSize: 0, initialization: .randn,
                regularization: 0),
            "the bigram sees exactly one character, so its block size is 1, not 3; use mlp for a longer context"
        )
    ])
    func badConfigurationsAreTypedErrors(_ c: ModelConfiguration, _ message: String) {
        #expect(throws: ModelError.self) { try Self.make(c) }
        do { _ = try Self.make(c) } catch { #expect((error as? ModelError)?.description == message) }
    }

    @Test func aVocabularyOfOnlyTheBoundaryMakesNoModel() {
        #expect(throws: ModelError.vocabularyTooSmall(1)) {
            try ModelConfiguration.mlp().make(vocabulary: Vocabulary(characters: ""), generator: TorchGenerator())
        }
    }

    /// The lecture's numbers: its exact split (python shuffle, seed 42) and initialisation give the
    /// first minibatch loss makemore part 3 prints, `0/200000: 27.8817`.
    @Test func firstStepOfTheLectureMatchesItsPrintedLoss() throws {
        let url = Reference.lectureNames
        let dataset = try NamesDataset(contentsOf: url.path)
        let split = DataSplit(dataset, seed: 42, shuffle: .python)
        let g = TorchGenerator(seed: 2_147_483_647)
        let model = try ModelConfiguration.mlp().make(vocabulary: dataset.vocabulary, generator: g)
        let data = try ContextWindows(split.train, vocabulary: dataset.vocabulary, blockSize: 3)
        let rows = try g.randint(low: 0, high: data.count, count: 32)
        let (X, Y) = data.batch(rows)
        let loss = try model.forward(X, targets: Y).loss!.item()
        #expect(abs(loss - 27.8817) < 5e-4, "\(loss)")
    }
}
