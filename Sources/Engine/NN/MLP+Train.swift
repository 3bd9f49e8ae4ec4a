// micrograd's demo training loop on an `MLP`, written once as makemore's `Trainer.run` is: steps
// until the plan is done, a report after each, a stop between steps on request, and a typed outcome.
// A step whose loss or weights stop being numbers is taken back to the last weights with a finite
// loss, so a diverged run leaves a network that still predicts.

/// How a training run of an `MLP` ended.
public enum MLPTrainingOutcome: Equatable, Sendable {
    /// Every step ran; `steps` of them, and `loss` is the total loss after the last.
    case finished(steps: Int, loss: Double)
    /// `shouldStop` said so after `steps` steps.
    case stopped(steps: Int)
    /// Step `step` gave inf or nan scores (`overflowed` false) or made a weight inf or nan (true);
    /// `step` is nil when the loss after the last step was the first not to be finite. The weights
    /// are those from before step `keptSteps`, the last with a finite loss, and that many steps count.
    case diverged(step: Int?, overflowed: Bool, keptSteps: Int)
}

extension MLP {
    /// Trains for `steps` full-batch steps of `optimizer` on `data`, reporting each step; checks the
    /// loss after the last step too (the demo prints it).
    ///
    /// - Precondition: `loss` suits the MLP and the data (one output, `data.features == inputCount`).
    public func train(
        on data: ToyDataset, loss: ValueLoss, alpha: Double, optimizer: inout ValueSGD, steps: Int,
        report: (TrainingStep) -> Void = { _ in }, shouldStop: () -> Bool = { false }
    ) -> MLPTrainingOutcome {
        let parameters = parameters()
        var lastGood = (weights: parameters.map(\.data), steps: 0)  // the last weights that gave a finite loss
        func restoreLastGood() { for (p, data) in zip(parameters, lastGood.weights) { p.data = data } }
        for k in 0..<steps {
            let current = parameters.map(\.data)
            let step = trainingStep(on: data, loss: loss, alpha: alpha, optimizer: &optimizer)
            if step.isFinite { lastGood = (current, k) }
            guard step.isFinite, parameters.allSatisfy({ $0.data.isFinite }) else {
                restoreLastGood()
                return .diverged(step: k, overflowed: step.isFinite, keptSteps: lastGood.steps)
            }
            report(step)
            if k < steps - 1, shouldStop() { return .stopped(steps: k + 1) }
        }
        let (total, scores) = Tape.withNew { () -> (Double, Bool) in
            let (total, scores) = self.loss(on: data, loss: loss, alpha: alpha)
            return (total.data, scores.allSatisfy { $0.data.isFinite })
        }
        guard total.isFinite, scores else {
            restoreLastGood()
            return .diverged(step: nil, overflowed: false, keptSteps: lastGood.steps)
        }
        return .finished(steps: steps, loss: total)
    }
}
