// Learning-rate schedules as plain values: what the lr is at each optimizer step.
// Follows PyTorch's `torch.optim.lr_scheduler` (the lectures use the simplest one: 0.1, then 0.01);
// the stateful ReduceLROnPlateau is `PlateauScheduler`, beside this file.
import Foundation

/// A learning-rate schedule: a pure function from the step number to the learning rate.
///
/// Step 0 is the learning rate of the first optimizer step, as in PyTorch when the lr is read before
/// `optimizer.step()` and `scheduler.step()` is called after it. A schedule prints itself and can be
/// plotted with ``values(steps:)``:
///
/// ```swift
/// let lecture = LearningRateSchedule.stepwise(0.1, then: [100_000: 0.01])  // makemore part 2
/// let warmCosine = LearningRateSchedule.sequential(
///     .linear(0.1, startFactor: 0.1, endFactor: 1, over: 10), then: [10: .cosine(0.1, over: 50)])
/// print(warmCosine)                       // linear(0.1 × 0.1 → 1 over 10 steps), then from step 10 …
/// warmCosine.learningRate(atStep: 35)     // 0.05
/// ```
///
/// Why one struct over a closed enum of kinds rather than a protocol with one type per kind: the
/// notebook's schedule syntax must produce any kind and write any kind back, a sequence holds
/// schedules of mixed kinds, checkpoints save them, and the notebook stores and compares them. An enum gives all of that
/// as a `Sendable`, `Equatable` value with exhaustive switches; a protocol would need `any` boxes and
/// dynamic casts to do the same.
///
/// Evaluation uses PyTorch's closed forms (`_get_closed_form_lr`), not its recursive `get_lr`, so
/// ``learningRate(atStep:)`` costs O(1) at any step. PyTorch's recursive products drift from the closed
/// forms in the last bits (about 1e-15 relative over 60 steps); the tests hold us to 1e-12.
///
/// Evaluation never traps: a negative step counts as step 0, and out-of-range settings from code (a zero
/// period, say) are clamped to the nearest meaningful value. ``validate()`` reports such settings;
/// ``parse(_:totalSteps:)`` always validates.
public struct LearningRateSchedule: Sendable, Equatable, Codable {
    /// What the schedule is: one case per PyTorch scheduler, plus the lecture's step function.
    package let kind: Kind

    package init(kind: Kind) { self.kind = kind }

    /// How a one-cycle schedule anneals (PyTorch's `anneal_strategy`).
    public enum Annealing: String, Sendable, CaseIterable, Codable {
        case cosine = "cos"
        case linear
    }

    /// How a cyclic schedule scales its triangle (PyTorch's `mode`).
    public enum CyclicMode: String, Sendable, CaseIterable, Codable {
        /// Every cycle reaches `max`.
        case triangular
        /// Each cycle's height is half the previous one's: scale 1 / 2^(cycle − 1).
        case triangular2
        /// The height decays per step: scale γ^step (PyTorch's `exp_range`).
        case exponentialRange = "exp_range"
    }

    package enum Kind: Sendable, Equatable, Codable {
        case constant(lr: Double)
        /// The lecture's: `lr` until the first change, then each change's lr from its step on.
        case stepwise(lr: Double, changes: [Change])
        case step(lr: Double, every: Int, gamma: Double)
        case multiStep(lr: Double, milestones: [Int], gamma: Double)
        case exponential(lr: Double, gamma: Double)
        case cosine(lr: Double, minimum: Double, period: Int)
        case warmRestarts(lr: Double, period: Int, multiplier: Int, minimum: Double)
        case linear(lr: Double, startFactor: Double, endFactor: Double, steps: Int)
        case constantFactor(lr: Double, factor: Double, steps: Int)
        case polynomial(lr: Double, steps: Int, power: Double)
        case oneCycle(OneCycle)
        case cyclic(Cyclic)
        /// Phases in order of `start`; the first starts at 0. Each phase sees steps counted from its start.
        case sequential([Phase])
    }

    package struct Change: Sendable, Equatable, Codable {
        package var step: Int
        package var lr: Double
        package init(step: Int, lr: Double) { (self.step, self.lr) = (step, lr) }
    }
    package struct Phase: Sendable, Equatable, Codable {
        package var start: Int
        package var schedule: LearningRateSchedule
        package init(start: Int, schedule: LearningRateSchedule) { (self.start, self.schedule) = (start, schedule) }
    }

    package struct OneCycle: Sendable, Equatable, Codable {
        package var maxLR: Double, totalSteps: Int, warmupFraction: Double, annealing: Annealing
        package var startDivisor: Double, finalDivisor: Double, threePhase: Bool
    }

    package struct Cyclic: Sendable, Equatable, Codable {
        package var base: Double, max: Double, stepsUp: Int, stepsDown: Int, mode: CyclicMode, gamma: Double
    }

    /// The learning rate the schedule is built around: the optimizer's lr for the multiplicative kinds,
    /// the peak for one-cycle, the lower bound for cyclic, the first phase's for a sequence.
    public var baseLearningRate: Double {
        switch kind {
        case .constant(let lr), .stepwise(let lr, _), .step(let lr, _, _), .multiStep(let lr, _, _),
            .exponential(let lr, _), .cosine(let lr, _, _), .warmRestarts(let lr, _, _, _),
            .linear(let lr, _, _, _), .constantFactor(let lr, _, _), .polynomial(let lr, _, _):
            return lr
        case .oneCycle(let c): return c.maxLR
        case .cyclic(let c): return c.base
        case .sequential(let phases): return phases.first?.schedule.baseLearningRate ?? 0
        }
    }

    /// The learning rates of steps `0 ..< steps`, for plotting (empty when `steps` ≤ 0).
    public func values(steps: Int) -> [Double] {
        (0..<max(0, steps)).map { learningRate(atStep: $0) }
    }
}

// MARK: - Making schedules (PyTorch's names in each comment)

extension LearningRateSchedule {
    /// η(t) = lr.
    public static func constant(_ learningRate: Double) -> Self { Self(kind: .constant(lr: learningRate)) }

    /// The lecture's step decay: `learningRate` until the first change, then each change's lr from its
    /// step on. `.stepwise(0.1, then: [100_000: 0.01])` is makemore's `lr = 0.1 if i < 100000 else 0.01`.
    /// Changes apply in step order; negative steps count as 0.
    public static func stepwise(_ learningRate: Double, then changes: KeyValuePairs<Int, Double>) -> Self {
        let sorted = changes.map { Change(step: max(0, $0.key), lr: $0.value) }.sorted { $0.step < $1.step }
        return Self(kind: .stepwise(lr: learningRate, changes: sorted))
    }

    /// `StepLR`: η(t) = lr · γ^⌊t / stepSize⌋.
    public static func step(_ learningRate: Double, every stepSize: Int, gamma: Double = 0.1) -> Self {
        Self(kind: .step(lr: learningRate, every: stepSize, gamma: gamma))
    }

    /// `MultiStepLR`: η(t) = lr · γ^(number of milestones ≤ t). Milestones are sorted; a repeated one
    /// decays twice, as in PyTorch.
    public static func multiStep(_ learningRate: Double, milestones: [Int], gamma: Double = 0.1) -> Self {
        Self(kind: .multiStep(lr: learningRate, milestones: milestones.sorted(), gamma: gamma))
    }

    /// `ExponentialLR`: η(t) = lr · γ^t.
    public static func exponential(_ learningRate: Double, gamma: Double) -> Self {
        Self(kind: .exponential(lr: learningRate, gamma: gamma))
    }

    /// `CosineAnnealingLR(T_max: steps, eta_min: minimum)`:
    /// η(t) = η_min + (lr − η_min) · (1 + cos(π t / T_max)) / 2. Past `T_max` it rises again, as PyTorch's does.
    public static func cosine(_ learningRate: Double, to minimum: Double = 0, over steps: Int) -> Self {
        Self(kind: .cosine(lr: learningRate, minimum: minimum, period: steps))
    }

    /// `CosineAnnealingWarmRestarts(T_0: period, T_mult: periodMultiplier, eta_min: minimum)`, SGDR:
    /// η = η_min + (lr − η_min) · (1 + cos(π T_cur / T_i)) / 2, where T_cur counts steps since the last
    /// restart and the i-th period lasts T_i = T_0 · T_mult^i steps.
    public static func cosineWarmRestarts(
        _ learningRate: Double, period: Int, periodMultiplier: Int = 1, minimum: Double = 0
    ) -> Self {
        Self(kind: .warmRestarts(lr: learningRate, period: period, multiplier: periodMultiplier, minimum: minimum))
    }

    /// `LinearLR(start_factor:, end_factor:, total_iters: steps)`:
    /// η(t) = lr · (s + (e − s) · min(t, T) / T), then flat at lr · e. Defaults are PyTorch's.
    public static func linear(
        _ learningRate: Double, startFactor: Double = 1.0 / 3, endFactor: Double = 1, over steps: Int
    ) -> Self {
        Self(kind: .linear(lr: learningRate, startFactor: startFactor, endFactor: endFactor, steps: steps))
    }

    /// `ConstantLR(factor:, total_iters: steps)`: η(t) = lr · factor for t < steps, then lr.
    public static func constantFactor(_ learningRate: Double, factor: Double = 1.0 / 3, for steps: Int) -> Self {
        Self(kind: .constantFactor(lr: learningRate, factor: factor, steps: steps))
    }

    /// `PolynomialLR(total_iters: steps, power:)`: η(t) = lr · (1 − min(t, T) / T)^power.
    public static func polynomial(_ learningRate: Double, over steps: Int, power: Double = 1) -> Self {
        Self(kind: .polynomial(lr: learningRate, steps: steps, power: power))
    }

    /// `OneCycleLR` (Smith's 1cycle): from max / `startDivisor` up to `maxLearningRate` over the first
    /// `warmupFraction` of the steps (`pct_start`), then down to max / (`startDivisor` · `finalDivisor`)
    /// (`div_factor`, `final_div_factor`). With `threePhase` it first comes back down to the start value
    /// over as many steps, then anneals to the final one. After `totalSteps` it stays at the final value
    /// (PyTorch raises there).
    public static func oneCycle(
        maxLearningRate: Double, totalSteps: Int, warmupFraction: Double = 0.3, annealing: Annealing = .cosine,
        startDivisor: Double = 25, finalDivisor: Double = 1e4, threePhase: Bool = false
    ) -> Self {
        Self(
            kind: .oneCycle(
                OneCycle(
                    maxLR: maxLearningRate, totalSteps: totalSteps, warmupFraction: warmupFraction,
                    annealing: annealing,
                    startDivisor: startDivisor, finalDivisor: finalDivisor, threePhase: threePhase)))
    }

    /// `CyclicLR` (Smith's cyclical learning rates): a triangle between `base` and `max`, rising over
    /// `stepsUp` steps and falling over `stepsDown` (default: as many), scaled per `mode`.
    public static func cyclic(
        base: Double, max: Double, stepsUp: Int = 2000, stepsDown: Int? = nil,
        mode: CyclicMode = .triangular, gamma: Double = 1
    ) -> Self {
        Self(
            kind: .cyclic(
                Cyclic(
                    base: base, max: max, stepsUp: stepsUp, stepsDown: stepsDown ?? stepsUp, mode: mode, gamma: gamma)))
    }

    /// `SequentialLR`: `first` from step 0, then each later schedule from its step on, counting its own
    /// steps from 0 there (PyTorch restarts each scheduler at its milestone). Phases apply in step order.
    public static func sequential(_ first: LearningRateSchedule, then later: KeyValuePairs<Int, LearningRateSchedule>)
        -> Self
    {
        let rest = later.map { Phase(start: max(0, $0.key), schedule: $0.value) }.sorted { $0.start < $1.start }
        return Self(kind: .sequential(flattened([Phase(start: 0, schedule: first)] + rest)))
    }

    /// A sequence inside a sequence becomes phases of the outer one (each inner phase cut at the next
    /// outer start), so a sequence is always one flat list, as the text syntax writes it.
    private static func flattened(_ phases: [Phase]) -> [Phase] {
        phases.enumerated().flatMap { i, outer -> [Phase] in
            guard case .sequential(let inner) = outer.schedule.kind else { return [outer] }
            let end = i + 1 < phases.count ? phases[i + 1].start : Int.max
            return inner.map { phase in
                let (start, overflow) = outer.start.addingReportingOverflow(phase.start)
                return Phase(start: overflow ? Int.max : start, schedule: phase.schedule)
            }
            .filter { $0.start == outer.start || $0.start < end }
        }
    }
}
