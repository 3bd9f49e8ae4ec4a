// What training leaves behind for the plots of makemore parts 2 and 3: the loss of every step, the
// learning rate used, the losses measured on whole splits, and the update:data ratios over time.
// (The lecture's per-1000-step average, `view(-1, 1000).mean(1)`, is the plot's `Series.averaged`.)

/// The record of every step trained so far, across runs (a model's `stepi`, `lossi`, `ud`).
package struct TrainingHistory: Sendable, Equatable {
    /// A loss over a whole split, measured during or after training.
    package struct Evaluation: Codable, Equatable, Sendable {
        /// The number of steps trained when it was measured.
        package var step: Int
        package var split: Split
        package var loss: Float
    }

    /// The update:data ratios of one step: std(Δp)/std(p) for each parameter (lecture 3's `ud`).
    package struct UpdateRatios: Equatable, Sendable {
        package var step: Int
        /// One per parameter, in `parameters()` order.
        package var ratios: [Float]
    }

    /// The training loss of each step (the minibatch's, regularisation included).       // (steps,)
    package var losses: [Float] = []
    /// The learning rate of each step.                                                  // (steps,)
    package var learningRates: [Float] = []
    package var evaluations: [Evaluation] = []
    package var updateRatios: [UpdateRatios] = []

    package init() {}

    /// The number of steps recorded.
    package var steps: Int { losses.count }

    /// Forgets the last step recorded (its loss, learning rate, update ratios, and what was measured
    /// after it): for an update that training took back.
    package mutating func removeLastStep() {
        guard !losses.isEmpty else { return }
        losses.removeLast()
        learningRates.removeLast()
        let steps = self.steps
        updateRatios.removeAll { $0.step >= steps }
        evaluations.removeAll { $0.step > steps }
    }

    /// The mean training loss of the last `count` steps (fewer when fewer were trained); nil before any.
    package func meanLoss(ofLast count: Int) -> Float? {
        let last = losses.suffix(Swift.max(1, count))
        guard !last.isEmpty else { return nil }
        return Float(last.reduce(0.0) { $0 + Double($1) } / Double(last.count))
    }
}
