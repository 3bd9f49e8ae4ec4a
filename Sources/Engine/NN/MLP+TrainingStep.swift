// One step of micrograd's demo training loop on an `MLP`: the loss over every example (plus an L2
// penalty), zero the grads, backward, an SGD update; and the accuracy the demo prints beside the loss.
// Full batch, as the demo runs it on 100 points.

/// What one training step saw: the loss and accuracy before its update, and the lr it used.
public struct TrainingStep: Sendable, CustomStringConvertible {
    /// The step's number, from 0.
    public let step: Int
    /// The total loss (penalty included) before the update.
    public let loss: Double
    /// The fraction of examples on the right side (sign of the score = label), when the targets are
    /// labels ±1; nil otherwise.
    public let accuracy: Double?
    public let learningRate: Double
    /// `false` when the loss or any score was inf or nan: training has diverged (a relu swallows a nan,
    /// so the loss alone can look fine).
    public let isFinite: Bool

    /// The demo's line: `step 0 loss 0.8958, accuracy 50.0%`.
    public var description: String {
        "step \(step) loss \(loss.fixed(4))" + (accuracy.map { ", accuracy \(($0 * 100).fixed(1))%" } ?? "")
    }
}

extension MLP {
    /// The demo's `loss()`: every example's score, the data loss and α · Σ p² (left out when α is 0).
    ///
    /// - Precondition: one output, `data.features == inputCount`, and at least one example.
    public func loss(on data: ToyDataset, loss: ValueLoss, alpha: Double = 0, fused: Bool = true) -> (
        total: Value, scores: [Value]
    ) {
        precondition(outputCount == 1 && data.features == inputCount && data.count > 0, "data does not fit the MLP")
        let scores = data.inputs.map { self($0, fused: fused)[0] }
        let dataLoss = loss(scores, data.targets)
        guard alpha != 0 else { return (dataLoss, scores) }
        return (dataLoss + ValueLoss.l2(parameters(), alpha: alpha), scores)
    }

    /// One step: forward over every example, zero the grads, backward, update with `optimizer`.
    ///
    /// The step's graph goes on a tape of its own, freed when the step returns: the parameters
    /// (leaves on the MLP's tape) are only read and updated in place, so a thousand steps take the
    /// memory of one.
    public func trainingStep(
        on data: ToyDataset, loss: ValueLoss, alpha: Double = 0,
        optimizer: inout ValueSGD
    ) -> TrainingStep {
        let step = optimizer.stepCount
        let ((total, isFinite), scores) = Tape.withNew {
            let (total, scores) = self.loss(on: data, loss: loss, alpha: alpha)
            zeroGrad()
            total.backward()
            return ((total.data, total.data.isFinite && scores.allSatisfy { $0.data.isFinite }), scores.map(\.data))
        }
        let lr = optimizer.step(parameters())
        let accuracy = data.isLabeled ? ToyDataset.accuracy(scores, data.targets) : nil
        return TrainingStep(step: step, loss: total, accuracy: accuracy, learningRate: lr, isFinite: isFinite)
    }

    /// The fraction of `data` this MLP puts on the right side, building no graph; nil unless the
    /// targets are labels ±1 and the MLP has one output.
    public func accuracy(on data: ToyDataset) -> Double? {
        guard data.isLabeled, outputCount == 1, data.features == inputCount else { return nil }
        return ToyDataset.accuracy(data.inputs.map { predict($0)[0] }, data.targets)
    }
}
