// How a schedule prints for people: `cosine(0.1 → 0 over 60 steps)`. (The notebook's schedule syntax,
// `cosine:0.1:steps=60`, and its printer live with the notebook's other parsing.)

extension LearningRateSchedule: CustomStringConvertible {
    /// A one-line summary, e.g. `cosine(0.1 → 0 over 60 steps)` or `stepwise(0.1, 0.01 from step 100000)`.
    public var description: String {
        let n = Self.text
        switch kind {
        case .constant(let lr):
            return "constant(\(n(lr)))"
        case .stepwise(let lr, let changes):
            return "stepwise(\(([n(lr)] + changes.map { "\(n($0.lr)) from step \($0.step)" }).joined(separator: ", ")))"
        case .step(let lr, let every, let gamma):
            return "step(\(n(lr)) × \(n(gamma)) every \(every) steps)"
        case .multiStep(let lr, let milestones, let gamma):
            return "multistep(\(n(lr)) × \(n(gamma)) at steps \(milestones.map(String.init).joined(separator: ", ")))"
        case .exponential(let lr, let gamma):
            return "exponential(\(n(lr)) × \(n(gamma)) per step)"
        case .cosine(let lr, let minimum, let period):
            return "cosine(\(n(lr)) → \(n(minimum)) over \(period) steps)"
        case .warmRestarts(let lr, let period, let multiplier, let minimum):
            let growth = multiplier == 1 ? "" : ", each \(multiplier)× longer"
            return "cosine restarts(\(n(lr)) → \(n(minimum)), first period \(period) steps\(growth))"
        case .linear(let lr, let startFactor, let endFactor, let steps):
            return "linear(\(n(lr)) × \(n(startFactor)) → \(n(endFactor)) over \(steps) steps)"
        case .constantFactor(let lr, let factor, let steps):
            return "constant factor(\(n(lr)) × \(n(factor)) for \(steps) steps, then \(n(lr)))"
        case .polynomial(let lr, let steps, let power):
            return "polynomial(\(n(lr)) → 0 over \(steps) steps, power \(n(power)))"
        case .oneCycle(let c):
            let start = c.maxLR / c.startDivisor
            let end = start / c.finalDivisor
            let path =
                c.threePhase
                ? "\(n(start)) → \(n(c.maxLR)) → \(n(start)) → \(n(end))"
                : "\(n(start)) → \(n(c.maxLR)) → \(n(end))"
            let anneal = c.annealing == .cosine ? "cosine" : "linear"
            let peak = c.warmupFraction * Double(c.totalSteps) - 1
            return "one-cycle(\(path) over \(c.totalSteps) steps, peak at step \(n(peak)), \(anneal))"
        case .cyclic(let c):
            let gamma = c.mode == .exponentialRange ? ", γ \(n(c.gamma))" : ""
            return "cyclic \(c.mode.rawValue)(\(n(c.base)) ↔ \(n(c.max)), \(c.stepsUp) up, \(c.stepsDown) down\(gamma))"
        case .sequential(let phases):
            return phases.enumerated().map { i, phase in
                i == 0 ? phase.schedule.description : "from step \(phase.start) \(phase.schedule)"
            }.joined(separator: ", then ")
        }
    }

    /// The number of steps the schedule is defined over, for the kinds that have one (T_max,
    /// total_iters, total_steps); a phase of a sequence lasts this long unless told otherwise.
    package var horizon: Int? {
        switch kind {
        case .cosine(_, _, let steps), .linear(_, _, _, let steps), .constantFactor(_, _, let steps),
            .polynomial(_, let steps, _):
            return steps
        case .oneCycle(let c): return c.totalSteps
        default: return nil
        }
    }

    /// A number as people write it and as `Double(_:)` reads it back exactly: `0.1`, `1e-05`, `100`.
    package static func text(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return "\(x)"
    }
}
