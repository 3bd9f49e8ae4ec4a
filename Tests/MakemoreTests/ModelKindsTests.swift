// What every kind of language model shares through the one protocol, tested once over all nine:
// the parameter count the configuration predicts, a traced forward pass, a short training run through
// the Trainer, and a checkpoint that brings the model, its optimizer and its samples back exactly.
// Then the whole-word data and growing contexts of makemore.py's models, and top-k sampling.
import Engine
import Foundation
import TestSupport
import Testing

@testable import Makemore

@Suite("Every model kind")
struct ModelKindsTests {
    static let words = TrainingTests.words
    static let vocabulary = TrainingTests.dataset.vocabulary

    /// A small configuration of each kind (block 4 fits no word here, so whole-word models get 10).
    static let tiny: [ModelConfiguration] = [
        .neuralBigram(), .mlp(blockSize: 3, embeddingSize: 4, hiddenSize: 8, initialization: .kaiming),
        .batchNormMLP(blockSize: 3, embeddingSize: 4, hiddenSize: 8),
        .backpropMLP(blockSize: 3, embeddingSize: 4, hiddenSize: 8),
        .deepBatchNorm(blockSize: 3, embeddingSize: 4, hiddenSize: 6, layerCount: 2, initialization: .kaiming),
        .wavenet(blockSize: 4, embeddingSize: 3, hiddenSize: 6),
        .recurrent(.rnn, blockSize: 10, embeddingSize: 4, hiddenSize: 6),
        .recurrent(.gru, blockSize: 10, embeddingSize: 4, hiddenSize: 6),
        .recurrent(.lstm, blockSize: 10, embeddingSize: 4, hiddenSize: 6),
        .bagOfWords(blockSize: 10, embeddingSize: 4, hiddenSize: 6),
        .transformer(blockSize: 10, embeddingSize: 8, layerCount: 2, headCount: 2),
        .gptBigram(blockSize: 6),
        .gpt(blockSize: 6, embeddingSize: 8, layerCount: 2, headCount: 2, dropout: 0.1)
    ]

    /// The words as one text, for the text models ("Let's build GPT"'s), one per line.
    static let text = try! TextCorpus(text: words.joined(separator: "\n") + "\n", source: "words")

    /// The vocabulary `c` is made with: the names' ('.' first), or the text's.
    static func vocabulary(for c: ModelConfiguration) -> Vocabulary {
        c.kind.readsText ? text.vocabulary : vocabulary
    }

    /// The examples `model` learns from: windows or whole words of the names, or runs of the text.
    static func data(for model: any LanguageModel) throws -> ContextWindows {
        model.configuration.kind.readsText
            ? text.windows(.train, blockSize: model.blockSize) : try ContextWindows(Self.words, for: model)
    }

    @Test func everyKindHasATinyConfiguration() {
        #expect(Set(Self.tiny.map(\.kind)) == Set(ModelConfiguration.Kind.allCases))
    }

    @Test(arguments: ModelConfiguration.Kind.allCases)
    func theDefaultsBuildWithThePredictedParameterCount(_ kind: ModelConfiguration.Kind) throws {
        let c = ModelConfiguration.defaults(for: kind)
        let model = try c.make(vocabulary: ModelTests.vocabulary, generator: TorchGenerator(seed: 1))
        #expect(model.parameterCount == c.parameterCount(vocabularySize: 27))
        #expect(model.configuration == c)
        #expect(model.parameters().allSatisfy { $0.requiresGrad })
    }

    @Test func theLecturesAndMakemoresSizes() {
        #expect(ModelConfiguration.wavenet().parameterCount(vocabularySize: 27) == 76_579)  // lecture 5 prints 76579
        // Part 3's last network.
        #expect(ModelConfiguration.deepBatchNorm().parameterCount(vocabularySize: 27) == 47_024)
    }

    /// A trained trainer of `c` on the words, with its data.
    static func trained(_ c: ModelConfiguration, steps: Int = 5) throws -> (Trainer, ContextWindows) {
        let g = TorchGenerator(seed: 3)
        let model = try c.make(vocabulary: Self.vocabulary(for: c), generator: g)
        let data = try Self.data(for: model)
        let trainer = Trainer(model: model)
        let defaults = c.kind.trainingDefaults
        var plan = TrainingPlan(
            steps: steps, batchSize: c.kind == .neuralBigram ? 0 : 4,
            schedule: c.kind.readsWholeWords || c.kind.readsText ? .constant(0.01) : defaults.schedule(steps),
            evaluateEvery: nil)
        #expect(trainer.run(&plan, schedule: try plan.validated(), data: data, dev: nil, generator: g) == .finished)
        return (trainer, data)
    }

    @Test(arguments: tiny)
    func aCheckpointBringsEverythingBack(_ c: ModelConfiguration) throws {
        let (trainer, data) = try Self.trained(c)
        trainer.model.training = false
        let loaded = try Checkpoint.decode(Checkpoint.encode(trainer))
        #expect(loaded.model.configuration == c)
        #expect(loaded.model.parameters().map(\.scalars) == trainer.model.parameters().map(\.scalars))
        #expect(loaded.model.buffers().map(\.scalars) == trainer.model.buffers().map(\.scalars))
        #expect(
            loaded.optimizerSettings == trainer.optimizerSettings && loaded.optimizer.state == trainer.optimizer.state)
        #expect(loaded.model.description == trainer.model.description)
        #expect(loaded.model.loss(on: data) == trainer.model.loss(on: data))
        let (a, b) = (TorchGenerator(seed: 9), TorchGenerator(seed: 9))
        for _ in 0..<3 { #expect(try loaded.model.sample(using: a) == trainer.model.sample(using: b)) }
    }

    @Test(arguments: tiny)
    func aTraceStartsAtTheInputAndEndsAtTheLoss(_ c: ModelConfiguration) throws {
        let model = try c.make(vocabulary: Self.vocabulary(for: c), generator: TorchGenerator(seed: 1))
        let data = try Self.data(for: model)
        let (X, Y) = data.batch(0..<3)
        let steps = try model.traceShapes(X, targets: Y)
        #expect(steps.first == .init(name: "input", shape: [3, c.blockSize]))
        let V = Self.vocabulary.count
        let perPosition = c.kind.readsWholeWords || c.kind.readsText
        #expect(steps.suffix(2).map(\.shape) == [perPosition ? [3, c.blockSize, V] : [3, V], []])
        #expect(steps.count >= 4, "the trace shows the steps between: \(steps)")
        #expect(ShapeTrace.current == nil, "nothing is traced afterwards")
    }

    @Test func aWaveNetTraceShowsTheTreeFolding() throws {
        let model = try ModelConfiguration.wavenet().make(
            vocabulary: ModelTests.vocabulary, generator: TorchGenerator(seed: 1))
        let steps = try model.traceShapes(IndexTensor([Int32](repeating: 1, count: 32), shape: [4, 8]), targets: nil)
        // Lecture 5's printout of each layer's output shape, for a batch of 4.
        #expect(
            steps.map(\.shape) == [
                [4, 8], [4, 8, 24], [4, 4, 48], [4, 4, 128], [4, 4, 128], [4, 4, 128],
                [4, 2, 256], [4, 2, 128], [4, 2, 128], [4, 2, 128],
                [4, 256], [4, 128], [4, 128], [4, 128], [4, 27], [4, 27]
            ])
    }

    /// Central differences of the mean loss against autograd for a few entries of every parameter.
    @Test func waveNetGradientsMatchFiniteDifferences() throws {
        let model = try ModelConfiguration.wavenet(blockSize: 4, embeddingSize: 3, hiddenSize: 5)
            .make(vocabulary: Self.vocabulary, generator: TorchGenerator(seed: 4))
        let data = try ContextWindows(Self.words, for: model)
        let (X, Y) = data.batch(Array(0..<6))  // (6, 4), (6,)
        // Batch norm in training mode updates its running statistics on every pass; they do not enter
        // the training-mode loss, so the finite differences are unaffected.
        let mismatches = try centralDifferenceMismatches(
            model.parameters(), absolute: 3e-4,
            elements: { Array(Set([0, $0.count / 2, $0.count - 1])).sorted() },
            label: { "parameter \($0)" },
            loss: {
                try #require(try model.forward(X, targets: Y).loss)  // ()
            })
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func waveNetDrivesTheLossDown() throws {
        let (trainer, data) = try Self.trained(.wavenet(blockSize: 4, embeddingSize: 6, hiddenSize: 16), steps: 0 + 1)
        let before = trainer.model.loss(on: data)
        var plan = TrainingPlan(steps: 300, batchSize: 32, schedule: .constant(0.1), evaluateEvery: nil)
        _ = trainer.run(&plan, schedule: try plan.validated(), data: data, dev: nil, generator: TorchGenerator(seed: 5))
        let after = trainer.model.loss(on: data)
        #expect(after < before - 0.8, "loss \(before) → \(after)")
    }

    @Test(arguments: [1, 3, 6, 12])
    func aWaveNetBlockThatIsNotAPowerOfTwoIsATypedError(_ block: Int) {
        #expect(throws: ModelError.wavenetBlockSize(block)) {
            try ModelConfiguration.wavenet(blockSize: block).make(
                vocabulary: Self.vocabulary, generator: TorchGenerator())
        }
    }

    @Test func transformerHeadsMustDivideTheEmbedding() {
        #expect(throws: ModelError.headsDoNotDivide(64, 5)) {
            try ModelConfiguration.transformer(headCount: 5).make(
                vocabulary: Self.vocabulary, generator: TorchGenerator())
        }
        #expect(
            ModelError.headsDoNotDivide(64, 5).description
                == "the embedding size 64 does not split into 5 heads of equal size; choose a number of heads that divides it"
        )
    }

    /// Lecture 3's calibration, computed the lecture's way: hpreact = embcat @ W1 over every example,
    /// then its mean and unbiased std per channel.
    @Test func calibrationSetsTheWholeSplitsStatistics() throws {
        let (trainer, data) = try Self.trained(.batchNormMLP(blockSize: 3, embeddingSize: 4, hiddenSize: 8), steps: 20)
        let model = try #require(trainer.model as? BatchNormMLPModel)
        let norm = try #require(model.network.layers[3] as? BatchNorm1d)
        let weightsBefore = model.parameters().map(\.scalars)
        #expect(model.calibrateBatchNorm(on: data) == 1)
        let (X, _) = data.batch(0..<data.count)  // (N, 3)
        let hpreact = try Tensor.withoutGrad {
            let emb = try model.network.layers[0].forward(indices: X)  // (N, 3, 4)
            return try model.network.layers[2].forward(emb.reshape(data.count, 12))  // (N, 8)
        }
        let mean = try hpreact.mean(dim: 0).scalars
        let variance = try hpreact.variance(dim: 0, unbiased: true).scalars
        for c in 0..<8 {
            #expect(abs(norm.runningMean.scalars[c] - mean[c]) < 1e-4, "channel \(c)")
            #expect(abs(norm.runningVar.scalars[c] - variance[c]) < 1e-4 * max(1, variance[c]), "channel \(c)")
        }
        #expect(model.parameters().map(\.scalars) == weightsBefore && model.training, "weights and mode are unchanged")
        let mlp = try ModelConfiguration.mlp(blockSize: 3, embeddingSize: 4, hiddenSize: 8).make(
            vocabulary: Self.vocabulary, generator: TorchGenerator())
        #expect((mlp as? MLPModel)?.calibrateBatchNorm(on: data) == 0, "nothing to calibrate")
    }

    @Test func aConfigurationSavedBeforeLayersAndHeadsExistedStillReads() throws {
        let json =
            #"{"blockSize":3,"embeddingSize":10,"hiddenSize":200,"initialization":"randn","kind":"mlp","regularization":0}"#
        let c = try JSONDecoder().decode(ModelConfiguration.self, from: Data(json.utf8))
        #expect(c == .mlp())
    }
}

@Suite("Whole-word examples and growing contexts")
struct WholeWordTests {
    static let v = TrainingTests.dataset.vocabulary

    @Test func aWordIsItsOwnExampleShiftedByOne() throws {
        // makemore.py's CharDataset: x = '.emma..', y = 'emma.' then -1.
        let data = try ContextWindows(wholeWords: ["emma", "ava"], vocabulary: Self.v, blockSize: 6)
        let (e, m, a, vv) = (
            Int32(Self.v.stoi["e"]!), Int32(Self.v.stoi["m"]!), Int32(Self.v.stoi["a"]!), Int32(Self.v.stoi["v"]!)
        )
        #expect(data.count == 2 && data.layout == .wholeWords)
        #expect(data.contexts == [0, e, m, m, a, 0, 0, a, vv, a, 0, 0])
        #expect(data.targets == [e, m, m, a, 0, -1, a, vv, a, 0, -1, -1])
        #expect(data.targets.filter { $0 >= 0 }.count == 9, "4 + 1 and 3 + 1 targets the loss counts")
        let (X, Y) = data.batch([1])
        #expect(X.shape == [1, 6] && Y.shape == [1, 6] && Y.values == [a, vv, a, 0, -1, -1])
        #expect(data.batch(0..<2).targets.shape == [2, 6])
        #expect(data.description == "ContextWindows(2 words in blocks of 6)")
    }

    @Test func aWordTooLongForTheBlockIsATypedError() {
        #expect(throws: ExampleError.tooLong(word: "emma", length: 4, blockSize: 4)) {
            try ContextWindows(wholeWords: ["ava", "emma"], vocabulary: Self.v, blockSize: 4)
        }
        #expect(
            ExampleError.tooLong(word: "emma", length: 4, blockSize: 4).description
                == "'emma' has 4 characters, but this model's block size 4 fits words of at most 3; make the model with --block-size 5 or more"
        )
        #expect(throws: ExampleError.self) { try ContextWindows(wholeWords: ["zoë"], vocabulary: Self.v, blockSize: 8) }
    }

    /// A whole-word model that records the contexts it is asked about and always predicts 'a' until
    /// the name has `length` characters, then '.'.
    final class Recorder: NextCharacterModel {
        let vocabulary = WholeWordTests.v
        let blockSize = 4
        let growsContext: Bool
        let length: Int
        var seen: [[Int]] = []
        init(growsContext: Bool, length: Int) { (self.growsContext, self.length) = (growsContext, length) }
        var description: String { "recorder" }
        func nextCharacterProbabilities(context: [Int]) -> [Float] {
            seen.append(context)
            var p = [Float](repeating: 0, count: vocabulary.count)
            p[seen.count > length ? 0 : vocabulary.stoi["a"]!] = 1
            return p
        }
    }

    @Test func aGrowingContextStartsAsOneDotAndSlidesOnceFull() throws {
        let a = Self.v.stoi["a"]!
        let model = Recorder(growsContext: true, length: 3)
        #expect(try model.sample(using: TorchGenerator(seed: 1)) == "aaa.")
        #expect(model.seen == [[0], [0, a], [0, a, a], [0, a, a, a]])
        // makemore.py's generate: a whole-word model stops at its block, leaving the name without '.'.
        let endless = Recorder(growsContext: true, length: 100)
        #expect(try endless.sample(using: TorchGenerator(seed: 1)) == "aaaa")
        #expect(endless.seen.count == 4)
        let windows = Recorder(growsContext: false, length: 2)
        _ = try windows.sample(using: TorchGenerator(seed: 1))
        #expect(windows.seen == [[0, 0, 0, 0], [0, 0, 0, a], [0, 0, a, a]])
        let scorer = Recorder(growsContext: true, length: 100)
        #expect(try scorer.scores(of: "aaaa").map(\.context) == [[0], [0, a], [0, a, a], [0, a, a, a], [a, a, a, a]])
    }

    @Test func topKKeepsTheLikeliestAndTheirTies() {
        let p: [Float] = [0.1, 0.4, 0.2, 0.2, 0.1]
        #expect(BigramModel.keepingTop(1, of: p) == [0, 1, 0, 0, 0])
        let two = BigramModel.keepingTop(2, of: p)  // 0.4 and both 0.2s
        #expect(two.map { ($0 * 1000).rounded() } == [0, 500, 250, 250, 0])
        #expect(BigramModel.keepingTop(5, of: p) == p)
    }

    /// A model whose likeliest next characters are those of index 2, 3, 4, 5, then '.', with
    /// every other character possible.
    final class Ladder: NextCharacterModel {
        let vocabulary = WholeWordTests.v
        let blockSize = 1
        var steps = 0
        var description: String { "ladder" }
        func nextCharacterProbabilities(context: [Int]) -> [Float] {
            steps += 1
            var p = [Float](repeating: 0.5 / Float(vocabulary.count - 1), count: vocabulary.count)
            p[steps > 4 ? 0 : steps + 1] = 0.5
            return p
        }
    }

    @Test func topOneSamplingIsGreedy() throws {
        let names = try [1, 2, 3].map { seed in try Ladder().sample(using: TorchGenerator(seed: seed), topK: 1) }
        let greedy = Self.v.decode([2, 3, 4, 5, 0])  // 'bcef.' in this vocabulary
        #expect(names == [greedy, greedy, greedy], "the likeliest character every time, whatever the draws")
        let free = try [1, 2, 3].map { seed in try Ladder().sample(using: TorchGenerator(seed: seed)) }
        #expect(free != names, "without top-k the other characters get drawn too: \(free)")
    }
}
