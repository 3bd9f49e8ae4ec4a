// Benchmarks of one training step of makemore.py's bag of words and Transformer at makemore's sizes
// (block 16, embedding 64; the Transformer's 4 layers × 4 heads), batches of 32 whole words, through the
// Trainer with their default optimizer (AdamW, lr 5e-4). PyTorch's figures were measured on the
// reference machine (2 cores); the target is to be faster. Each line also gives the CPU time per step
// (both cores together), which other work on a shared machine does not inflate as it does the wall clock.
import Engine
import Foundation
import Makemore

enum TransformerBenchmarks {
    /// PyTorch's steps per second for makemore.py's BoW and Transformer steps on this machine.
    static let pytorchBagOfWordsStepsPerSecond = 747.0, pytorchTransformerStepsPerSecond = 62.0

    static let bagOfWords = Benchmark(
        name: "bow",
        summary: "one fit step of makemore.py's bag of words (block 16, embedding 64, hidden 64, batch 32, AdamW)"
    ) {
        [line("bow", .bagOfWords(), stepsPerCall: 100, pytorch: pytorchBagOfWordsStepsPerSecond)]
    }

    static let transformer = Benchmark(
        name: "transformer",
        summary:
            "one fit step of makemore.py's Transformer (4 layers × 4 heads, embedding 64, block 16, batch 32, AdamW)"
    ) {
        [line("transformer", .transformer(), stepsPerCall: 20, pytorch: pytorchTransformerStepsPerSecond)]
    }

    /// `NAME: X ms/step (Y steps/s)  (PyTorch ≈ P steps/s …; CPU Z ms/step)`, and BELOW TARGET when not faster.
    static func line(_ name: String, _ configuration: ModelConfiguration, stepsPerCall: Int, pytorch: Double) -> String
    {
        let seconds = MakemoreBenchmarks.secondsPerStep(
            configuration, batchSize: 32, stepsPerCall: stepsPerCall, learningRate: 5e-4)
        let cpu = cpuSecondsPerStep(configuration, steps: 5 * stepsPerCall)
        let ok = 1 / seconds > pytorch ? "" : "  BELOW TARGET"
        return Benchmark.line(
            name, secondsPerStep: seconds,
            note: "(PyTorch ≈ \(Int(pytorch)) steps/s on this machine; target: faster; "
                + String(format: "CPU %.2f ms/step", cpu * 1e3) + ")" + ok)
    }

    /// CPU seconds (every thread, user + system) per training step, as `secondsPerStep` trains, over
    /// `steps` steps after a warm-up.
    static func cpuSecondsPerStep(_ configuration: ModelConfiguration, steps: Int) -> Double {
        let vocabulary = Vocabulary(characters: Array("abcdefghijklmnopqrstuvwxyz"))
        let g = TorchGenerator(seed: 2_147_483_647)
        let model: any LanguageModel
        do { model = try configuration.make(vocabulary: vocabulary, generator: g) } catch {
            preconditionFailure("benchmark: \(error)")
        }
        let data = MakemoreBenchmarks.syntheticExamples(count: 182_625, for: model)
        let trainer = Trainer(model: model)
        trainer.ratioInterval = Int.max
        func train(_ n: Int) {
            var plan = TrainingPlan(steps: n, batchSize: 32, schedule: .constant(5e-4), evaluateEvery: nil)
            _ = trainer.run(&plan, schedule: .constant(5e-4), data: data, dev: nil, generator: g)
        }
        train(steps / 5)
        let before = processCPUSeconds()
        train(steps)
        return (processCPUSeconds() - before) / Double(steps)
    }

    /// CPU time of every thread of this process so far (`clock()`).
    static func processCPUSeconds() -> Double { Double(clock()) / Double(CLOCKS_PER_SEC) }
}
