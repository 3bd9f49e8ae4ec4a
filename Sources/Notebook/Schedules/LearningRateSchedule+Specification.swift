// A schedule written back in the notebook's schedule syntax (`cosine:0.1:steps=60`), the inverse of
// `parse(_:totalSteps:)`.
import Engine

extension LearningRateSchedule {
    /// The schedule in ``parse(_:totalSteps:)``'s syntax: `parse(s.specification, totalSteps: n) == s`
    /// for any valid `s` and any `n`. Settings at their defaults are left out.
    var specification: String {
        let n = Self.text
        switch kind {
        case .constant(let lr):
            return n(lr)
        case .stepwise(let lr, let changes):
            return n(lr) + changes.map { "@\($0.step)=\(n($0.lr))" }.joined()
        case .step(let lr, let every, let gamma):
            return "step:\(n(lr)):every=\(every):gamma=\(n(gamma))"
        case .multiStep(let lr, let milestones, let gamma):
            return "multistep:\(n(lr)):at=\(milestones.map(String.init).joined(separator: ",")):gamma=\(n(gamma))"
        case .exponential(let lr, let gamma):
            return "exp:\(n(lr)):gamma=\(n(gamma))"
        case .cosine(let lr, let minimum, let period):
            return "cosine:\(n(lr))" + (minimum == 0 ? "" : ":min=\(n(minimum))") + ":steps=\(period)"
        case .warmRestarts(let lr, let period, let multiplier, let minimum):
            return "restarts:\(n(lr)):period=\(period)" + (multiplier == 1 ? "" : ":mult=\(multiplier)")
                + (minimum == 0 ? "" : ":min=\(n(minimum))")
        case .linear(let lr, let startFactor, let endFactor, let steps):
            return "linear:\(n(lr)):from=\(n(startFactor)):to=\(n(endFactor)):steps=\(steps)"
        case .constantFactor(let lr, let factor, let steps):
            return "factor:\(n(lr)):factor=\(n(factor)):steps=\(steps)"
        case .polynomial(let lr, let steps, let power):
            return "poly:\(n(lr)):steps=\(steps)" + (power == 1 ? "" : ":power=\(n(power))")
        case .oneCycle(let c):
            return "onecycle:\(n(c.maxLR)):steps=\(c.totalSteps)"
                + (c.warmupFraction == 0.3 ? "" : ":pct=\(n(c.warmupFraction))")
                + (c.annealing == .cosine ? "" : ":anneal=\(c.annealing.rawValue)")
                + (c.startDivisor == 25 ? "" : ":div=\(n(c.startDivisor))")
                + (c.finalDivisor == 1e4 ? "" : ":final=\(n(c.finalDivisor))")
                + (c.threePhase ? ":phases=3" : "")
        case .cyclic(let c):
            return "cyclic:\(n(c.base)):max=\(n(c.max)):up=\(c.stepsUp)"
                + (c.stepsDown == c.stepsUp ? "" : ":down=\(c.stepsDown)")
                + (c.mode == .triangular ? "" : ":mode=\(c.mode.rawValue)")
                + (c.gamma == 1 ? "" : ":gamma=\(n(c.gamma))")
        case .sequential(let phases):
            return phases.enumerated().map { i, phase in
                let spec = phase.schedule.specification
                guard i + 1 < phases.count else { return spec }
                let length = phases[i + 1].start - phase.start
                return phase.schedule.horizon == length ? spec : spec + ":for=\(length)"
            }.joined(separator: "+")
        }
    }

}
