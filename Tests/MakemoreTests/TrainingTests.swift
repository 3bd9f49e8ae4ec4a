// The data and the training loop of makemore parts 2–3: Python's shuffle bit for bit, the 80/10/10
// split, the context windows of the lecture's example, a small model whose loss goes down, the same
// numbers for the same seed, and runs that stop (Ctrl-C), diverge or resume.
import Engine
import Foundation
import TestSupport
import Testing

@testable import Makemore

@Suite("Training")
struct TrainingTests {
    static let words = [
        "emma", "olivia", "ava", "isabella", "sophia", "charlotte", "mia", "amelia", "harper", "evelyn",
        "abigail", "emily", "elizabeth", "mila", "ella", "avery", "sofia", "camila", "aria", "scarlett"
    ]
    static let dataset = NamesDataset(words: words)

    @Test func pythonRandomMatchesCPython() {
        var r = PythonRandom(seed: 42)
        #expect(r.random() == 0.6394267984578837)
        var s = PythonRandom(seed: 7)
        #expect([s.random(), s.random()] == [0.32383276483316237, 0.15084917392450192])
        var t = PythonRandom(seed: 42)
        var x = Array(0..<10)
        t.shuffle(&x)
        #expect(x == [7, 3, 2, 8, 5, 6, 9, 4, 0, 1])  // random.seed(42); random.shuffle(x)
        var u = PythonRandom(seed: 0)
        var y = Array(0..<100)
        u.shuffle(&y)
        #expect(Array(y.prefix(10)) == [23, 8, 11, 7, 48, 13, 1, 91, 94, 54])
    }

    @Test func lectureSplitIsTheLecturesWords() throws {
        let url = Reference.lectureNames
        let split = DataSplit(try NamesDataset(contentsOf: url.path), seed: 42, shuffle: .python)
        #expect(Array(split.train.prefix(5)) == ["yuheng", "diondre", "xavien", "jori", "juanluis"])
        #expect([split.train.count, split.dev.count, split.test.count] as [Int] == [25_626, 3_203, 3_204])
        let v = split.vocabulary
        let counts = try [split.train, split.dev, split.test].map {
            try ContextWindows($0, vocabulary: v, blockSize: 3).count
        }
        #expect(counts == [182_625, 22_655, 22_866])  // Xtr, Xdev, Xte
    }

    @Test(arguments: [SplitShuffle.torch, .python])
    func splitIs80_10_10OfEveryWordOnce(_ shuffle: SplitShuffle) {
        let split = DataSplit(Self.dataset, seed: 42, shuffle: shuffle)
        #expect([split.train.count, split.dev.count, split.test.count] as [Int] == [16, 2, 2])
        #expect((split.train + split.dev + split.test).sorted() == Self.words.sorted())
        #expect(split.isSplit(of: Self.dataset) && !split.isSplit(of: NamesDataset(words: ["emma"])))
        #expect(DataSplit(Self.dataset, seed: 42, shuffle: shuffle).train == split.train)
        #expect(DataSplit(Self.dataset, seed: 43, shuffle: shuffle).train != split.train)
        #expect(
            split.description == "20 words split 16 / 2 / 2 (train / dev / test; \(shuffle.rawValue) shuffle, seed 42)")
    }

    @Test func makemoreLayoutIsMakemorePysCut() throws {
        // makemore.py: rp = torch.randperm(len(words)); test = the last min(1000, 10%) words, train the rest.
        let split = DataSplit(Self.dataset, seed: 3407, shuffle: .torch, layout: .makemore)
        let order = try TorchGenerator(seed: 3407).randperm(Self.words.count).map { Self.words[$0] }
        #expect(split.train == Array(order[..<18]) && split.dev.isEmpty && split.test == Array(order[18...]))
        #expect(
            split.description
                == "20 words split 18 / 0 / 2 (train / dev / test; makemore's layout, torch shuffle, seed 3407)")
        // Fewer than ten words: min(1000, 0) test words, so all of them train.
        let few = DataSplit(NamesDataset(words: ["ann", "bob", "cy"]), seed: 3407, shuffle: .torch, layout: .makemore)
        #expect(few.train.sorted() == ["ann", "bob", "cy"] && few.dev.isEmpty && few.test.isEmpty)
        #expect(SplitLayout.makemore.defaultSeed == 3407 && SplitLayout.makemore.defaultShuffle == .torch)
    }

    @Test func makemoreLayoutOfTheLectureNamesTestsOnAThousandWords() throws {
        let url = Reference.lectureNames
        let split = DataSplit(try NamesDataset(contentsOf: url.path), seed: 3407, shuffle: .torch, layout: .makemore)
        #expect([split.train.count, split.dev.count, split.test.count] as [Int] == [31_033, 0, 1_000])
    }

    @Test func contextWindowsAreTheLecturesExample() throws {
        // makemore part 2: ... ---> e, ..e ---> m, .em ---> m, emm ---> a, mma ---> .
        let v = Self.dataset.vocabulary
        let data = try ContextWindows(["emma"], vocabulary: v, blockSize: 3)
        let (e, m, a) = (Int32(v.stoi["e"]!), Int32(v.stoi["m"]!), Int32(v.stoi["a"]!))
        #expect(data.contexts == [0, 0, 0, 0, 0, e, 0, e, m, e, m, m, m, m, a])
        #expect(data.targets == [e, m, m, a, 0])
        let (X, Y) = data.batch([4, 0])
        #expect(X.shape == [2, 3] && X.values == [m, m, a, 0, 0, 0] && Y.values == [0, e])
        #expect(data.batch(1..<3).contexts.values == [0, 0, e, 0, e, m])
        #expect(throws: VocabularyError.self) { try ContextWindows(["zoë"], vocabulary: v, blockSize: 3) }
    }

    /// A small MLP and its training data, from a fixed seed.
    static func smallTrainer(
        _ c: ModelConfiguration = .mlp(blockSize: 3, embeddingSize: 4, hiddenSize: 16, initialization: .kaiming),
        seed: UInt64 = 1
    ) throws -> (Trainer, ContextWindows, TorchGenerator) {
        let g = TorchGenerator(seed: seed)
        let model = try c.make(vocabulary: Self.dataset.vocabulary, generator: g)
        return (
            Trainer(model: model),
            try ContextWindows(Self.words, vocabulary: Self.dataset.vocabulary, blockSize: c.blockSize), g
        )
    }

    @Test(arguments: [
        ModelConfiguration.mlp(blockSize: 3, embeddingSize: 4, hiddenSize: 16, initialization: .kaiming),
        .batchNormMLP(blockSize: 2, embeddingSize: 4, hiddenSize: 16), .neuralBigram()
    ])
    func trainingDrivesTheLossDown(_ c: ModelConfiguration) throws {
        let (trainer, data, g) = try Self.smallTrainer(c)
        let before = trainer.model.loss(on: data)
        var plan = TrainingPlan(
            steps: 300, batchSize: c.kind == .neuralBigram ? 0 : 32,
            schedule: c.kind == .neuralBigram ? .constant(10) : .stepwise(0.1, then: [150: 0.05]), evaluateEvery: nil)
        let outcome = trainer.run(&plan, schedule: try plan.validated(), data: data, dev: nil, generator: g)
        #expect(outcome == .finished && plan.completed == 300 && trainer.stepsTaken == 300)
        let after = trainer.model.loss(on: data)
        #expect(after < before - 0.5, "\(c): \(before) → \(after)")
        #expect(trainer.history.learningRates.first == (c.kind == .neuralBigram ? 10 : 0.1))
        #expect(
            !trainer.history.updateRatios.isEmpty
                && trainer.history.updateRatios[0].ratios.count == trainer.model.parameters().count)
    }

    @Test func sameSeedSameLosses() throws {
        func losses() throws -> [Float] {
            let (trainer, data, g) = try Self.smallTrainer(.batchNormMLP(blockSize: 3, embeddingSize: 4, hiddenSize: 8))
            var plan = TrainingPlan(steps: 50, batchSize: 8, schedule: .constant(0.1), evaluateEvery: 10)
            _ = trainer.run(&plan, schedule: try plan.validated(), data: data, dev: data, generator: g)
            return trainer.history.losses + trainer.history.evaluations.map(\.loss)
        }
        #expect(try losses() == losses())
    }

    @Test func evaluationsComeEveryKStepsAndAtTheEnd() throws {
        let (trainer, data, g) = try Self.smallTrainer()
        var plan = TrainingPlan(steps: 25, batchSize: 4, schedule: .constant(0.1), evaluateEvery: 10)
        var seen: [Int] = []
        _ = trainer.run(
            &plan, schedule: try plan.validated(), data: data, dev: data, generator: g,
            report: { event in
                if case .report(let k, _) = event { seen.append(k) }
            })
        #expect(seen == [0, 10, 20, 24])
        #expect(trainer.history.evaluations.map(\.step) == [1, 11, 21, 25])
    }

    @Test func stoppingKeepsWhatWasLearnedAndResumeFinishes() throws {
        let (trainer, data, g) = try Self.smallTrainer()
        var plan = TrainingPlan(steps: 20, batchSize: 4, schedule: .stepwise(0.1, then: [10: 0.01]), evaluateEvery: nil)
        let schedule = try plan.validated()
        var calls = 0
        let outcome = trainer.run(
            &plan, schedule: schedule, data: data, dev: nil, generator: g,
            shouldStop: {
                calls += 1
                return calls > 7
            })
        #expect(outcome == .stopped && plan.completed == 7 && trainer.stepsTaken == 7 && trainer.plan == plan)
        var resumed = try #require(trainer.plan)
        #expect(trainer.run(&resumed, schedule: schedule, data: data, dev: nil, generator: g) == .finished)
        #expect(trainer.stepsTaken == 20 && resumed.isFinished)
        #expect(trainer.history.learningRates[9] == 0.1 && trainer.history.learningRates[10] == 0.01)
    }

    @Test func aDivergingRunStopsBeforeApplyingTheBadStep() throws {
        let (trainer, data, g) = try Self.smallTrainer(.mlp(blockSize: 3, embeddingSize: 4, hiddenSize: 16))
        var plan = TrainingPlan(steps: 50, batchSize: 8, schedule: .constant(1e30), evaluateEvery: nil)
        let outcome = trainer.run(&plan, schedule: try plan.validated(), data: data, dev: nil, generator: g)
        guard case .diverged(let step, let loss, _) = outcome else {
            Issue.record("expected divergence, got \(outcome)")
            return
        }
        // Either the loss was already inf/nan, or the update would have made a weight so: in both
        // cases that step was not applied and every weight is still finite.
        _ = loss
        #expect(step == plan.completed && trainer.stepsTaken == step)
        #expect(trainer.model.parameters().allSatisfy { p in p.withUnsafeBufferPointer { $0.allSatisfy(\.isFinite) } })
    }

    @Test func optimizersCanBeSwitchedAndKeepTheirState() throws {
        let (trainer, data, g) = try Self.smallTrainer()
        #expect(!trainer.useOptimizer(.sgd()))
        #expect(trainer.useOptimizer(OptimizerSettings(kind: .adamw)))
        var plan = TrainingPlan(steps: 5, batchSize: 4, schedule: .constant(0.001), evaluateEvery: nil)
        _ = trainer.run(&plan, schedule: try plan.validated(), data: data, dev: nil, generator: g)
        #expect(trainer.optimizer.stepCount == 5 && trainer.optimizer is AdamW)
        #expect(OptimizerSettings(kind: .adamw).description == "adamw (betas 0.9, 0.99; weight decay 0.01)")
        #expect(OptimizerSettings(kind: .sgd, momentum: 0.9).description == "sgd (momentum 0.9)")
        #expect(throws: TrainingError.self) { try OptimizerSettings(kind: .sgd, momentum: 1.5).validate() }
    }

    @Test(arguments: [
        (
            TrainingPlan(steps: 0, batchSize: 32, schedule: .constant(0.1), evaluateEvery: nil),
            "--steps must be from 1 to 10,000,000, not 0"
        ),
        (
            TrainingPlan(steps: 10, batchSize: -1, schedule: .constant(0.1), evaluateEvery: nil),
            "--batch must be from 1 to 100,000, or 0 for every example, not -1"
        ),
        (
            TrainingPlan(steps: 10, batchSize: 32, schedule: .constant(0.1), evaluateEvery: 0),
            "--every must be at least 1, not 0"
        )
    ])
    func badPlansAreTypedErrors(_ plan: TrainingPlan, _ message: String) {
        do {
            _ = try plan.validated()
            Issue.record("accepted \(plan)")
        } catch { #expect(error.description == message) }
    }

    @Test func theLecturesSchedule() {
        #expect(TrainingPlan.lectureSchedule(steps: 200_000) == .stepwise(0.1, then: [100_000: 0.01]))
        #expect(TrainingPlan.lectureSchedule(steps: 1) == .constant(0.1))
    }

    @Test func meanLossOfTheLastSteps() {
        var history = TrainingHistory()
        #expect(history.meanLoss(ofLast: 3) == nil)
        history.losses = [1, 2, 3, 4, 5]
        #expect(history.meanLoss(ofLast: 2) == 4.5 && history.meanLoss(ofLast: 100) == 3)
    }
}

@Suite("Training values print themselves")
struct TrainingDescriptionTests {
    @Test func descriptions() throws {
        let (trainer, data, _) = try TrainingTests.smallTrainer()
        #expect(data.description == "ContextWindows(134 examples of 3 characters)")
        #expect(
            trainer.description == "Trainer(mlp (block 3, embedding 4, hidden 16, kaiming init), sgd, 0 steps trained)")
        #expect(
            TrainingPlan(
                steps: 200_000, batchSize: 32, schedule: .stepwise(0.1, then: [100_000: 0.01]), evaluateEvery: nil
            )
            .description == "200,000 steps, batch 32, lr stepwise(0.1, 0.01 from step 100000) (0 done)")
    }
}
