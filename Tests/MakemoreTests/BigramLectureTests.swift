// The bigram lecture (makemore part 1) reproduced on its own data, the project's names.txt (makemore's):
// the counts, the loss and the sampled names it shows.
import Engine
import Foundation
import TestSupport
import Testing

@testable import Makemore

@Suite("The bigram lecture's figures")
struct BigramLectureTests {
    /// The lecture's dataset and its +1-smoothed model, loaded once for the suite.
    static let lecture: (data: NamesDataset, model: BigramModel)? = {
        let url = Reference.lectureNames
        guard let data = try? NamesDataset(contentsOf: url.path),
            let model = try? BigramModel(counts: BigramCounts(data))
        else { return nil }
        return (data, model)
    }()

    @Test func datasetIsTheLectures() throws {
        let data = try #require(Self.lecture).data
        #expect(data.words.count == 32_033)
        #expect(data.words.prefix(3) == ["emma", "olivia", "ava"])
        #expect(data.vocabulary.count == 27)
        #expect(data.vocabulary.summary == "a-z")
        #expect(data.shortest?.count == 2 && data.longest?.count == 15)
        // The lecture's file repeats 2,539 names (29,494 distinct): kept, as the lecture keeps them.
        #expect(data.warnings.map(\.kind) == [.duplicate])
        #expect(data.warnings.first?.count == 2_539)
    }

    @Test func counts() throws {
        let N = try #require(Self.lecture).model.counts
        #expect(N[".", "a"] == 4410)
        #expect(N.total == 228_146)
        #expect(N.size == 27)
        #expect(N.row(0).reduce(0, +) == 32_033)  // every word starts once
        #expect(N.column(0).reduce(0, +) == 32_033)  // and ends once
        #expect(N.largest.count == 6763 && N.largest.i == N.vocabulary.stoi["n"] && N.largest.j == 0)
    }

    @Test func averageNLLWithSmoothing() throws {
        let (data, model) = try #require(Self.lecture)
        let result = try model.logLikelihood(of: data.words)
        #expect(result.count == 228_146)
        #expect(String(format: "%.4f", Double(result.average)) == "2.4544")
        #expect(result.logLikelihood == -559951.5625)
    }

    @Test func averageNLLWithoutSmoothing() throws {
        let (data, model) = try #require(Self.lecture)
        let result = try BigramModel(counts: model.counts, smoothing: 0).logLikelihood(of: data.words)
        #expect(result.logLikelihood == -559891.75)
        #expect(String(format: "%.4f", Double(result.average)) == "2.4541")
    }

    /// The lecture's `andrejq`: 'jq' never occurs, so without smoothing the loss is infinite.
    @Test func andrejq() throws {
        let model = try #require(Self.lecture).model
        let smoothed = try model.logLikelihood(of: ["andrejq"])
        #expect(smoothed.count == 8)
        #expect(String(format: "%.4f", Double(smoothed.nll)) == "27.8672")
        #expect(String(format: "%.4f", Double(smoothed.average)) == "3.4834")
        let unsmoothed = try BigramModel(counts: model.counts, smoothing: 0)
        let scores = try unsmoothed.scores(of: "andrejq")
        #expect(scores.map(\.probability).firstIndex(of: 0) == 6)  // 'jq'
        #expect(try unsmoothed.logLikelihood(of: ["andrejq"]).nll == .infinity)
    }

    /// The notebook's first draw: `p = N[0].float(); p = p / p.sum()`, a fresh generator, one sample: 'm'.
    @Test func firstDrawIsM() throws {
        let model = try #require(Self.lecture).model
        let p = model.counts.row(0).map { Float($0) }
        let sum = p.reduce(0, +)
        let ix = try TorchGenerator(seed: 2_147_483_647).multinomial(p.map { $0 / sum }, samples: 1)[0]
        #expect(model.vocabulary.itos[ix] == "m")
    }

    /// The sampling cell of the lecture's notebook (nn-zero-to-hero, makemore_part1_bigrams.ipynb) prints
    /// these five names for `P = (N+1).float(); P /= P.sum(1, keepdims=True)` and seed 2147483647.
    @Test func samplesTheLecturesNames() throws {
        let model = try #require(Self.lecture).model
        let generator = TorchGenerator(seed: 2_147_483_647)
        let names = try (0..<5).map { _ in try model.sample(using: generator) }
        #expect(names == ["mor.", "axx.", "minaymoryles.", "kondlaisah.", "anchshizarie."])
    }
}
