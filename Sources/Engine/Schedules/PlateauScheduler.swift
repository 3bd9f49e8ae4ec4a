// Cutting the learning rate when a metric stops improving: PyTorch's `ReduceLROnPlateau`, step for step.
// Unlike `LearningRateSchedule` it is stateful (it remembers the best metric), so it is its own type.

/// Multiplies the learning rate by `factor` once the metric has not improved for more than `patience`
/// steps, as `torch.optim.lr_scheduler.ReduceLROnPlateau` does:
///
/// - improvement (mode `.min`, relative threshold): metric < best · (1 − threshold);
///   absolute: metric < best − threshold; mode `.max` flips the comparison and the sign;
/// - after a cut, `cooldown` steps pass in which bad steps are not counted;
/// - a cut gives max(lr · factor, minimum), and is skipped when it would change the lr by ≤ `epsilon`.
///
/// A NaN metric is never an improvement, as in PyTorch. Settings are not checked (a `factor` ≥ 1 just
/// never lowers the lr); nothing traps.
///
/// ```swift
/// var plateau = PlateauScheduler(learningRate: 0.1, factor: 0.5, patience: 3)
/// for epoch in 0..<60 { let lr = plateau.learningRate; …; plateau.step(metric: validationLoss) }
/// ```
public struct PlateauScheduler: CustomStringConvertible, Sendable, Equatable {
    /// Whether a smaller (`min`, a loss) or larger (`max`, an accuracy) metric is better.
    public enum Mode: String, Sendable { case min, max }
    /// Whether `threshold` is a fraction of the best metric (`rel`) or a fixed amount (`abs`).
    public enum ThresholdMode: String, Sendable {
        case relative = "rel"
        case absolute = "abs"
    }

    public let mode: Mode
    public let factor: Double
    public let patience: Int
    public let threshold: Double
    public let thresholdMode: ThresholdMode
    public let cooldown: Int
    public let minimumLearningRate: Double
    public let epsilon: Double

    /// The learning rate in force now: read it before the optimizer step.
    public private(set) var learningRate: Double
    /// The best metric seen so far (±∞ before the first step).
    public private(set) var best: Double
    /// Steps since the last improvement (PyTorch's `num_bad_epochs`).
    private(set) var badSteps = 0
    /// Steps of cooldown left (PyTorch's `cooldown_counter`).
    private(set) var cooldownLeft = 0

    /// Defaults are PyTorch's (`factor=0.1, patience=10, threshold=1e-4, threshold_mode='rel', cooldown=0,
    /// min_lr=0, eps=1e-8`).
    public init(
        learningRate: Double, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10, threshold: Double = 1e-4,
        thresholdMode: ThresholdMode = .relative, cooldown: Int = 0, minimumLearningRate: Double = 0,
        epsilon: Double = 1e-8
    ) {
        self.learningRate = learningRate
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.cooldown = cooldown
        self.minimumLearningRate = minimumLearningRate
        self.epsilon = epsilon
        self.best = mode == .min ? .infinity : -.infinity
    }

    /// Feeds the metric measured after a step and returns the learning rate for the next one.
    @discardableResult
    public mutating func step(metric: Double) -> Double {
        if isBetter(metric) {
            best = metric
            badSteps = 0
        } else {
            badSteps += 1
        }
        if cooldownLeft > 0 {
            cooldownLeft -= 1
            badSteps = 0  // bad steps during cooldown are ignored
        }
        if badSteps > patience {
            let reduced = Swift.max(learningRate * factor, minimumLearningRate)
            if learningRate - reduced > epsilon { learningRate = reduced }
            cooldownLeft = cooldown
            badSteps = 0
        }
        return learningRate
    }

    /// PyTorch's `is_better`: rel/min a < best · (1 − t), abs/min a < best − t, rel/max a > best · (1 + t),
    /// abs/max a > best + t.
    private func isBetter(_ metric: Double) -> Bool {
        switch (mode, thresholdMode) {
        case (.min, .relative): return metric < best * (1 - threshold)
        case (.min, .absolute): return metric < best - threshold
        case (.max, .relative): return metric > best * (threshold + 1)
        case (.max, .absolute): return metric > best + threshold
        }
    }

    public var description: String {
        let n = LearningRateSchedule.text
        let cool = cooldown > 0 ? ", cooldown \(cooldown)" : ""
        return "plateau(lr \(n(learningRate)), \(mode.rawValue), × \(n(factor)) after \(patience) bad steps, "
            + "threshold \(n(threshold)) \(thresholdMode.rawValue)\(cool); best \(n(best)), \(badSteps) bad)"
    }
}
