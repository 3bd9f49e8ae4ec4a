// Reading a schedule from the text a notebook user types (`warmup:100+cosine:0.1:min=0.001`).
// The syntax is documented on `parse(_:totalSteps:)`; its pieces are in `LearningRateSchedule+Syntax.swift`.
import Engine
import NotebookLanguage

extension LearningRateSchedule {
    /// Reads a schedule from a compact text spec. Never traps; a bad spec throws a ``ScheduleError``
    /// whose message says what was wrong and what is accepted.
    ///
    /// A spec is one or more **phases** joined by `+`. A phase is `KIND:VALUE:KEY=VALUE:…`; the bare
    /// `VALUE` fills the kind's main key (the lr for most kinds), keys may come in any order, and a bare
    /// number is a constant lr. `N` below is what is left of `totalSteps` when the phase starts.
    ///
    /// | spec | meaning (PyTorch) | defaults |
    /// |---|---|---|
    /// | `0.1` | constant 0.1 | |
    /// | `0.1@100000=0.01@150000=0.001` | the lecture's: 0.1, then 0.01 from step 100000, … (also `step:0.1@100000=0.01`) | |
    /// | `step:0.1:every=1000:gamma=0.5` | `StepLR` | gamma=0.1 |
    /// | `multistep:0.1:at=15000,40000:gamma=0.1` | `MultiStepLR` | gamma=0.1 |
    /// | `exp:0.1:gamma=0.999` | `ExponentialLR` | |
    /// | `cosine:0.1:min=0.001:steps=5000` | `CosineAnnealingLR` | min=0, steps=N |
    /// | `restarts:0.1:period=1000:mult=2:min=0` | `CosineAnnealingWarmRestarts` | mult=1, min=0 |
    /// | `linear:0.1:from=0.1:to=1:steps=10` | `LinearLR` (lr · from → lr · to) | from=1/3, to=1, steps=N |
    /// | `warmup:100` | `LinearLR(1/steps, 1, steps)`, lr from the next phase | from=1/steps |
    /// | `factor:0.1:factor=0.5:steps=5` | `ConstantLR` | factor=1/3, steps=N |
    /// | `poly:0.1:power=2:steps=40` | `PolynomialLR` | power=1, steps=N |
    /// | `onecycle:0.1:steps=60:pct=0.3:anneal=linear:div=25:final=1e4:phases=3` | `OneCycleLR` (0.1 is max_lr) | pct=0.3, anneal=cos, div=25, final=1e4, phases=2, steps=N |
    /// | `cyclic:0.01:max=0.1:up=10:down=10:mode=triangular2:gamma=1` | `CyclicLR` (0.01 is base_lr) | up=2000, down=up, mode=triangular |
    /// | `warmup:10:from=0.1+cosine:0.1` | `SequentialLR`: each phase counts its steps from 0 | |
    ///
    /// Phases: each phase but the last needs a length, `for=K`, or `steps=K` for the kinds that take it
    /// (where `steps` is also T_max / total_iters / total_steps); the last phase runs to the end, and a
    /// kind that takes `steps` and is not given it spans the rest of `totalSteps`. A phase without an lr
    /// takes the lr of the next phase that has one, else of the previous one. Kind names and keys are
    /// case-insensitive; `exponential`, `polynomial`, `one-cycle` and `sgdr` are accepted for `exp`, `poly`,
    /// `onecycle` and `restarts`. Numbers are decimals (`1e-3`, `0.001`); step counts are whole (`1000`,
    /// `10_000`, `1e4`). ``specification`` writes any schedule back in this syntax.
    ///
    /// - Parameter totalSteps: the length of training, for phases that run "to the end"; it is only
    ///   consulted (and only has to be positive) when such a phase needs a length.
    /// The schedule an option gives (`fit --lr 0.1@100000=0.01`), with a bad one as the notebook's
    /// error: "--lr fast: there is no schedule 'fast' …".
    static func parse(option: String, _ spec: String, totalSteps: Int) throws(NotebookError) -> LearningRateSchedule {
        do { return try parse(spec, totalSteps: totalSteps) } catch {
            throw NotebookError("\(option) \(spec): \(error)")
        }
    }

    static func parse(_ spec: String, totalSteps: Int) throws(ScheduleError) -> LearningRateSchedule {
        let spec = Syntax.trimmed(spec)
        guard !spec.isEmpty else { throw .empty }
        var phases: [Syntax.Phase] = []
        for (i, text) in Syntax.phaseTexts(spec).enumerated() {
            let text = Syntax.trimmed(text)
            guard !text.isEmpty else {
                throw .malformed(spec, expected: "phases joined by single '+' signs, e.g. warmup:100+cosine:0.1")
            }
            phases.append(try Syntax.phase(text, number: i + 1))
        }
        try inheritLearningRates(&phases)

        var built: [Phase] = []
        var start = 0
        for (i, phase) in phases.enumerated() {
            if phase.kind.name == "warmup", phase.fields["steps"] == nil { throw phase.missing("steps") }
            let forLength = try phase.optionalInteger("for")
            if let forLength, forLength < 1 {
                throw .badValue(
                    String(forLength), key: "for", kind: phase.kind.name, expected: "a whole number of steps ≥ 1")
            }
            let steps = phase.kind.hasHorizon ? try phase.optionalInteger("steps") : nil
            let isLast = i == phases.count - 1
            guard let length = forLength ?? steps ?? (isLast ? 0 : nil) else {
                throw .phaseNeedsLength(phase: phase.number, kind: phase.kind.name)
            }
            let remaining = start < totalSteps ? totalSteps - start : 0
            if phase.kind.hasHorizon, steps == nil, forLength == nil, remaining < 1 {
                throw .noStepsLeft(phase: phase.number, kind: phase.kind.name, start: start, totalSteps: totalSteps)
            }
            let schedule = try build(phase, horizon: steps ?? forLength ?? remaining)
            do { try schedule.validate() } catch { throw error.reported(as: phase.kind.name) }
            built.append(Phase(start: start, schedule: schedule))
            let (next, overflow) = start.addingReportingOverflow(length)
            start = overflow ? Int.max : next
        }
        return built.count == 1 ? built[0].schedule : Self(kind: .sequential(built))
    }

    /// Gives each phase that has no lr the lr of the next phase with one, else of the previous one.
    private static func inheritLearningRates(_ phases: inout [Syntax.Phase]) throws(ScheduleError) {
        let given = phases.map { phase in phase.fields["lr"].map { String($0.prefix { $0 != "@" }) } }
        for i in phases.indices where phases[i].kind.keys.contains("lr") && given[i] == nil {
            let order = Array(phases.indices[(i + 1)...]) + phases.indices[..<i].reversed()
            guard let source = order.first(where: { given[$0] != nil }) else { throw phases[i].missing("lr") }
            phases[i].fields["lr"] = given[source]
        }
    }

    /// The schedule of one phase; `horizon` is its `steps` (given, or the phase's length).
    private static func build(_ p: Syntax.Phase, horizon: Int) throws(ScheduleError) -> LearningRateSchedule {
        switch p.kind.name {
        case "constant":
            return try stepwise(p)
        case "step" where p.fields["every"] == nil && p.fields["lr"]?.contains("@") == true:
            return try stepwise(p)
        case "step":
            return .step(try p.number("lr"), every: try p.integer("every"), gamma: try p.number("gamma", default: 0.1))
        case "multistep":
            return .multiStep(
                try p.number("lr"), milestones: try p.steps("at"), gamma: try p.number("gamma", default: 0.1))
        case "exp":
            return .exponential(try p.number("lr"), gamma: try p.number("gamma"))
        case "cosine":
            return .cosine(try p.number("lr"), to: try p.number("min", default: 0), over: horizon)
        case "restarts":
            return .cosineWarmRestarts(
                try p.number("lr"), period: try p.integer("period"),
                periodMultiplier: try p.integer("mult", default: 1), minimum: try p.number("min", default: 0))
        case "linear":
            return .linear(
                try p.number("lr"), startFactor: try p.number("from", default: 1.0 / 3),
                endFactor: try p.number("to", default: 1), over: horizon)
        case "warmup":
            let steps = try p.integer("steps")
            return .linear(
                try p.number("lr"), startFactor: try p.number("from", default: 1 / Double(max(1, steps))),
                endFactor: 1, over: steps)
        case "factor":
            return .constantFactor(try p.number("lr"), factor: try p.number("factor", default: 1.0 / 3), for: horizon)
        case "poly":
            return .polynomial(try p.number("lr"), over: horizon, power: try p.number("power", default: 1))
        case "onecycle":
            let anneal = try p.choice("anneal", among: ["cos", "cosine", "linear"], default: "cos")
            return .oneCycle(
                maxLearningRate: try p.number("max"), totalSteps: horizon,
                warmupFraction: try p.number("pct", default: 0.3),
                annealing: anneal == "linear" ? .linear : .cosine, startDivisor: try p.number("div", default: 25),
                finalDivisor: try p.number("final", default: 1e4),
                threePhase: try p.choice("phases", among: ["2", "3"], default: "2") == "3")
        default:  // "cyclic", the last row of `Syntax.kinds`
            let mode = try p.choice("mode", among: CyclicMode.allCases.map(\.rawValue), default: "triangular")
            return .cyclic(
                base: try p.number("base"), max: try p.number("max"), stepsUp: try p.integer("up", default: 2000),
                stepsDown: try p.optionalInteger("down"), mode: CyclicMode(rawValue: mode) ?? .triangular,
                gamma: try p.number("gamma", default: 1))
        }
    }

    /// `LR@STEP=LR@STEP=LR…`: the lecture's step decay (a constant when there are no changes).
    private static func stepwise(_ p: Syntax.Phase) throws(ScheduleError) -> LearningRateSchedule {
        let text = p.fields["lr"] ?? ""
        let parts = text.split(separator: "@", omittingEmptySubsequences: false).map(Syntax.trimmed)
        let lr = try Syntax.Phase.number(parts[0], key: "lr", kind: p.kind.name)
        let expected = "LR@STEP=LR… with steps ≥ 0 in increasing order, e.g. 0.1@100000=0.01@150000=0.001"
        var changes: [Change] = []
        for part in parts.dropFirst() {
            let pieces = part.split(separator: "=", omittingEmptySubsequences: false).map(Syntax.trimmed)
            guard pieces.count == 2 else { throw .malformed("@" + part, expected: expected) }
            let step = try Syntax.Phase.integer(pieces[0], key: "@", kind: p.kind.name)
            guard step >= 0, step > (changes.last?.step ?? -1) else {
                throw .badValue(text, key: "lr", kind: p.kind.name, expected: expected)
            }
            changes.append(
                Change(step: step, lr: try Syntax.Phase.number(pieces[1], key: "@\(step)", kind: p.kind.name)))
        }
        return changes.isEmpty ? .constant(lr) : Self(kind: .stepwise(lr: lr, changes: changes))
    }
}

extension ScheduleError {
    /// The same error told in terms of the kind the user typed (`warmup` is built as a `linear`).
    func reported(as kind: String) -> ScheduleError {
        guard case .badValue(let value, let key, _, let expected) = self else { return self }
        return .badValue(value, key: key, kind: kind, expected: expected)
    }
}
