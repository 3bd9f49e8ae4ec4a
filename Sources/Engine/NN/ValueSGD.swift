// Stochastic gradient descent on `Value` parameters, its learning rate from a `LearningRateSchedule`:
// the lecture's `p.data += -0.05 * p.grad`, and the demo's decay `1.0 - 0.9*k/100`.

/// Plain gradient descent: p ← p − η(t) · ∂loss/∂p, with η(t) from a schedule.
///
/// ```swift
/// var sgd = ValueSGD(schedule: .linear(1.0, startFactor: 1, endFactor: 0.1, over: 100))  // the demo's
/// sgd.step(model.parameters())       // uses η(0) = 1.0, then the schedule moves on to step 1
/// ```
public struct ValueSGD: Sendable, CustomStringConvertible {
    public var schedule: LearningRateSchedule
    /// The number of steps taken: the schedule's step for the next update.
    public private(set) var stepCount = 0

    public init(schedule: LearningRateSchedule) {
        self.schedule = schedule
    }

    /// A constant learning rate, as in the lecture.
    public init(learningRate: Double) {
        self.init(schedule: .constant(learningRate))
    }

    /// The learning rate the next step will use.
    public var learningRate: Double { schedule.learningRate(atStep: stepCount) }

    /// `p.data -= lr * p.grad` for every parameter; returns the lr used.
    @discardableResult
    public mutating func step(_ parameters: [Value]) -> Double {
        let lr = learningRate
        for p in parameters { p.data -= lr * p.grad }
        stepCount += 1
        return lr
    }

    /// `SGD, lr linear(1 × 1 → 0.1 over 100 steps), 3 steps taken`.
    public var description: String {
        "SGD, lr \(schedule)" + (stepCount == 0 ? "" : ", \(stepCount) step\(stepCount == 1 ? "" : "s") taken")
    }
}
