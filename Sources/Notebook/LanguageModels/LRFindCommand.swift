// `lr-find`: makemore part 2's learning-rate range test on the current model — one step at each of
// 1,000 learning rates from 10^-3 to 10^0, loss against lr — with fastai's reading of the curve as the
// suggestion, never past the loss's minimum. The steps are the model's own optimizer's (plain SGD as in
// the lecture; AdamW, from 10^-5 to 10^-1, for makemore's models). It runs on the model's weights and
// puts them back: the model is unchanged.
import ArgumentParser
import Engine
import Foundation
import Makemore
import NotebookLanguage

struct LRFindCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "lr-find",
        abstract: "Find a learning rate: one training step per lr from 10^-3 to 10^0, then loss against lr.",
        discussion: """
            The lecture's range test: lre = torch.linspace(-3, 0, 1000), lrs = 10**lre, one minibatch step at \
            each, drawing batches from the session's generator. The lecture reads the curve by eye and trains a \
            little below where the loss is lowest; beyond that point the steps are too big and the loss climbs. \
            Both that point and fastai's lr_find suggestion (the steepest descent of the smoothed loss, \
            looked for only where the loss still falls) are printed. Each step is the model's own \
            optimizer's, fresh: plain SGD for the lectures' models, AdamW for makemore's (rnn, gru, lstm, bow, \
            transformer), whose sweep runs from 10^-5 to 10^-1 by default. The model's weights are put back \
            afterwards; Ctrl-C stops the sweep early and reads what was measured.
            """)
    static let group = CommandGroup.makemore

    @Option(parsing: .unconditional, help: "Learning rates (and steps) in the sweep (the lecture's 1,000).") var steps =
        1_000
    @Option(parsing: .unconditional, help: "log10 of the first lr (the lecture's -3; -5 with Adam or AdamW).")
    var from: Double?
    @Option(parsing: .unconditional, help: "log10 of the last lr (the lecture's 0; -1 with Adam or AdamW).")
    var to: Double?
    @Option(parsing: .unconditional, help: "Examples per step.") var batch = 32
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "The most memory a step may use for activations and gradients, in GB (default 4).", valueName: "GB"))
    var memory: Double?
    @Option(
        name: .customLong("svg"), help: ArgumentHelp("Also write the plot to this SVG file.", valueName: "file"),
        completion: .file())
    var svgFile: String?

    func run(in session: Session) throws(NotebookError) {
        let trainer = try session.requireTrainer()
        let adaptive = trainer.optimizerSettings.kind != .sgd  // Adam's steps are ~lr whatever the gradient
        let (from, to) = (self.from ?? (adaptive ? -5 : -3), self.to ?? (adaptive ? -1 : 0))
        guard (10...100_000).contains(steps) else {
            throw NotebookError("--steps must be from 10 to 100,000, not \(steps)")
        }
        guard from.isFinite, to.isFinite, (-10.0...3.0).contains(from), (-10.0...3.0).contains(to), from < to else {
            throw NotebookError(
                "--from and --to are powers of ten from -10 to 3 with --from below --to (the lecture's -3 and 0), not \(from.compactDescription) and \(to.compactDescription)"
            )
        }
        guard (1...TrainingPlan.maximumBatchSize).contains(batch) else {
            throw NotebookError("--batch must be from 1 to \(TrainingPlan.maximumBatchSize.grouped), not \(batch)")
        }
        let data = try session.windows(.train, for: trainer.model)
        try session.checkBatchNormBatch(batch, examples: data.count, for: trainer.model)
        try session.checkStepMemory(batch, data: data, for: trainer.model, budgetGB: memory ?? defaultStepMemoryGB)
        let sweep = LearningRateRangeTest(steps: steps, lowExponent: from, highExponent: to)
        var live = LiveProgress(session: session, total: steps, start: 0)
        let losses = trainer.rangeTest(
            sweep, data: data, batchSize: batch, generator: session.generator,
            progress: { step, loss in
                live.update(
                    step: step + 1, label: "lr-find", loss: Float(loss), learningRate: sweep.learningRate(atStep: step))
            },
            shouldStop: { Interrupt.isRequested })
        live.clear()
        let analysis = sweep.analyze(losses: losses)
        let plot = TrainPlots.rangeTest(sweep, losses: losses, smoothed: analysis?.smoothedLosses ?? [])
        if let svgFile { try FileErrors.writeAtomically(Data(svg(plot).utf8), to: svgFile) }
        let optimizer = trainer.optimizerSettings.kind == .sgd ? "plain SGD" : trainer.optimizerSettings.description
        session.emit(
            "\(sweep) on \(trainer.model.configuration.kind.rawValue), batch \(batch), \(optimizer) (the model's optimizer, fresh); the model's weights were put back"
        )
        if losses.count < steps {
            let reached = String(format: "%.3g", sweep.learningRate(atStep: Swift.max(0, losses.count - 1)))
            session.emit(
                losses.isEmpty
                    ? "stopped by Ctrl-C before the first step: nothing was measured"
                    : Interrupt.isRequested
                        ? "stopped by Ctrl-C after \(count(losses.count, "step")): lr measured from \(String(format: "%.3g", sweep.learningRate(atStep: 0))) to \(reached); what follows reads those steps only"
                        : "stopped at step \(losses.count - 1) (lr \(reached)): the loss is no longer a number")
        }
        if let analysis {
            let lowest = sweep.learningRate(atStep: analysis.minimumStep)
            session.emit(
                "the smoothed loss is lowest at lr \(String(format: "%.3g", lowest)) (step \(analysis.minimumStep)); beyond it the steps get too big. "
                    + "The lecture trains a little below that point (0.1 for its MLP).")
            session.emit(
                "suggested lr (fastai's lr_find): \(String(format: "%.3g", analysis.suggestedLearningRate)) (\(analysis))"
            )
        } else {
            session.emit("no suggestion: fewer than two finite losses before the sweep diverged; try a lower --from")
        }
        session.show(figure: render(plot, style: session.style)) { svg(plot) }
        if let svgFile { session.emit("wrote \(svgFile): loss against lr, 640×400 px") }
    }
}
