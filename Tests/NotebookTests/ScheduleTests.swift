// Learning-rate schedules against PyTorch's (`Tests/Fixtures/torch-lr-schedules.json`), the plateau
// scheduler against ReduceLROnPlateau, the range test's analysis on synthetic loss curves with known
// answers, and the text syntax: examples, round trips and every error path.
import Foundation
import NotebookLanguage
import TestSupport
import Testing

@testable import Engine
@testable import Notebook

/// Schedules agree with PyTorch to 1e-12 relative; a value of exactly 0 must be exactly 0. Most cases
/// agree bit for bit; where PyTorch updates recursively (cosine, linear, polynomial, exponential) our
/// closed forms differ in the last bits, at most 8e-16 relative over the reference's 60 steps.
private let relativeTolerance = 1e-12

/// The reference file: per case the lr at steps 0..<60, except ReduceLROnPlateau's, which also has the
/// metric fed after each step.
private struct ScheduleReference: Decodable {
    enum Case: Decodable {
        case rates([Double])
        case plateau(metric: [Double], lr: [Double])

        init(from decoder: any Decoder) throws {
            struct Plateau: Decodable { let metric: [Double], lr: [Double] }
            let container = try decoder.singleValueContainer()
            if let rates = try? container.decode([Double].self) {
                self = .rates(rates)
            } else {
                let p = try container.decode(Plateau.self)
                self = .plateau(metric: p.metric, lr: p.lr)
            }
        }
    }
    let base_lr: Double
    let steps: Int
    let cases: [String: Case]

    static let file = "torch-lr-schedules.json"
    static func load() throws -> ScheduleReference {
        try Reference.load(ScheduleReference.self, from: file)
    }
}

/// One PyTorch case: its JSON key, our constructor for it, and the same schedule as text.
struct TorchScheduleCase: Sendable, CustomStringConvertible {
    let key: String, schedule: LearningRateSchedule, spec: String
    var description: String { key }
}

private let plateauKey = "ReduceLROnPlateau(mode=min,factor=0.5,patience=3,threshold=1e-4)"

private let torchCases: [TorchScheduleCase] = [
    .init(
        key: "StepLR(step_size=10,gamma=0.5)",
        schedule: .step(0.1, every: 10, gamma: 0.5), spec: "step:0.1:every=10:gamma=0.5"),
    .init(
        key: "MultiStepLR(milestones=[15,40],gamma=0.1)",
        schedule: .multiStep(0.1, milestones: [15, 40], gamma: 0.1), spec: "multistep:0.1:at=15,40"),
    .init(
        key: "ExponentialLR(gamma=0.95)",
        schedule: .exponential(0.1, gamma: 0.95), spec: "exp:0.1:gamma=0.95"),
    .init(
        key: "CosineAnnealingLR(T_max=50,eta_min=0.001)",
        schedule: .cosine(0.1, to: 0.001, over: 50), spec: "cosine:0.1:min=0.001:steps=50"),
    .init(
        key: "CosineAnnealingWarmRestarts(T_0=10,T_mult=2,eta_min=0.0)",
        schedule: .cosineWarmRestarts(0.1, period: 10, periodMultiplier: 2), spec: "restarts:0.1:period=10:mult=2:min=0"
    ),
    .init(
        key: "LinearLR(start_factor=0.1,end_factor=1.0,total_iters=10)",
        schedule: .linear(0.1, startFactor: 0.1, endFactor: 1, over: 10), spec: "linear:0.1:from=0.1:to=1:steps=10"),
    .init(
        key: "ConstantLR(factor=0.5,total_iters=5)",
        schedule: .constantFactor(0.1, factor: 0.5, for: 5), spec: "factor:0.1:factor=0.5:steps=5"),
    .init(
        key: "PolynomialLR(total_iters=40,power=2.0)",
        schedule: .polynomial(0.1, over: 40, power: 2), spec: "poly:0.1:steps=40:power=2"),
    .init(
        key: "OneCycleLR(max_lr=0.1,total_steps=60)",
        schedule: .oneCycle(maxLearningRate: 0.1, totalSteps: 60), spec: "onecycle:max=0.1"),
    .init(
        key: "OneCycleLR(max_lr=0.1,total_steps=60,anneal_strategy=linear,three_phase=True)",
        schedule: .oneCycle(maxLearningRate: 0.1, totalSteps: 60, annealing: .linear, threePhase: true),
        spec: "onecycle:0.1:anneal=linear:phases=3"),
    .init(
        key: "CyclicLR(base_lr=0.01,max_lr=0.1,step_size_up=10,mode=triangular2)",
        schedule: .cyclic(base: 0.01, max: 0.1, stepsUp: 10, mode: .triangular2),
        spec: "cyclic:0.01:max=0.1:up=10:mode=triangular2"),
    .init(
        key: "SequentialLR(LinearLR(0.1,1.0,10) then CosineAnnealingLR(T_max=50))",
        schedule: .sequential(
            .linear(0.1, startFactor: 0.1, endFactor: 1, over: 10), then: [10: .cosine(0.1, over: 50)]),
        spec: "warmup:10:from=0.1+cosine:0.1")
]

/// The first few steps where `ours` and `torch` disagree beyond the tolerance, as printable lines.
private func mismatches(_ ours: [Double], _ torch: [Double]) -> [String] {
    zip(ours, torch).enumerated()
        .filter { !Reference.close($1.0, $1.1, relative: relativeTolerance, absolute: 0) }
        .prefix(5).map { "step \($0): ours \($1.0), torch \($1.1)" }
}

// MARK: - Against PyTorch

@Suite("Schedules match torch.optim.lr_scheduler")
struct TorchScheduleTests {
    @Test("Every reference case has a Swift constructor in the table")
    func everyCaseCovered() throws {
        let reference = try ScheduleReference.load()
        #expect(reference.base_lr == 0.1 && reference.steps == 60)
        let covered = Set(torchCases.map(\.key) + [plateauKey])
        #expect(Set(reference.cases.keys) == covered)
    }

    @Test("Step by step, to 1e-12 relative", arguments: torchCases)
    func matchesTorch(_ c: TorchScheduleCase) throws {
        let reference = try ScheduleReference.load()
        guard case .rates(let torch) = try #require(reference.cases[c.key]) else {
            Issue.record("\(c.key) has no lr list")
            return
        }
        #expect(torch.count == reference.steps)
        let bad = mismatches(c.schedule.values(steps: torch.count), torch)
        #expect(bad.isEmpty, "\(c.schedule): \(bad.joined(separator: "; "))")
    }

    @Test("PlateauScheduler follows ReduceLROnPlateau")
    func plateau() throws {
        let reference = try ScheduleReference.load()
        guard case .plateau(let metric, let torch) = try #require(reference.cases[plateauKey]) else {
            Issue.record("\(plateauKey) has no metric/lr")
            return
        }
        var scheduler = PlateauScheduler(
            learningRate: reference.base_lr, mode: .min, factor: 0.5, patience: 3, threshold: 1e-4)
        var ours: [Double] = []
        for m in metric {
            ours.append(scheduler.learningRate)  // read before the optimizer step, then step the scheduler
            scheduler.step(metric: m)
        }
        let bad = mismatches(ours, torch)
        #expect(bad.isEmpty, "\(bad.joined(separator: "; "))")
        #expect(scheduler.description.hasPrefix("plateau(lr 9.765625e-05, min, × 0.5 after 3 bad steps"))
    }
}

// MARK: - PlateauScheduler's other modes

@Suite("PlateauScheduler")
struct PlateauSchedulerTests {
    @Test("max mode, absolute threshold, cooldown and the minimum lr")
    func modes() {
        var s = PlateauScheduler(
            learningRate: 1, mode: .max, factor: 0.5, patience: 0, threshold: 0.1,
            thresholdMode: .absolute, cooldown: 1, minimumLearningRate: 0.3)
        // 0.5 improves on -inf; 0.55 is not better by 0.1 → bad → cut to 0.5, cooldown 1;
        // 0.55 again: cooldown swallows it; 0.55: bad → cut to max(0.25, 0.3) = 0.3; then no cut below min.
        #expect([0.5, 0.55, 0.55, 0.55, 0.55, 0.55].map { s.step(metric: $0) } == [1, 0.5, 0.5, 0.3, 0.3, 0.3])
        #expect(s.best == 0.5)
    }

    @Test("NaN metrics count as bad steps and never trap")
    func nanMetric() {
        var s = PlateauScheduler(learningRate: 0.1, patience: 1)
        #expect(
            [Double.nan, .nan, .nan].map { s.step(metric: $0) } == [0.1, 0.010000000000000002, 0.010000000000000002])
    }
}

// MARK: - Evaluation, printing, never trapping

@Suite("LearningRateSchedule values")
struct ScheduleValueTests {
    @Test("The lecture's step decay: 0.1, then 0.01 from step 100000")
    func lecture() {
        let s = LearningRateSchedule.stepwise(0.1, then: [100_000: 0.01])
        #expect(s.learningRate(atStep: 99_999) == 0.1 && s.learningRate(atStep: 100_000) == 0.01)
        #expect(s.description == "stepwise(0.1, 0.01 from step 100000)")
        #expect(s.specification == "0.1@100000=0.01")
        #expect(s.baseLearningRate == 0.1)
    }

    @Test("Descriptions are short one-liners")
    func descriptions() {
        #expect(LearningRateSchedule.cosine(0.1, over: 60).description == "cosine(0.1 → 0 over 60 steps)")
        #expect(
            LearningRateSchedule.oneCycle(maxLearningRate: 0.1, totalSteps: 60).description
                == "one-cycle(0.004 → 0.1 → 4e-07 over 60 steps, peak at step 17, cosine)")
        #expect(
            torchCases.last!.schedule.description
                == "linear(0.1 × 0.1 → 1 over 10 steps), then from step 10 cosine(0.1 → 0 over 50 steps)")
    }

    @Test("A sequence inside a sequence is flattened, each inner phase cut at the next outer start")
    func nestedSequence() {
        let inner = LearningRateSchedule.sequential(.constant(1), then: [5: .constant(2), 20: .constant(3)])
        let nested = LearningRateSchedule.sequential(inner, then: [10: .exponential(4, gamma: 0.5)])
        let flat = LearningRateSchedule.sequential(
            .constant(1), then: [5: .constant(2), 10: .exponential(4, gamma: 0.5)])
        #expect(nested == flat)
        #expect(flat.values(steps: 12) == [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 4, 2])
    }

    /// Settings out of range (validate() throws) and extreme but valid ones.
    static let extremes: [(LearningRateSchedule, valid: Bool)] = [
        (.step(0.1, every: 0), false), (.step(0.1, every: -3), false), (.cosine(0.1, over: 0), false),
        (.cosine(.nan, over: 10), false), (.cosineWarmRestarts(0.1, period: 0, periodMultiplier: 0), false),
        (.linear(0.1, over: -1), false), (.constantFactor(0.1, for: -1), false),
        (.polynomial(0.1, over: 0, power: -1), false),
        (.oneCycle(maxLearningRate: 0.1, totalSteps: 0), false),
        (.cyclic(base: 0.1, max: 1, stepsUp: 0, stepsDown: -4), false),
        (.stepwise(0.1, then: [-5: 0.2, 3: 0.3, 3: 0.4]), false), (.multiStep(0.1, milestones: [], gamma: -1), false),
        (.sequential(.constant(1), then: [-10: .constant(2), Int.max: .constant(3)]), false),
        (.cosineWarmRestarts(0.1, period: 1, periodMultiplier: Int.max), true),
        (.oneCycle(maxLearningRate: 0.1, totalSteps: 10, warmupFraction: 0.1, threePhase: true), true),
        (.sequential(.constant(1), then: [Int.max: .cosine(1, over: Int.max)]), true)
    ]

    @Test("Extreme settings never trap: evaluation clamps, validate() reports", arguments: extremes)
    func neverTraps(_ s: LearningRateSchedule, valid: Bool) {
        for step in [Int.min, -1, 0, 1, 7, 1_000_000, Int.max] { _ = s.learningRate(atStep: step) }
        #expect(s.values(steps: -3).isEmpty)
        _ = s.description + s.specification
        if valid {
            #expect(throws: Never.self) { try s.validate() }
        } else {
            #expect(throws: ScheduleError.self) { try s.validate() }
        }
    }

    @Test("A negative step is step 0")
    func negativeStep() {
        let s = LearningRateSchedule.exponential(0.1, gamma: 0.5)
        #expect(s.learningRate(atStep: -4) == s.learningRate(atStep: 0))
    }
}

// MARK: - The range test

@Suite("LearningRateRangeTest")
struct RangeTestTests {
    /// The lecture's sweep, and a loss curve with its steepest fall at lr = 10^-1.5 (a tanh step in
    /// log10 lr), noise that only smoothing removes, and (optionally) a tail that blows up past 10^-0.5.
    static func curve(diverging: Bool) -> [Double] {
        let sweep = LearningRateRangeTest()
        return (0..<sweep.steps).map { i in
            let e = sweep.exponent(atStep: i)
            let noise = 0.05 * sin(1.7 * Double(i))
            let blowUp = diverging && e > -0.5 ? exp(8 * (e + 0.5)) - 1 : 0
            return 2 - tanh(3 * (e + 1.5)) + noise + blowUp
        }
    }

    @Test("The lecture's sweep: torch.linspace(-3, 0, 1000) as powers of 10")
    func sweep() {
        let sweep = LearningRateRangeTest()
        #expect(sweep.description == "lr range test(10^-3 → 10^0 over 1000 steps)")
        #expect(sweep.learningRate(atStep: 0) == 0.001 && sweep.learningRate(atStep: 999) == 1)
        #expect(Reference.close(sweep.learningRate(atStep: 333), pow(10, -3 + 333 * 3 / 999.0), relative: 1e-14))
        #expect(
            sweep.learningRates.count == 1000
                && zip(sweep.learningRates, sweep.learningRates.dropFirst()).allSatisfy { $0 < $1 })
        #expect(sweep.learningRate(atStep: -1) == 0.001 && sweep.learningRate(atStep: 5000) == 1)
    }

    @Test("Steepest descent is found through the noise (within the smoothing's lag of 49 steps ≈ 0.15 decade)")
    func steepest() throws {
        let sweep = LearningRateRangeTest()
        let (lr, reason) = try #require(sweep.suggestion(losses: Self.curve(diverging: false)))
        #expect(abs(log10(lr) - -1.5) < 0.2, "suggested \(lr): \(reason)")
        #expect(reason.hasPrefix("steepest descent of the smoothed loss at step"))
        #expect(!reason.contains("diverged") && !reason.contains("\n"))
    }

    @Test("The diverging tail is ignored; the minimum / 10 is the alternative")
    func divergence() throws {
        let sweep = LearningRateRangeTest()
        let analysis = try #require(sweep.analyze(losses: Self.curve(diverging: true)))
        #expect(analysis.diverged && analysis.smoothedLosses.count < 1000)
        #expect(abs(log10(analysis.suggestedLearningRate) - -1.5) < 0.2)
        // The smoothed minimum sits where the blow-up overtakes the tanh's last fall, around 10^-0.5.
        let minimumExponent = sweep.exponent(atStep: analysis.minimumStep)
        #expect(minimumExponent > -0.7 && minimumExponent < -0.2, "minimum at 10^\(minimumExponent)")
        #expect(analysis.minimumOverTen == sweep.learningRate(atStep: analysis.minimumStep) / 10)
        #expect(
            analysis.description.contains("the loss diverged")
                && analysis.description.contains("lr at the minimum ("))
    }

    /// Past the minimum the loss climbs (a spike to 12, as a bad lr gives); a steep fall on the far
    /// side of that spike is no advice: the suggestion comes from the descending part, at or below
    /// the minimum, and no lower than the minimum / 10.
    @Test("The suggestion is never past the minimum")
    func neverPastTheMinimum() throws {
        let sweep = LearningRateRangeTest()
        let losses = (0..<sweep.steps).map { i -> Double in
            let e = sweep.exponent(atStep: i)
            return 3 - 0.5 * tanh(4 * (e + 2)) + 10 * exp(-pow((e + 0.5) / 0.15, 2)) + 0.02 * sin(1.3 * Double(i))
        }
        let analysis = try #require(sweep.analyze(losses: losses))
        let minimum = sweep.learningRate(atStep: analysis.minimumStep)
        #expect(analysis.suggestedLearningRate <= minimum)
        #expect(analysis.suggestedLearningRate >= analysis.minimumOverTen)
        #expect(sweep.exponent(atStep: analysis.minimumStep) < -0.8)  // before the spike
    }

    @Test("Non-finite losses end the sweep")
    func nanLosses() throws {
        var losses = Self.curve(diverging: false)
        for i in 800..<1000 { losses[i] = i % 2 == 0 ? .nan : .infinity }
        let analysis = try #require(LearningRateRangeTest().analyze(losses: losses))
        #expect(analysis.smoothedLosses.count == 800 && analysis.diverged)
    }

    @Test("Smoothing is fastai's bias-corrected moving average")
    func smoothing() throws {
        let analysis = try #require(LearningRateRangeTest(steps: 10).analyze(losses: Array(repeating: 3, count: 10)))
        #expect(analysis.smoothedLosses.allSatisfy { Reference.close($0, 3, relative: 1e-14) })
        let ramp = try #require(LearningRateRangeTest(steps: 3).analyze(losses: [1, 2, 3]))
        // m = 0.02, 0.0596, 0.118408; / (1 − 0.98^k) → 1, 1.50505…, 2.01011…
        #expect(Reference.close(ramp.smoothedLosses[1], 0.0596 / (1 - 0.98 * 0.98), relative: 1e-14))
        #expect(ramp.smoothedLosses[0] == 1)
    }

    @Test("A loss that never falls suggests the minimum / 10 and says why")
    func neverFalls() throws {
        let sweep = LearningRateRangeTest(steps: 100)
        let (lr, reason) = try #require(sweep.suggestion(losses: (0..<100).map { 1 + Double($0) * 0.001 }))
        #expect(lr == sweep.learningRate(atStep: 10) / 10)  // the lowest point after the skipped first tenth
        #expect(reason.contains("never fell"))
    }

    @Test(
        "Too little to go on gives nil, never a trap",
        arguments: [(1000, [Double]()), (1000, [1.0]), (1000, [.nan, 1, 2]), (0, [1.0, 2.0]), (-5, [1.0, 2.0])])
    func tooLittle(_ steps: Int, _ losses: [Double]) {
        #expect(LearningRateRangeTest(steps: steps).suggestion(losses: losses) == nil)
        _ = LearningRateRangeTest(steps: steps).learningRate(atStep: 3)
    }
}

// MARK: - The text syntax

@Suite("LearningRateSchedule.parse")
struct ScheduleParseTests {
    @Test(
        "Examples",
        arguments: [
            ("0.1", LearningRateSchedule.constant(0.1)),
            ("0.1@100000=0.01@150000=0.001", .stepwise(0.1, then: [100_000: 0.01, 150_000: 0.001])),
            ("step:0.1@100000=0.01", .stepwise(0.1, then: [100_000: 0.01])),
            ("cosine:0.1:min=0", .cosine(0.1, over: 1000)),
            (" COSINE : 0.1 : Min = 1e-3 ", .cosine(0.1, to: 0.001, over: 1000)),
            ("onecycle:max=0.1:final=1e+4", .oneCycle(maxLearningRate: 0.1, totalSteps: 1000)),
            ("exponential:0.1:gamma=0.999", .exponential(0.1, gamma: 0.999)),
            (
                "warmup:100+cosine:0.1",
                .sequential(
                    .linear(0.1, startFactor: 0.01, endFactor: 1, over: 100),
                    then: [100: .cosine(0.1, over: 900)])
            ),
            (
                "exp:0.1:gamma=0.5:for=10+constant:for=1_0+0.001",
                .sequential(
                    .exponential(0.1, gamma: 0.5),
                    then: [10: .constant(0.001), 20: .constant(0.001)])
            ),
            (
                "linear:0.1:from=1:to=0:for=1e2+0.001",
                .sequential(
                    .linear(0.1, startFactor: 1, endFactor: 0, over: 100),
                    then: [100: .constant(0.001)])
            ),
            (
                "cyclic:0.01:max=0.1:up=10:down=30:mode=exp_range:gamma=0.99",
                .cyclic(base: 0.01, max: 0.1, stepsUp: 10, stepsDown: 30, mode: .exponentialRange, gamma: 0.99)
            )
        ])
    func examples(_ spec: String, _ expected: LearningRateSchedule) throws {
        #expect(try LearningRateSchedule.parse(spec, totalSteps: 1000) == expected)
    }

    @Test("The text spec of each PyTorch case builds the same schedule", arguments: torchCases)
    func specMatches(_ c: TorchScheduleCase) throws {
        #expect(try LearningRateSchedule.parse(c.spec, totalSteps: 60) == c.schedule)
    }

    static let roundTrips: [LearningRateSchedule] =
        torchCases.map(\.schedule) + [
            .constant(3e-4), .stepwise(0.1, then: [100_000: 0.01, 150_000: 1e-3]), .linear(0.1, over: 7),
            .cosineWarmRestarts(0.1, period: 10, minimum: 1e-5), .polynomial(0.5, over: 9, power: 0.5),
            .oneCycle(maxLearningRate: 0.3, totalSteps: 99, warmupFraction: 0.25, startDivisor: 10, finalDivisor: 100),
            .cyclic(base: 0, max: 1, stepsUp: 3, stepsDown: 5, mode: .exponentialRange, gamma: 0.9),
            .sequential(
                .exponential(1, gamma: 0.9),
                then: [
                    10: .linear(0.1, over: 5), 30: .stepwise(0.01, then: [5: 0.001]),
                    50: .cosine(0.01, over: 100)
                ])
        ]

    @Test("parse(schedule.specification) gives the schedule back", arguments: roundTrips)
    func roundTrip(_ s: LearningRateSchedule) throws {
        #expect(try LearningRateSchedule.parse(s.specification, totalSteps: 5) == s, "\(s.specification)")
    }

    @Test("A phase without an lr takes the next phase's, else the previous one's")
    func inheritance() throws {
        let s = try LearningRateSchedule.parse("warmup:10+0.1@5=0.05:for=1+cosine:steps=20", totalSteps: 100)
        #expect(
            s
                == .sequential(
                    .linear(0.1, startFactor: 0.1, endFactor: 1, over: 10),
                    then: [10: .stepwise(0.1, then: [5: 0.05]), 11: .cosine(0.1, over: 20)]))
    }

    static let errors: [(String, Int, ScheduleError)] = [
        ("", 10, .empty),
        ("   ", 10, .empty),
        ("cosin:0.1", 10, .unknownKind("cosin", suggestion: "cosine")),
        ("exponentail:0.1", 10, .unknownKind("exponentail", suggestion: "exp")),
        ("lin:0.1", 10, .unknownKind("lin", suggestion: "linear")),
        ("xyzzy:0.1", 10, .unknownKind("xyzzy", suggestion: nil)),
        (
            "cosine:0.1:mn=0", 10,
            .unknownKey("mn", kind: "cosine", accepted: ["lr", "min", "steps", "for"], suggestion: "min")
        ),
        (
            "exp:0.1:gamma=0.9:steps=5", 10,
            .unknownKey("steps", kind: "exp", accepted: ["lr", "gamma", "for"], suggestion: nil)
        ),
        ("cosine:0.1:min=0:min=1", 10, .repeatedKey("min", kind: "cosine")),
        ("cosine:0.1:lr=0.2", 10, .repeatedKey("lr", kind: "cosine")),
        ("step:0.1", 10, .missingKey("every", kind: "step", example: "step:0.1:every=1000:gamma=0.5")),
        ("cosine", 10, .missingKey("lr", kind: "cosine", example: "cosine:0.1:min=0.001")),
        ("cyclic:0.01", 10, .missingKey("max", kind: "cyclic", example: "cyclic:0.01:max=0.1:up=2000")),
        ("restarts:0.1", 10, .missingKey("period", kind: "restarts", example: "restarts:0.1:period=1000:mult=2")),
        ("warmup+cosine:0.1", 10, .missingKey("steps", kind: "warmup", example: "warmup:100+cosine:0.1")),
        (
            "cosine:abc", 10,
            .badValue("abc", key: "lr", kind: "cosine", expected: "a finite number such as 0.1 or 1e-3")
        ),
        (
            "cosine:nan", 10,
            .badValue("nan", key: "lr", kind: "cosine", expected: "a finite number such as 0.1 or 1e-3")
        ),
        (
            "exp:0.1:gamma=inf", 10,
            .badValue("inf", key: "gamma", kind: "exp", expected: "a finite number such as 0.1 or 1e-3")
        ),
        ("-0.1", 10, .badValue("-0.1", key: "lr", kind: "constant", expected: "a finite learning rate ≥ 0")),
        (
            "cosine:0.1:steps=0", 10,
            .badValue("0", key: "steps", kind: "cosine", expected: "a whole number of steps ≥ 1")
        ),
        (
            "cosine:0.1:steps=-5", 10,
            .badValue("-5", key: "steps", kind: "cosine", expected: "a whole number of steps ≥ 1")
        ),
        (
            "cosine:0.1:steps=1.5", 10,
            .badValue("1.5", key: "steps", kind: "cosine", expected: "a whole number of steps such as 1000")
        ),
        (
            "cosine:0.1:steps=1e400", 10,
            .badValue("1e400", key: "steps", kind: "cosine", expected: "a whole number of steps such as 1000")
        ),
        (
            "multistep:0.1:at=40,15", 10,
            .badValue(
                "40,15", key: "at", kind: "multistep",
                expected: "step numbers ≥ 0 in increasing order, separated by commas, e.g. at=15000,40000")
        ),
        (
            "multistep:0.1:at=", 10,
            .badValue("", key: "at", kind: "multistep", expected: "a whole number of steps such as 1000")
        ),
        (
            "0.1@200=0.01@100=0.001", 10,
            .badValue(
                "0.1@200=0.01@100=0.001", key: "lr", kind: "constant",
                expected: "LR@STEP=LR… with steps ≥ 0 in increasing order, e.g. 0.1@100000=0.01@150000=0.001")
        ),
        (
            "0.1@100", 10,
            .malformed(
                "@100", expected: "LR@STEP=LR… with steps ≥ 0 in increasing order, e.g. 0.1@100000=0.01@150000=0.001")
        ),
        (
            "0.1@x=0.01", 10,
            .badValue("x", key: "@", kind: "constant", expected: "a whole number of steps such as 1000")
        ),
        (
            "cosine:0.1+", 10,
            .malformed("cosine:0.1+", expected: "phases joined by single '+' signs, e.g. warmup:100+cosine:0.1")
        ),
        (
            "cosine::0.1", 10,
            .malformed(
                "cosine::0.1",
                expected: "KIND:VALUE:KEY=VALUE… with nothing empty between ':', e.g. cosine:0.1:min=0.001")
        ),
        (
            "onecycle:0.1:anneal=cosh", 10,
            .badValue("cosh", key: "anneal", kind: "onecycle", expected: "one of cos, cosine, linear")
        ),
        ("onecycle:0.1:pct=1.5", 10, .badValue("1.5", key: "pct", kind: "onecycle", expected: "a fraction in (0, 1)")),
        (
            "cyclic:0.01:max=0.1:mode=triangle", 10,
            .badValue(
                "triangle", key: "mode", kind: "cyclic",
                expected: "one of triangular, triangular2, exp_range")
        ),
        ("linear:0.1:from=0", 10, .badValue("0", key: "from", kind: "linear", expected: "a factor in (0, 1]")),
        (
            "warmup:10:from=2+cosine:0.1", 100,
            .badValue("2", key: "from", kind: "warmup", expected: "a factor in (0, 1]")
        ),
        (
            "restarts:0.1:period=10:mult=0", 10,
            .badValue("0", key: "mult", kind: "restarts", expected: "a whole number ≥ 1")
        ),
        (
            "exp:0.1:gamma=0.9:for=0+0.1", 10,
            .badValue("0", key: "for", kind: "exp", expected: "a whole number of steps ≥ 1")
        ),
        ("exp:0.1:gamma=0.9+cosine:0.1", 10, .phaseNeedsLength(phase: 1, kind: "exp")),
        ("cosine:0.1", 0, .noStepsLeft(phase: 1, kind: "cosine", start: 0, totalSteps: 0)),
        ("onecycle:0.1", -7, .noStepsLeft(phase: 1, kind: "onecycle", start: 0, totalSteps: -7)),
        ("warmup:100+cosine:0.1", 50, .noStepsLeft(phase: 2, kind: "cosine", start: 100, totalSteps: 50))
    ]

    @Test("Bad specs throw the right error", arguments: errors)
    func error(_ spec: String, _ totalSteps: Int, _ expected: ScheduleError) {
        #expect(throws: expected) { try LearningRateSchedule.parse(spec, totalSteps: totalSteps) }
    }

    @Test("Every message is one line saying what was wrong and what is accepted", arguments: errors.map(\.2))
    func message(_ error: ScheduleError) {
        #expect(!error.description.isEmpty && !error.description.contains("\n"))
        if case .unknownKind(_, let suggestion?) = error {
            #expect(error.description.contains("; did you mean '\(suggestion)'? (kinds: constant, step"))
        }
    }

    @Test("A phase that is not used by a short run is fine; zero total steps only matter when needed")
    func totalSteps() throws {
        #expect(try LearningRateSchedule.parse("0.1", totalSteps: 0) == .constant(0.1))
        #expect(try LearningRateSchedule.parse("cosine:0.1:steps=10", totalSteps: -1) == .cosine(0.1, over: 10))
    }

    @Test(
        "Odd input never traps",
        arguments: [
            "+", "++", ":", "@", "=", "0.1@", "0.1@=", "@=@", "cosine:=", "cosine:lr=", "::::", "0.1:0.2", "1e", "1e+",
            "cosine:0.1:steps=9223372036854775807",
            "0.1:for=9223372036854775807+0.2:for=9223372036854775807+cosine:0.1",
            "warmup:9223372036854775807+cosine:0.1", "multistep:0.1:at=1,2,,",
            "restarts:0.1:period=1:mult=9223372036854775807",
            "step:0.1:every=1e18", "onecycle:0.1:steps=1:pct=0.99:phases=3", "🙂:0.1", "cosine:0.1:🙂=1", "0x1p-3"
        ])
    func oddInput(_ spec: String) {
        if let s = try? LearningRateSchedule.parse(spec, totalSteps: 10) {
            for step in [-1, 0, 5, Int.max] { _ = s.learningRate(atStep: step) }
            _ = s.description + s.specification
        }
    }

    @Test("Edit distance")
    func editDistance() {
        #expect(NotebookLanguage.editDistance("cosin", "cosine") == 1)
        #expect(NotebookLanguage.editDistance("", "abc") == 3)
        #expect(NotebookLanguage.editDistance("kitten", "sitting") == 3)
    }
}
