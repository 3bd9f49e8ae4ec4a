// makemore parts 3 and 5 as the lectures ran them, on the lectures' names with their seeds: the
// batch-norm MLP of part 3's final cell and part 5's WaveNet print the lectures' losses. (The full
// 200,000-step runs, which end at the lectures' train and dev losses, are in the README.)
import Engine
import Foundation
import TestSupport
import Testing

@testable import Makemore
@testable import Notebook

@Suite("The lectures' batch-norm models")
struct LectureModelTests {
    /// The rows a `fit` printed, as (step, loss) text pairs.
    static func rows(_ text: String) -> [(String, String)] {
        text.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: " ").map(String.init)
            guard cells.count >= 3, cells[0].first?.isNumber == true, Float(cells[1]) != nil else { return nil }
            return (cells[0], cells[1])
        }
    }

    /// Part 3's cell: step 0 prints 3.3239 and step 10,000 prints 2.0322, as in the lecture.
    @Test func thePart3BatchNormMLPPrintsTheLecturesRows() {
        let (session, output) = makeSession()
        for line in ["load \(Reference.lectureNames.path)", "split", "seed 2147483647", "model bn-mlp"] {
            #expect(session.execute(line))
        }
        _ = output.take()
        #expect(session.execute("fit --steps 10001 --every 10000 --no-dev --lr 0.1"))
        let rows = Self.rows(output.text)
        #expect(rows.map(\.0) == ["0", "10,000"] && rows.map(\.1) == ["3.3239", "2.0322"], "\(output.text)")
    }

    /// Part 3's last network (deep-bn), as its notebook ran it: 1,001 steps at lr 0.1 (the cell stops
    /// after step 1,000), then the train and val losses it printed (2.4002976417541504 and
    /// 2.3982467651367188), then 20 names from `torch.Generator().manual_seed(2147483647 + 10)`: the
    /// twenty the notebook printed.
    @Test func thePart3DeepNetworkPrintsTheLecturesLossesAndNames() throws {
        let (session, output) = makeSession()
        for line in ["load \(Reference.lectureNames.path)", "split", "seed 2147483647", "model deep-bn"] {
            #expect(session.execute(line))
        }
        #expect(output.take().contains("47,024 parameters"))
        #expect(session.execute("fit --steps 1001 --lr 0.1 --every 1000 --no-dev"))
        #expect(Self.rows(output.take()).map(\.0) == ["0", "1,000"])
        let trainer = try #require(session.state.languageModels.trainer)
        let train = trainer.model.loss(on: try session.windows(.train, for: trainer.model))
        let dev = trainer.model.loss(on: try session.windows(.dev, for: trainer.model))
        #expect(abs(Double(train) - 2.4002976417541504) < 2e-6, "train \(train)")
        #expect(abs(Double(dev) - 2.3982467651367188) < 2e-6, "dev \(dev)")
        #expect(session.execute("seed 2147483657"))
        _ = output.take()
        #expect(session.execute("sample 20"))
        let names = output.text.split(separator: "\n").map { String($0.prefix { $0 != " " }) }
        #expect(
            names == [
                "carpah.", "qarlileif.", "jmrix.", "thty.", "sacansa.", "jazhnte.", "dpn.", "arciigqeiunellaia.",
                "chriiv.", "kalein.", "dhlm.", "join.", "qhinn.", "sroin.", "arian.", "quiqaelogiearyxix.",
                "kaeklinsan.", "ed.", "ecoia.", "gtleley."
            ])
    }

    /// Part 5's model after its 200,000 steps (weights from gradbook's own run of the lecture, which
    /// printed the lecture's rows and losses: see Tests/Fixtures/REFERENCE-README.md): its dev loss is
    /// the lecture's val 1.9936515092849731, and the generator where training left it (seed 42, the
    /// model's initial draws, then 200,000 batches of 32 indices) samples the twenty names the lecture's
    /// last cell printed (`torch.multinomial(probs, num_samples=1)` right after training).
    @Test func thePart5WaveNetSamplesTheLecturesNames() throws {
        let (session, output) = makeSession()
        for line in ["load \(Reference.lectureNames.path)", "split", "seed 42", "model wavenet"] {
            #expect(session.execute(line))
        }
        let train = try session.windows(.train, for: try #require(session.state.languageModels.trainer?.model))
        for _ in 0..<200_000 { _ = Trainer.draw(32, below: train.count, session.generator) }
        let model = try #require(session.state.languageModels.trainer?.model)
        let bytes = try Data(contentsOf: Reference.referenceFile("lecture5-wavenet-weights.f32"))
        let values = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let tensors = model.parameters() + model.buffers()
        #expect(values.count == tensors.map(\.count).reduce(0, +))
        var offset = 0
        for tensor in tensors {
            let count = tensor.count
            tensor.withUnsafeMutableBufferPointer { for i in 0..<count { $0[i] = values[offset + i] } }
            offset += count
        }
        let dev = model.loss(on: try session.windows(.dev, for: model))
        #expect(abs(Double(dev) - 1.9936515092849731) < 2e-6, "dev \(dev)")
        _ = output.take()
        #expect(session.execute("sample 20"))
        let names = output.text.split(separator: "\n").map { String($0.prefix { $0 != " " }) }
        #expect(
            names == [
                "arlij.", "chetta.", "heago.", "rocklei.", "hendrix.", "jamylie.", "broxin.", "denish.", "anslibt.",
                "marianah.", "astavia.", "annayve.", "aniah.", "jayce.", "nodiel.", "remita.", "niyelle.", "jaylene.",
                "aiyan.", "aubreana."
            ])
    }

    /// Part 5's model: step 0 prints 3.3167, as in the lecture.
    @Test func thePart5WaveNetStartsAtTheLecturesLoss() {
        let (session, output) = makeSession()
        for line in ["load \(Reference.lectureNames.path)", "split", "seed 42", "model wavenet"] {
            #expect(session.execute(line))
        }
        _ = output.take()
        #expect(session.execute("fit --steps 1 --no-dev"))
        #expect(Self.rows(output.text).first?.1 == "3.3167", "\(output.text)")
    }

    /// A checkpoint saved before the batch norm's statistics were recorded has the biased variance
    /// and momentum 0.001 it was trained with; new models record theirs.
    @Test func theBatchNormStatisticsAreRecorded() throws {
        #expect(ModelConfiguration.batchNormMLP().batchNorm == .lecture3)
        #expect(
            ModelConfiguration.wavenet().batchNorm == .lecture5 && ModelConfiguration.wavenet().batchNormMomentum == 0.1
        )
        let saved = try JSONEncoder().encode(ModelConfiguration.batchNormMLP())
        var old = try #require(try JSONSerialization.jsonObject(with: saved) as? [String: Any])
        #expect(old["batchNorm"] as? String == "lecture3")
        old["batchNorm"] = nil
        let read = try JSONDecoder().decode(
            ModelConfiguration.self, from: try JSONSerialization.data(withJSONObject: old))
        #expect(read.batchNorm == .torch && read.batchNormMomentum == 0.001)
        #expect(ModelConfiguration.mlp().batchNorm == nil)
    }
}

@Suite("makemore part 4's MLP")
struct BackpropMLPTests {
    /// The lecture's count for its first network (hidden 64) and for exercise 4's (hidden 200).
    @Test(arguments: [("", "4,137"), (" --hidden 200", "12,297")])
    func parameterCountsAreTheLectures(options: String, count: String) {
        let output = lastOutput(["load \(Reference.lectureNames.path)", "model backprop-mlp\(options)"])
        #expect(output.contains("), \(count) parameters, training mode\n"), "\(output)")
    }

    /// Batch norm with Bessel's correction and eps, bngain near 1 and bnbias near 0, b1 kept.
    @Test func itIsInitialisedAsPart4() throws {
        let made = try ModelConfiguration.backpropMLP().make(
            vocabulary: Vocabulary(characters: Array(".abcdefghijklmnopqrstuvwxyz")), generator: TorchGenerator())
        let model = try #require(made as? BackpropMLPModel)
        let norm = try #require(model.network.layers.compactMap { $0 as? BatchNorm1d }.first)
        #expect(norm.statistics == BatchNormStatistics.lecture5 && norm.momentum == 0.001)
        #expect(norm.gamma.scalars.allSatisfy { abs($0 - 1) < 0.5 } && Set(norm.gamma.scalars).count > 1)
        let linears = model.network.layers.compactMap { $0 as? Linear }
        #expect(linears.count == 2 && linears.allSatisfy { $0.bias != nil })
    }
}
