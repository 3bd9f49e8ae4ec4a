// Benchmarks of training makemore's models the way `fit` does (the Trainer: minibatch drawn from the
// generator, forward, zero_grad, backward, optimizer step, history): part 2's MLP, part 3's batch-norm
// MLP and part 5's WaveNet, each against the lecture's own loop in PyTorch in the same run
// (PyTorchPeer), and part 1's neural bigram.
import Engine
import Makemore

enum MakemoreBenchmarks {
    static let mlp = Benchmark(
        name: "mlp",
        summary: "one fit step of makemore part 2's MLP (block 3, embedding 10, hidden 200, batch 32, SGD) vs PyTorch"
    ) {
        [line("mlp", .mlp(), stepsPerCall: 1000, learningRate: 0.1, goal: 4.4)]
    }

    static let batchNormMLP = Benchmark(
        name: "bn-mlp",
        summary:
            "one fit step of makemore part 3's batch-norm MLP (block 3, embedding 10, hidden 200, batch 32, SGD) vs PyTorch"
    ) {
        [line("bn-mlp", .batchNormMLP(), stepsPerCall: 500, learningRate: 0.1, goal: 5.6)]
    }

    static let wavenet = Benchmark(
        name: "wavenet",
        summary:
            "one fit step of makemore part 5's WaveNet (block 8, embedding 24, hidden 128, batch 32, SGD) vs PyTorch"
    ) {
        [line("wavenet", .wavenet(), stepsPerCall: 200, learningRate: 0.1, goal: 2.6)]
    }

    /// `NAME: X ms/step (Y steps/s); PyTorch P steps/s: R× faster  (goal: G×)`: one step of
    /// `configuration` at batch 32 against PyTorch's step of `peer` (the same model by default).
    static func line(
        _ name: String, _ configuration: ModelConfiguration, stepsPerCall: Int, learningRate: Double,
        peer: String? = nil, goal: Double
    ) -> String {
        let seconds = secondsPerStep(
            configuration, batchSize: 32, stepsPerCall: stepsPerCall, learningRate: learningRate)
        return Benchmark.line(name, secondsPerStep: seconds)
            + PyTorchPeer.comparison(ours: seconds, model: peer ?? name, steps: stepsPerCall, goal: goal)
    }

    static let neuralBigram = Benchmark(
        name: "bigram-nn",
        summary: "one full-batch step of makemore part 1's neural bigram (about 228,000 examples, as the lecture)"
    ) {
        let seconds = secondsPerStep(.neuralBigram(), batchSize: 0, stepsPerCall: 2, examples: 228_146)
        return [
            Benchmark.line(
                "bigram-nn", secondsPerStep: seconds,
                note: "(one-hot (≈228k, 27) × W (27, 27), loss + 0.01·mean(W²), backward, SGD)")
        ]
    }

    /// Seconds per training step of `configuration` through ``Trainer`` (with the kind's own optimizer),
    /// on synthetic names (the numbers do not depend on which characters they are): the best of five
    /// runs of `stepsPerCall` steps after a warm-up, as PyTorchPeer times PyTorch's.
    static func secondsPerStep(
        _ configuration: ModelConfiguration, batchSize: Int, stepsPerCall: Int, examples: Int = 182_625,
        learningRate: Double = 0.01
    ) -> Double {
        let vocabulary = Vocabulary(characters: Array("abcdefghijklmnopqrstuvwxyz"))
        let g = TorchGenerator(seed: 2_147_483_647)
        let model: any LanguageModel
        do { model = try configuration.make(vocabulary: vocabulary, generator: g) } catch {
            preconditionFailure("benchmark: \(error)")
        }
        let data = syntheticExamples(count: examples, for: model)
        let trainer = Trainer(model: model)
        trainer.ratioInterval = Int.max  // as `fit` does for long runs: the ratios are recorded rarely
        let schedule = LearningRateSchedule.constant(learningRate)
        func run() {
            var plan = TrainingPlan(steps: stepsPerCall, batchSize: batchSize, schedule: schedule, evaluateEvery: nil)
            _ = trainer.run(&plan, schedule: schedule, data: data, dev: nil, generator: g)
        }
        return Benchmark.bestSecondsPerCall(runs: 5, run) / Double(stepsPerCall)
    }

    /// About `count` examples for `model` from names of 6 pseudo-random letters each (7 windows per
    /// name, with the '.'; one example per name for a whole-word model).
    static func syntheticExamples(count: Int, for model: any LanguageModel) -> ContextWindows {
        var state: UInt32 = 2_463_534_242
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let words = (0..<((count + 6) / 7)).map { _ in
            String(
                (0..<6).map { _ -> Character in
                    state ^= state << 13
                    state ^= state >> 17
                    state ^= state << 5
                    return letters[Int(state % 26)]
                })
        }
        do { return try ContextWindows(words, for: model) } catch { preconditionFailure("benchmark: \(error)") }
    }
}
