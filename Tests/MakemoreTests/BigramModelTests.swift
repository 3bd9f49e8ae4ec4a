// The counting bigram model on words small enough to check by hand: N, P with and without smoothing,
// the negative log likelihood, and sampling that is the same for the same seed.
import Engine
import Foundation
import Testing

@testable import Makemore

@Suite("Bigram model")
struct BigramModelTests {
    static let data = NamesDataset(words: ["emma", "ava", "eva"])  // . a e m v

    @Test func countsEveryBigramWithDotsAtBothEnds() {
        let N = BigramCounts(Self.data)
        #expect(N.size == 5)
        #expect(N[".", "e"] == 2 && N[".", "a"] == 1)
        #expect(N["a", "."] == 3)
        #expect(N["m", "m"] == 1 && N["v", "a"] == 2)
        #expect(N["a", "z"] == nil)
        #expect(N.total == Self.data.bigramCount)
        #expect(N.total == 5 + 4 + 4)
        #expect(N.row(0) == [0, 1, 2, 0, 0])
        #expect(N.column(0) == [0, 3, 0, 0, 0])
        #expect(N.largest.count == 3 && N.largest.i == 1 && N.largest.j == 0)
        #expect(N.description == "BigramCounts(5×5, 13 bigrams of words)")
    }

    @Test func probabilitiesAreSmoothedRowNormalisedFloat32() throws {
        let model = try BigramModel(counts: BigramCounts(Self.data))
        // Row '.': counts [0, 1, 2, 0, 0] + 1 → [1, 2, 3, 1, 1] / 8.
        #expect(model.row(0) == [1, 2, 3, 1, 1].map { Float($0) / 8 })
        for i in 0..<model.size { #expect(abs(model.row(i).reduce(0, +) - 1) < 1e-6) }
        let unsmoothed = try BigramModel(counts: model.counts, smoothing: 0)
        #expect(unsmoothed.row(0) == [0, 1, 2, 0, 0].map { Float($0) / 3 })
        #expect(unsmoothed[4, 1] == 1)  // every 'v' is followed by 'a'
        #expect(model.description == "BigramModel(5 characters, +1 smoothing, from 13 bigrams of words)")
        #expect(BigramModel.describe(smoothing: 0) == "no smoothing")
        #expect(BigramModel.describe(smoothing: 0.5) == "+0.5 smoothing")
    }

    @Test(arguments: [-1, .nan, .infinity, 2e6])
    func smoothingOutOfRangeIsATypedError(_ k: Double) {
        #expect(throws: BigramError.self) { try BigramModel(counts: BigramCounts(Self.data), smoothing: k) }
    }

    @Test func logLikelihoodSumsInFloat32() throws {
        let model = try BigramModel(counts: BigramCounts(Self.data), smoothing: 0)
        // 'ava': P['.','a'] = 1/3, P['a','v'] = 1/4, P['v','a'] = 1, P['a','.'] = 3/4: nll = log 16.
        let scores = try model.scores(of: "ava")
        #expect(scores.map(\.next) == [1, 4, 1, 0])
        #expect(scores.map(\.probability) == [Float(1) / 3, Float(1) / 4, 1, Float(3) / 4])
        let result = try model.logLikelihood(of: ["ava"])
        #expect(result.count == 4)
        #expect(abs(Double(result.nll) - log(16)) < 1e-6)
        #expect(result.average == result.nll / 4)
        #expect(result.description == "average nll \(String(format: "%.4f", Double(result.nll / 4))) over 4 characters")
    }

    @Test func anImpossibleBigramHasInfiniteLoss() throws {
        let model = try BigramModel(counts: BigramCounts(Self.data), smoothing: 0)
        let result = try model.logLikelihood(of: ["ama"])  // 'a' is never followed by 'm'
        #expect(result.logLikelihood == -.infinity && result.nll == .infinity && result.average == .infinity)
        let smoothed = try BigramModel(counts: model.counts).logLikelihood(of: ["ama"])
        #expect(smoothed.nll.isFinite)
    }

    @Test func scoringAWordWithAnUnknownCharacterThrows() throws {
        let model = try BigramModel(counts: BigramCounts(Self.data))
        #expect(throws: VocabularyError.unknownCharacter("z", word: "zoe", vocabulary: model.vocabulary)) {
            try model.logLikelihood(of: ["emma", "zoe"])
        }
    }

    @Test func samplingIsTheSameForTheSameSeed() throws {
        let model = try BigramModel(counts: BigramCounts(Self.data))
        func names(_ seed: UInt64) throws -> [String] {
            let g = TorchGenerator(seed: seed)
            return try (0..<20).map { _ in try model.sample(using: g) }
        }
        let first = try names(42)
        #expect(try names(42) == first)
        #expect(try names(43) != first)
        for name in first {
            #expect(name.hasSuffix(".") && name.dropLast().allSatisfy { "aemv".contains($0) })
        }
    }

    @Test func samplingWithoutSmoothingOnlyMakesSeenBigrams() throws {
        let model = try BigramModel(counts: BigramCounts(Self.data), smoothing: 0)
        let g = TorchGenerator(seed: 7)
        for _ in 0..<50 {
            let name = try model.sample(using: g)
            let indices = try [0] + model.vocabulary.encode(String(name.dropLast())) + [0]
            for (a, b) in zip(indices, indices.dropFirst()) { #expect(model.counts[a, b] > 0) }
        }
    }

    @Test func aModelThatNeverEndsAName() throws {
        /// Always 'a' after anything: the sampler stops at its length guard.
        struct Stuck: NextCharacterModel {
            let vocabulary = Vocabulary(characters: "a")
            let blockSize = 1
            func nextCharacterProbabilities(context: [Int]) -> [Float] { [0, 1] }
            var description: String { "Stuck" }
        }
        #expect(throws: SamplingError.tooLong(limit: 30, start: String(repeating: "a", count: 20))) {
            try Stuck().sample(using: TorchGenerator(), maximumLength: 30)
        }
    }
}
