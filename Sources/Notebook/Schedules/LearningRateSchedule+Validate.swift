// Which settings make sense: the ranges PyTorch's constructors accept (and a few it lets through but
// that could only be mistakes, such as a NaN lr). Errors name the keys of the text syntax.
import Engine

extension LearningRateSchedule {
    /// Throws a ``ScheduleError/badValue(_:key:kind:expected:)`` for the first setting out of range.
    /// Evaluation never traps on such settings (it clamps them); this is for telling the user.
    func validate() throws(ScheduleError) {
        switch kind {
        case .constant(let lr):
            try Self.check(lr, "lr", "constant", lr.isFinite && lr >= 0, Self.rate)
        case .stepwise(let lr, let changes):
            try Self.check(lr, "lr", "constant", lr.isFinite && lr >= 0, Self.rate)
            for (i, change) in changes.enumerated() {
                try Self.check(
                    change.lr, "@\(change.step)", "constant", change.lr.isFinite && change.lr >= 0, Self.rate)
                if i > 0, change.step == changes[i - 1].step {
                    throw .badValue("\(change.step)", key: "@", kind: "constant", expected: "each step changed once")
                }
            }
        case .step(let lr, let every, let gamma):
            try Self.check(lr, "lr", "step", lr.isFinite && lr >= 0, Self.rate)
            try Self.check(every, "every", "step", every >= 1, Self.count)
            try Self.check(gamma, "gamma", "step", gamma.isFinite && gamma >= 0, "a finite factor ≥ 0")
        case .multiStep(let lr, let milestones, let gamma):
            try Self.check(lr, "lr", "multistep", lr.isFinite && lr >= 0, Self.rate)
            if let first = milestones.first { try Self.check(first, "at", "multistep", first >= 0, "step numbers ≥ 0") }
            try Self.check(gamma, "gamma", "multistep", gamma.isFinite && gamma >= 0, "a finite factor ≥ 0")
        case .exponential(let lr, let gamma):
            try Self.check(lr, "lr", "exp", lr.isFinite && lr >= 0, Self.rate)
            try Self.check(
                gamma, "gamma", "exp", gamma.isFinite && gamma > 0, "a finite factor > 0, usually just below 1")
        case .cosine(let lr, let minimum, let period):
            try Self.check(lr, "lr", "cosine", lr.isFinite && lr >= 0, Self.rate)
            try Self.check(minimum, "min", "cosine", minimum.isFinite && minimum >= 0, Self.rate)
            try Self.check(period, "steps", "cosine", period >= 1, Self.count)
        case .warmRestarts(let lr, let period, let multiplier, let minimum):
            try Self.check(lr, "lr", "restarts", lr.isFinite && lr >= 0, Self.rate)
            try Self.check(period, "period", "restarts", period >= 1, Self.count)
            try Self.check(multiplier, "mult", "restarts", multiplier >= 1, "a whole number ≥ 1")
            try Self.check(minimum, "min", "restarts", minimum.isFinite && minimum >= 0, Self.rate)
        case .linear(let lr, let startFactor, let endFactor, let steps):
            try Self.check(lr, "lr", "linear", lr.isFinite && lr >= 0, Self.rate)
            try Self.check(startFactor, "from", "linear", startFactor > 0 && startFactor <= 1, "a factor in (0, 1]")
            try Self.check(endFactor, "to", "linear", endFactor >= 0 && endFactor <= 1, "a factor in [0, 1]")
            try Self.check(steps, "steps", "linear", steps >= 1, Self.count)
        case .constantFactor(let lr, let factor, let steps):
            try Self.check(lr, "lr", "factor", lr.isFinite && lr >= 0, Self.rate)
            try Self.check(factor, "factor", "factor", factor >= 0 && factor <= 1, "a factor in [0, 1]")
            try Self.check(steps, "steps", "factor", steps >= 1, Self.count)
        case .polynomial(let lr, let steps, let power):
            try Self.check(lr, "lr", "poly", lr.isFinite && lr >= 0, Self.rate)
            try Self.check(steps, "steps", "poly", steps >= 1, Self.count)
            try Self.check(power, "power", "poly", power.isFinite && power >= 0, "a finite power ≥ 0")
        case .oneCycle(let c):
            try Self.check(c.maxLR, "max", "onecycle", c.maxLR.isFinite && c.maxLR > 0, "a finite learning rate > 0")
            try Self.check(c.totalSteps, "steps", "onecycle", c.totalSteps >= 1, Self.count)
            try Self.check(
                c.warmupFraction, "pct", "onecycle", c.warmupFraction > 0 && c.warmupFraction < 1,
                "a fraction in (0, 1)")
            try Self.check(
                c.startDivisor, "div", "onecycle", c.startDivisor.isFinite && c.startDivisor > 0, "a finite divisor > 0"
            )
            try Self.check(
                c.finalDivisor, "final", "onecycle", c.finalDivisor.isFinite && c.finalDivisor > 0,
                "a finite divisor > 0")
        case .cyclic(let c):
            try Self.check(c.base, "base", "cyclic", c.base.isFinite && c.base >= 0, Self.rate)
            try Self.check(c.max, "max", "cyclic", c.max.isFinite && c.max >= 0, Self.rate)
            try Self.check(c.stepsUp, "up", "cyclic", c.stepsUp >= 1, Self.count)
            try Self.check(c.stepsDown, "down", "cyclic", c.stepsDown >= 1, Self.count)
            try Self.check(c.gamma, "gamma", "cyclic", c.gamma.isFinite && c.gamma > 0, "a finite factor > 0")
        case .sequential(let phases):
            for (i, phase) in phases.enumerated() {
                if i > 0, phase.start <= phases[i - 1].start {
                    throw .badValue(
                        "\(phase.start)", key: "for", kind: "sequence",
                        expected: "phases that start at increasing steps")
                }
                try phase.schedule.validate()
            }
        }
    }

    private static let rate = "a finite learning rate ≥ 0"
    private static let count = "a whole number of steps ≥ 1"

    private static func check(_ value: Double, _ key: String, _ kind: String, _ ok: Bool, _ expected: String)
        throws(ScheduleError)
    {
        if !ok { throw .badValue(text(value), key: key, kind: kind, expected: expected) }
    }

    private static func check(_ value: Int, _ key: String, _ kind: String, _ ok: Bool, _ expected: String)
        throws(ScheduleError)
    {
        if !ok { throw .badValue(String(value), key: key, kind: kind, expected: expected) }
    }
}
