// The learning rate at a step: PyTorch's closed forms, written in PyTorch's order of operations so the
// results agree with `torch.optim.lr_scheduler` to the last bits where PyTorch is itself closed-form.
// Every formula here is total: bad settings are clamped, nothing traps.
import Foundation

extension LearningRateSchedule {
    /// The learning rate used by optimizer step `step` (0 = the first). Negative steps count as 0.
    ///
    /// The chainable PyTorch schedulers (`StepLR`, `ExponentialLR`, `CosineAnnealingLR`, `LinearLR`,
    /// `PolynomialLR`, ...) update the lr recursively, e.g. cosine's
    /// η_t = η_min + (1 + cos(π t / T)) / (1 + cos(π (t−1) / T)) · (η_{t−1} − η_min);
    /// here each uses its closed form instead, which PyTorch also provides (`_get_closed_form_lr`) and
    /// which agrees with the recursion to rounding (≈ 1e-15 relative over the reference's 60 steps).
    public func learningRate(atStep step: Int) -> Double {
        let t = max(0, step)
        switch kind {
        case .constant(let lr):
            return lr

        case .stepwise(let lr, let changes):
            return changes.last(where: { $0.step <= t })?.lr ?? lr

        case .step(let lr, let every, let gamma):
            return lr * pow(gamma, Double(t / max(1, every)))

        case .multiStep(let lr, let milestones, let gamma):
            // bisect_right(milestones, t): how many milestones have been passed.
            return lr * pow(gamma, Double(milestones.count(where: { $0 <= t })))

        case .exponential(let lr, let gamma):
            return lr * pow(gamma, Double(t))

        case .cosine(let lr, let minimum, let period):
            return minimum + (lr - minimum) * (1 + cos(Double.pi * Double(t) / Double(max(1, period)))) / 2

        case .warmRestarts(let lr, let period, let multiplier, let minimum):
            let (current, length) = Self.restartPosition(
                step: t, period: max(1, period), multiplier: max(1, multiplier))
            return minimum + (lr - minimum) * (1 + cos(Double.pi * Double(current) / Double(length))) / 2

        case .linear(let lr, let startFactor, let endFactor, let steps):
            let total = max(1, steps)
            return lr * (startFactor + (endFactor - startFactor) * Double(min(total, t)) / Double(total))

        case .constantFactor(let lr, let factor, let steps):
            return lr * (factor + (t >= steps ? 1 : 0) * (1 - factor))

        case .polynomial(let lr, let steps, let power):
            let total = max(1, steps)
            return lr * pow(1.0 - Double(min(total, t)) / Double(total), power)

        case .oneCycle(let c):
            return c.learningRate(atStep: t)

        case .cyclic(let c):
            return c.learningRate(atStep: t)

        case .sequential(let phases):
            // bisect_right over the phase starts; the chosen phase counts steps from its own start.
            guard let phase = phases.last(where: { $0.start <= t }) ?? phases.first else { return 0 }
            return phase.schedule.learningRate(atStep: t - max(0, phase.start))
        }
    }

    /// SGDR's position: (T_cur, T_i) at step `step`, stepping through periods T_0, T_0·T_mult, ... with
    /// integer arithmetic as PyTorch's `step()` does. O(log step) for T_mult ≥ 2.
    static func restartPosition(step: Int, period: Int, multiplier: Int) -> (current: Int, length: Int) {
        if multiplier == 1 { return (step % period, period) }
        var current = step
        var length = period
        while current >= length {
            current -= length
            let (next, overflow) = length.multipliedReportingOverflow(by: multiplier)
            if overflow { break }  // no Int step reaches a period this long
            length = next
        }
        return (current, length)
    }
}

extension LearningRateSchedule.OneCycle {
    /// PyTorch's `OneCycleLR.get_lr`: phases end at steps pct·N − 1 (and 2·pct·N − 2 with three phases)
    /// and N − 1; within a phase the lr anneals from its start to its end value over the fraction passed.
    func learningRate(atStep step: Int) -> Double {
        let initial = maxLR / startDivisor
        let minimum = initial / finalDivisor
        let t = Double(min(step, max(1, totalSteps) - 1))  // PyTorch raises past the end; we hold
        let phases: [(end: Double, from: Double, to: Double)] =
            threePhase
            ? [
                (warmupFraction * Double(totalSteps) - 1, initial, maxLR),
                (2 * warmupFraction * Double(totalSteps) - 2, maxLR, initial),
                (Double(totalSteps) - 1, initial, minimum)
            ]
            : [
                (warmupFraction * Double(totalSteps) - 1, initial, maxLR),
                (Double(totalSteps) - 1, maxLR, minimum)
            ]
        var start = 0.0
        for (i, phase) in phases.enumerated() {
            if t <= phase.end || i == phases.count - 1 {
                let span = phase.end - start
                let fraction = span == 0 ? 1 : (t - start) / span
                return anneal(from: phase.from, to: phase.to, fraction: fraction)
            }
            start = phase.end
        }
        return minimum  // unreachable: the last phase always answers
    }

    /// `_annealing_cos`: end + (start − end) / 2 · (1 + cos(π f)); `_annealing_linear`: (end − start) · f + start.
    private func anneal(from start: Double, to end: Double, fraction: Double) -> Double {
        switch annealing {
        case .cosine: return end + (start - end) / 2.0 * (cos(Double.pi * fraction) + 1)
        case .linear: return (end - start) * fraction + start
        }
    }
}

extension LearningRateSchedule.Cyclic {
    /// PyTorch's `CyclicLR.get_lr`: cycle = ⌊1 + t / (up + down)⌋, x = the fraction of the cycle passed,
    /// the triangle's height rises over the first up / (up + down) of it and falls over the rest.
    func learningRate(atStep step: Int) -> Double {
        let up = Double(Swift.max(1, stepsUp))
        let down = Double(Swift.max(0, stepsDown))
        let totalSize = up + down
        let stepRatio = up / totalSize
        let t = Double(step)
        let cycle = (1 + t / totalSize).rounded(.down)
        let x = 1.0 + t / totalSize - cycle
        let scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1)
        let baseHeight = (max - base) * scaleFactor
        switch mode {
        case .triangular: return base + baseHeight * 1.0
        case .triangular2: return base + baseHeight * (1 / pow(2.0, cycle - 1))
        case .exponentialRange: return base + baseHeight * pow(gamma, t)
        }
    }
}
