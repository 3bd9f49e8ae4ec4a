// Looking inside a trained network (makemore part 3) and the learning-rate range test (part 2): both
// see the model as it is and leave it exactly so.
import Engine
import Foundation
import Testing

@testable import Makemore

@Suite("Training diagnostics")
struct TrainingDiagnosticsTests {
    @Test func layerDiagnosticsKeepEveryTanhOutputAndItsGradient() throws {
        let (trainer, data, _) = try TrainingTests.smallTrainer(
            .batchNormMLP(blockSize: 3, embeddingSize: 4, hiddenSize: 8))
        let model = trainer.model
        let before = (model.parameters().map(\.scalars), model.buffers().map(\.scalars))
        let d = LayerDiagnostics(model, batch: data.batch(Array(0..<16)))
        #expect(d.activations.count == 1)
        let a = d.activations[0]
        #expect(a.name == "layer 4 (Tanh)" && a.rows == 16 && a.columns == 8)
        #expect(a.values.allSatisfy { abs($0) <= 1 } && a.gradient.contains { $0 != 0 })
        #expect(
            d.weights.map(\.name) == ["layer 0 embedding (20, 4)", "layer 2 weight (12, 8)", "layer 5 weight (8, 20)"])
        #expect(
            LayerDiagnostics.parameterNames(model) == [
                "layer 0 embedding (20, 4)", "layer 2 weight (12, 8)", "layer 3 gamma (8)",
                "layer 3 beta (8)", "layer 5 weight (8, 20)", "layer 5 bias (20)"
            ])
        #expect(abs(d.loss - model.loss(on: data)) < 1, "one batch's loss is near the split's")
        #expect(
            model.parameters().map(\.scalars) == before.0 && model.buffers().map(\.scalars) == before.1,
            "looking changes nothing")
        #expect(model.parameters().allSatisfy { p in p.grad.map { $0.scalars.allSatisfy { $0 == 0 } } ?? true })
    }

    @Test func saturationCountsOutputsBeyondTheThreshold() {
        let a = LayerDiagnostics.Activation(
            name: "t", values: [0.99, -0.98, 0.5, 0], gradient: [0, 0, 0, 0], rows: 2, columns: 2)
        #expect(a.saturation() == 0.5 && a.saturation(above: 0.985) == 0.25)
        let (mean, std) = meanAndStandardDeviation([1, 2, 3, 4])
        #expect(mean == 2.5 && abs(std - 1.2909944) < 1e-6)
    }

    @Test func aModelWithoutLayersHasNoActivations() throws {
        let (trainer, data, _) = try TrainingTests.smallTrainer(.neuralBigram())
        let d = LayerDiagnostics(trainer.model, batch: data.batch(Array(0..<8)))
        #expect(d.activations.isEmpty && d.weights.map(\.name) == ["W (20, 20)"])
    }

    @Test func rangeTestRecordsOneLossPerRateAndPutsTheWeightsBack() throws {
        let (trainer, data, g) = try TrainingTests.smallTrainer()
        let before = trainer.model.parameters().map(\.scalars)
        let sweep = LearningRateRangeTest(steps: 100, lowExponent: -3, highExponent: 0)
        let losses = trainer.rangeTest(sweep, data: data, batchSize: 8, generator: g)
        #expect(losses.count == 100 && losses.allSatisfy(\.isFinite))
        #expect(trainer.model.parameters().map(\.scalars) == before && trainer.stepsTaken == 0)
        #expect(sweep.suggestion(losses: losses) != nil)
    }

    @Test func rangeTestStopsWhenTheLossBlowsUpOrWhenAsked() throws {
        let (trainer, data, g) = try TrainingTests.smallTrainer(.mlp(blockSize: 3, embeddingSize: 4, hiddenSize: 16))
        let blowUp = trainer.rangeTest(
            LearningRateRangeTest(steps: 200, lowExponent: 20, highExponent: 38), data: data, batchSize: 8, generator: g
        )
        #expect(blowUp.count < 200 && !(blowUp.last ?? 0).isFinite)
        var calls = 0
        let stopped = trainer.rangeTest(
            LearningRateRangeTest(steps: 50), data: data, batchSize: 8, generator: g,
            shouldStop: {
                calls += 1
                return calls > 10
            })
        #expect(stopped.count == 10)
    }
}
