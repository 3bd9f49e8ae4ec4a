// `fit`: the training loop of makemore parts 2–3 for the current language model — minibatches drawn
// from the session's generator, forward, zero_grad, backward, an optimizer step with a scheduled
// learning rate — with the dev loss every k steps. Named `fit` because `train` is micrograd's.
//
// At a terminal a live line shows the step, loss, lr, steps/s and time left; anywhere else (pipes,
// session scripts) only the plain rows print, with no timings, so output is the same on every machine.
// Ctrl-C stops between steps and keeps what was learned; `fit --resume` finishes the run.
import ArgumentParser
import Engine
import Foundation
import Makemore
import NotebookLanguage

struct FitCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Train the current language model on the train split (the lecture's loop; defaults are its run).",
        discussion: """
            Each step draws --batch rows with torch.randint(0, N, (batch,), generator=g) from the session's \
            generator, computes the loss, zero_grad, backward, sets the lr from the schedule and steps. The \
            defaults are the lecture's: 200,000 steps, batch 32, SGD, lr 0.1 then 0.01 from half way \
            (--lr 0.1@100000=0.01; any schedule works: cosine:0.1, warmup:1000+cosine:0.1, …; see help schedule). \
            bigram-nn's defaults are the lecture's full-batch descent: --batch 0 (every example), --lr 50, \
            200 steps. wavenet's are lecture 5's: 200,000 steps, lr 0.1 then 0.01 for the last quarter. The \
            whole-word models (rnn, gru, lstm, bow, transformer) train as makemore.py does: AdamW (betas \
            0.9, 0.99; weight decay 0.01) at a constant lr 5e-4, batches of 32 words, 20,000 steps. \
            A row prints every --every steps with the step's loss (one minibatch, as the lecture \
            prints) and the dev loss over the whole dev split (eval mode); eval gives the train, dev and test \
            losses (the lecture's split_loss). The optimizer and its state are kept between runs unless \
            --optimizer, --momentum or --weight-decay change it. When the dev loss climbs well above its best \
            while the train loss keeps falling, a warning says the model overfits; --keep-best then ends the \
            run with the weights of the row with the best dev loss, as makemore keeps its best model. At a \
            terminal a live view redraws in place below the rows: the train loss curve with the dev losses, \
            the lr, steps/s and time left, and names the model samples now (from a generator of their own, \
            so the run is the same with or without it); --no-live shows the progress line alone. Pipes and \
            session scripts get the plain rows. The text models (gpt-bigram, gpt) train as "Let's build GPT" \
            does: every --every steps (eval_interval) and before the last step, the train and val losses are \
            estimated over --eval-iters random batches each (estimate_loss, eval mode) and printed as the \
            lecture prints them; then a batch of runs of the text is drawn (get_batch) and AdamW (PyTorch's \
            defaults) steps. gpt-bigram: 3,000 steps of 32, lr 1e-2, every 300, 200 batches (bigram.py). gpt: \
            2,000 steps of 32, lr 3e-4, every 200, 50 batches (gpt.py's lr, at the laptop size).
            """)
    static let group = CommandGroup.makemore

    @Option(parsing: .unconditional, help: "Steps to train (the lecture's 200,000).") var steps: Int?
    @Option(parsing: .unconditional, help: "Examples per step (the lecture's 32; 0 for all of them).") var batch: Int?
    @Option(help: "The learning-rate schedule (the lecture's 0.1, then 0.01 from half way).") var lr: String?
    @Option(help: "sgd (the lecture's), adam or adamw (makemore's).") var optimizer: OptimizerSettings.Kind?
    @Option(parsing: .unconditional, help: "SGD's momentum (0: plain SGD).") var momentum: Double?
    @Option(parsing: .unconditional, help: "Weight decay (L2 for sgd and adam, decoupled for adamw).") var weightDecay:
        Double?
    @Option(
        parsing: .unconditional, help: "Print a row and measure the dev loss every k steps (default: about 10 rows).")
    var every: Int?
    @Flag(help: "Leave the dev loss out of the rows (each is a pass over the dev split: slow in debug builds).")
    var noDev = false
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "The most memory a step may use for activations and gradients, in GB (default 4).", valueName: "GB"))
    var memory: Double?
    @Option(
        parsing: .unconditional,
        help: "A text model's batches per part for each loss estimate (gpt.py's eval_iters; bigram.py's 200).")
    var evalIters: Int?
    @Flag(help: "Finish the run that Ctrl-C stopped (or that a checkpoint saved), with its settings.") var resume =
        false
    @Flag(help: "End with the weights of the row whose dev loss was lowest (makemore keeps its best model).")
    var keepBest = false
    @Flag(help: "At a terminal, show only the progress line instead of the live view (curves and names).")
    var noLive = false

    func validate() throws {
        if resume {
            let given = [
                (steps != nil, "--steps"), (batch != nil, "--batch"), (lr != nil, "--lr"), (every != nil, "--every"),
                (noDev, "--no-dev")
            ].filter(\.0)
            if let first = given.first {
                throw ValidationError("--resume finishes the last run with its own settings; leave out \(first.1)")
            }
            if optimizer != nil || momentum != nil || weightDecay != nil {
                throw ValidationError("--resume keeps the optimizer it was training with; leave out its options")
            }
        }
        if momentum != nil, let optimizer, optimizer != .sgd {
            throw ValidationError("--momentum is SGD's; \(optimizer.rawValue) has betas instead")
        }
        if resume, evalIters != nil {
            throw ValidationError("--resume finishes the last run with its own settings; leave out --eval-iters")
        }
        if keepBest && noDev {
            throw ValidationError("--keep-best picks by the dev loss, which --no-dev leaves out; drop one of them")
        }
    }

    func run(in session: Session) throws(NotebookError) {
        // Everything is checked before the first step: a mistake changes nothing.
        let trainer = try session.requireTrainer()
        let model = trainer.model
        if model.configuration.kind.readsText { return try runText(trainer, in: session) }
        if evalIters != nil {
            throw NotebookError(
                "--eval-iters is for the text models (gpt-bigram, gpt), which estimate their losses on random batches; \(model.configuration.kind.rawValue) measures the whole dev split"
            )
        }
        var plan = try makePlan(trainer)
        let schedule: LearningRateSchedule
        schedule = try reporting { try plan.validated() }
        let settings = try optimizerSettings(trainer)
        let data = try session.windows(.train, for: model)
        if try session.requireSplit().dev.isEmpty {  // makemore's layout
            if keepBest {
                throw NotebookError(
                    "--keep-best picks by the dev loss, but this split has no dev words; split --layout lecture makes one"
                )
            }
            plan.measuresDev = false
        }
        try session.checkBatchNormBatch(plan.batchSize, examples: data.count, for: model)
        try session.checkStepMemory(plan.batchSize, data: data, for: model, budgetGB: memory ?? defaultStepMemoryGB)
        let dev = plan.measuresDev ? try session.windows(.dev, for: model) : nil
        if trainer.useOptimizer(settings) {
            session.emit("optimizer: \(settings) (a fresh one: its state starts at zero)")
        }
        trainer.ratioInterval = Swift.max(1, plan.steps / 1_000)

        let batchText = plan.batchSize == 0 ? "every example" : "batch \(plan.batchSize)"
        let start = plan.completed
        session.emit(
            "\(resume ? "resuming" : "training") \(model.configuration) on \(data.count.grouped) train \(data.layout == .windows ? "examples" : "words"): "
                + "\(resume ? "steps \(start.grouped) to \(plan.steps.grouped)" : "\(stepCount(plan.steps))"), \(batchText), \(trainer.optimizerSettings), lr \(schedule)"
        )
        // Rows print as they come, at fixed widths, so that a long run shows its progress. The lr column
        // is as wide as the widest rate a row will show (2.4672e-05, 1e+30).
        let rowSteps =
            stride(from: start, to: plan.steps, by: Swift.max(1, plan.evaluateEvery ?? plan.steps))
            .prefix(10_000) + [plan.steps - 1]
        let rateWidth = rowSteps.map { Self.rate(schedule.learningRate(atStep: $0)).count }.max() ?? 7
        let widths = [Swift.max(4, (plan.steps - 1).grouped.count), 7, Swift.max(7, rateWidth), 8]
        func emitRow(_ cells: [String]) {
            session.emit(
                zip(cells, widths).map { String(repeating: " ", count: Swift.max(0, $1 - $0.count)) + $0 }.joined(
                    separator: "  "))
        }
        let headings = ["step", "loss", "lr"] + (plan.measuresDev ? ["dev loss"] : [])
        emitRow(headings)
        session.emit(widths.prefix(headings.count).map { String(repeating: "─", count: $0) }.joined(separator: "  "))

        var live = LiveProgress(
            session: session, total: plan.steps, start: start,
            dashboard: noLive ? nil : Self.dashboard(trainer, session))
        var last: (loss: Float, lr: Double) = (.nan, 0)
        var watch = OverfittingWatch(keepsWeights: keepBest, window: plan.evaluateEvery ?? 1)
        let outcome = trainer.run(
            &plan, schedule: schedule, data: data, dev: dev, generator: session.generator,
            report: { event in
                switch event {
                case .step(let k, let loss, let rate):
                    last = (loss, rate)
                    live.update(step: k + 1, loss: loss, learningRate: rate)
                case .report(let k, let devLoss):
                    live.clear()
                    emitRow(
                        [k.grouped, last.loss.tableLoss, Self.rate(last.lr)] + (devLoss.map { [$0.tableLoss] } ?? []))
                    if let devLoss, let warning = watch.observe(devLoss, atStep: k, trainer) { session.warn(warning) }
                }
            }, shouldStop: { Interrupt.isRequested })
        live.clear()
        let kept = watch.keepBest(trainer)
        if let kept { session.emit(kept.message) }

        switch outcome {
        case .stopped:
            session.emit(
                "interrupted (Ctrl-C) after \(plan.completed.grouped) of \(stepCount(plan.steps)): the model keeps what it learned; fit --resume finishes the run"
            )
        case .diverged(let step, let loss, let undidPrevious):
            if undidPrevious {
                session.warn(
                    "training diverged at step \(step.grouped): the loss is \(Double(loss).pythonDescription), so the update of step \((step - 1).grouped) that led there was taken back. The model keeps the weights of step \((step - 1).grouped), the last with a finite loss; try a smaller --lr."
                )
            } else {
                let why =
                    loss.isFinite
                    ? "its update made weights inf or nan" : "the loss is \(Double(loss).pythonDescription)"
                session.warn(
                    "training diverged at step \(step.grouped): \(why), so that step was not applied. The model keeps its weights from before it; try a smaller --lr."
                )
            }
        case .finished:
            if let kept, let step = kept.step {
                session.emit(
                    "after \(stepCount(trainer.stepsTaken)), with the weights of step \(step.grouped): dev loss \(kept.devLoss.loss) (\(Self.evaluationMode(model))); eval gives the train and test losses"
                )
            } else if let devLoss = trainer.history.evaluations.last(where: {
                $0.split == .dev && $0.step == trainer.stepsTaken
            })?.loss {
                session.emit(
                    "after \(stepCount(trainer.stepsTaken)): dev loss \(devLoss.loss) (\(Self.evaluationMode(model))); eval gives the train and test losses"
                )
            } else {
                let split = session.state.languageModels.split
                let parts = [
                    ("train", true), ("dev", split?.dev.isEmpty == false), ("test", split?.test.isEmpty == false)
                ]
                .filter(\.1).map(\.0)
                let list =
                    parts.count == 1
                    ? "the train loss"
                    : "the " + parts.dropLast().joined(separator: ", ") + " and \(parts.last!) losses"
                session.emit("after \(stepCount(trainer.stepsTaken)); eval gives \(list)")
            }
        }
        live.summary(steps: plan.completed - start)
    }

    /// The plan of this run: a new one from the options (with the model kind's defaults), or the
    /// unfinished one for `--resume`.
    func makePlan(_ trainer: Trainer) throws(NotebookError) -> TrainingPlan {
        if resume {
            guard let plan = trainer.plan, !plan.isFinished else {
                throw NotebookError("\(TrainingError.nothingToResume)")
            }
            return plan
        }
        let kind = trainer.model.configuration.kind
        let defaults = kind.trainingDefaults
        let steps = self.steps ?? defaults.steps
        var plan = TrainingPlan(
            steps: steps, batchSize: batch ?? defaults.batchSize, schedule: defaults.schedule(steps),
            evaluateEvery: every ?? defaults.estimateEvery ?? Swift.max(1, steps / 10), measuresDev: !noDev)
        if kind.readsText { plan.estimateIterations = evalIters ?? defaults.estimateIterations }
        _ = try reporting { try plan.validated() }  // the numbers first: a schedule is read over valid steps
        if let lr { plan.schedule = try LearningRateSchedule.parse(option: "--lr", lr, totalSteps: steps) }
        return plan
    }

    /// The optimizer settings asked for, or the trainer's when none of their options is given.
    func optimizerSettings(_ trainer: Trainer) throws(NotebookError) -> OptimizerSettings {
        guard optimizer != nil || momentum != nil || weightDecay != nil else { return trainer.optimizerSettings }
        let kind = optimizer ?? trainer.optimizerSettings.kind
        if momentum != nil, kind != .sgd {
            throw NotebookError("--momentum is SGD's; \(kind.rawValue) has betas instead")
        }
        let settings = OptimizerSettings(kind: kind, momentum: momentum, weightDecay: weightDecay)
        try reporting { try settings.validate() }
        return settings
    }

    /// The live view under the progress line: the loss curve so far (means over buckets of steps, the
    /// dev losses as points) and three names sampled now, in eval mode, from a generator of their own
    /// seeded the same every time, so that a class watches the same names turn from noise into names.
    static func dashboard(_ trainer: Trainer, _ session: Session) -> (Int, Int) -> [String] {
        let written = WrittenText()
        return { columns, rows in
            let history = trainer.history
            var lines: [String] = []
            let steps = history.steps
            if steps >= 4, rows >= 8 {
                let losses = history.losses.map(Double.init)
                let every = Swift.max(1, steps / 300)
                var series = [Series.averaged(losses, every: every, name: "train (mean of \(every.grouped) steps)")]
                let dev = history.evaluations.filter { $0.split == .dev }
                let readsText = trainer.model.configuration.kind.readsText
                if !dev.isEmpty {
                    series.append(
                        .scatter(
                            x: dev.map { Double($0.step) }, y: dev.map { Double($0.loss) },
                            name: readsText ? "val loss (estimated)" : "dev loss"))
                }
                let plot = Plot(title: "", x: Axis("step"), y: Axis("loss"), series: series)
                lines += render(plot, style: session.style, width: columns, height: Swift.min(14, rows - 6))
            }
            let generator = TorchGenerator(seed: 2_147_483_647 + 10)
            if trainer.model.configuration.kind.readsText {
                // A line of text the model writes now (newlines as ↵), written again every 5 seconds:
                // each character is a forward pass.
                let now = ContinuousClock.now
                if written.when.map({ now - $0 >= .seconds(5) }) ?? true {
                    let model = trainer.model
                    let count = Swift.min(48, Swift.max(10, columns - 12))
                    let drawn = (try? model.generate(after: [0], count: count, using: generator)) ?? []
                    written.text = drawn.map(model.vocabulary.label).joined()
                    written.when = now
                }
                lines.append("text now: " + written.text)
                return lines
            }
            let names = trainer.model.withMode(training: false) {
                (0..<3).compactMap { _ in try? trainer.model.sample(using: generator, maximumLength: 40) }
            }
            lines.append("names now: " + names.joined(separator: "  "))
            return lines
        }
    }

    /// `0.1000`, or `5e-05` for rates too small for four decimals.
    static func rate(_ lr: Double) -> String { lr >= 1e-3 ? lr.fixed(4) : lr.compactDescription }

    /// How the losses at the end were measured.
    static func evaluationMode(_ model: any LanguageModel) -> String {
        model.buffers().isEmpty ? "whole splits" : "whole splits, eval mode: batch norm's running statistics"
    }
}

/// The line of text a text model's live view shows, and when it was written.
final class WrittenText {
    var text = ""
    var when: ContinuousClock.Instant?
}

/// Watches the dev loss of `fit`'s rows: warns once when it climbs well above its best while the
/// train loss keeps falling (overfitting), and with `keepsWeights` copies the weights at each new
/// best so that the run can end with them.
struct OverfittingWatch {
    let keepsWeights: Bool
    /// Steps between rows: the train losses averaged on each side of the comparison.
    let window: Int
    private(set) var best: (loss: Float, step: Int, stepsRecorded: Int)?
    private var bestWeights: WeightSnapshot?
    private var last: Float?
    private var warned = false

    init(keepsWeights: Bool, window: Int) {
        self.keepsWeights = keepsWeights
        self.window = Swift.max(1, window)
    }

    /// Notes the dev loss of the row at `step`; a warning the first time the model overfits.
    mutating func observe(_ devLoss: Float, atStep step: Int, _ trainer: Trainer) -> String? {
        guard devLoss.isFinite else { return nil }
        last = devLoss
        let recorded = trainer.history.losses.count
        guard let best, devLoss >= best.loss else {
            self.best = (devLoss, step, recorded)
            if keepsWeights { bestWeights = WeightSnapshot(of: trainer.model) }
            return nil
        }
        // "Well above": 5% (and at least 0.05) over the best, while the train loss has kept falling.
        guard !warned, devLoss > best.loss + Swift.max(0.05, 0.05 * best.loss),
            let now = Self.mean(trainer.history.losses, endingAt: recorded, count: window),
            let then = Self.mean(trainer.history.losses, endingAt: best.stepsRecorded, count: window), now < then
        else { return nil }
        warned = true
        return
            "the model overfits: the dev loss is \(devLoss.loss), up from its best \(best.loss.loss) at step \(best.step.grouped), while the train loss kept falling (\(then.loss) → \(now.loss)). "
            + (keepsWeights
                ? "--keep-best ends the run with the weights of step \(best.step.grouped)."
                : "fit --keep-best would keep the best weights; a smaller model, dropout or weight decay, or more data, overfit less.")
    }

    /// With `keepsWeights`: puts the best row's weights back when the last row was worse, and says so
    /// (`step` is the row whose weights the model now has, nil when they are the last row's).
    func keepBest(_ trainer: Trainer) -> (message: String, step: Int?, devLoss: Float)? {
        guard keepsWeights, let best, let bestWeights, let last else { return nil }
        guard last > best.loss else {
            return ("--keep-best: the last row has the best dev loss (\(best.loss.loss)); its weights stay", nil, last)
        }
        bestWeights.restore(into: trainer.model)
        return (
            "--keep-best: the model has the weights of step \(best.step.grouped), whose dev loss \(best.loss.loss) was the lowest (the last row's: \(last.loss))",
            best.step, best.loss
        )
    }

    private static func mean(_ losses: [Float], endingAt end: Int, count: Int) -> Float? {
        let start = Swift.max(0, end - count)
        guard end <= losses.count, end > start else { return nil }
        return losses[start..<end].reduce(0, +) / Float(end - start)
    }
}
