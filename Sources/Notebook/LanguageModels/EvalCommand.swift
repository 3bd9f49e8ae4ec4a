// `eval`: the current language model's loss over whole splits (makemore part 2's `split_loss('train')`,
// `split_loss('val')`), in evaluation mode and without a graph.
import ArgumentParser
import Makemore
import NotebookLanguage

struct EvalCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract:
            "The current language model's loss on the train, dev or test split (default train and dev; train and test for makemore's layout).",
        discussion: """
            The mean cross-entropy over every example of the split, without regularisation, in eval mode (batch \
            norm uses its running statistics; the model's own mode is restored after). Tune on dev; look at test \
            once, at the end. Splits the loaded names with seed 42 when split was not run. A text model \
            (gpt-bigram, gpt) has train and val parts of its text, and eval estimates their losses as \
            gpt.py's estimate_loss does: the mean over --eval-iters random batches (default: the last fit's, \
            else 200) of the last fit's batch size (else 32), drawn from the session's generator.
            """)
    static let group = CommandGroup.makemore

    @Argument(help: ArgumentHelp("The splits to score (default: train dev; val is dev).", valueName: "split"))
    var splits: [EvalChoice] = []
    @Option(parsing: .unconditional, help: "A text model's batches per part (default: the last fit's, else 200).")
    var evalIters: Int?

    func run(in session: Session) throws(NotebookError) {
        let trainer = try session.requireTrainer()
        if trainer.model.configuration.kind.readsText { return try estimate(trainer, in: session) }
        if evalIters != nil {
            throw NotebookError(
                "--eval-iters is for the text models (gpt-bigram, gpt); this model is scored on whole splits")
        }
        // makemore's layout has no dev words: its default and `all` are train and test.
        let split = try session.requireSplit()
        let hasDev = !split.dev.isEmpty
        let hasTest = !split.test.isEmpty
        var parts: [Split] = []
        for choice in splits {
            parts += choice == .all ? Split.allCases.filter { !split.words($0).isEmpty } : choice.splits
        }
        if parts.isEmpty { parts = [.train] + (hasDev ? [.dev] : hasTest ? [.test] : []) }
        var seen = Set<Split>()
        parts = parts.filter { seen.insert($0).inserted }
        // Build every split's examples first, so that an error changes nothing.
        var data: [(Split, ContextWindows)] = []
        for part in parts { data.append((part, try session.windows(part, for: trainer.model))) }
        for (part, windows) in data {
            guard let loss = trainer.evaluate(windows, part, until: { Interrupt.isRequested }) else {
                session.warn("eval stopped by Ctrl-C during the \(part.rawValue) split")
                return
            }
            session.emit(
                "\(part.rawValue) loss \(loss.loss) (\(windows.count.grouped) \(windows.layout == .windows ? "examples" : "words"))"
            )
        }
        session.emit("(\(FitCommand.evaluationMode(trainer.model)); \(stepCount(trainer.stepsTaken)) trained)")
    }

    /// gpt.py's `estimate_loss` for a text model, now.
    private func estimate(_ trainer: Trainer, in session: Session) throws(NotebookError) {
        if splits.contains(where: { $0 == .test }) {
            throw NotebookError("a text is split 90/10 into train and val, with no test part; eval gives both")
        }
        let iterations = evalIters ?? trainer.plan?.estimateIterations ?? 200
        guard (1...TrainingPlan.maximumEstimateIterations).contains(iterations) else {
            throw NotebookError(
                "--eval-iters must be from 1 to \(TrainingPlan.maximumEstimateIterations.grouped), not \(iterations)")
        }
        // The last fit's batch (a checkpoint's plan may say 0, every example, which a text has not).
        let batch = trainer.plan.map(\.batchSize).flatMap { $0 >= 1 ? $0 : nil } ?? 32
        let train = try session.textWindows(.train, for: trainer.model)
        let val = try session.textWindows(.dev, for: trainer.model)
        guard
            let losses = trainer.estimateLoss(
                train: train, val: val, batchSize: batch, iterations: iterations, generator: session.generator,
                shouldStop: { Interrupt.isRequested })
        else {
            session.warn("eval stopped by Ctrl-C")
            return
        }
        session.emit("train loss \(losses.train.loss), val loss \(losses.val.loss)")
        session.emit(
            "(estimated as estimate_loss does: \(iterations.grouped) random batches of \(batch) runs per part, eval mode; \(stepCount(trainer.stepsTaken)) trained)"
        )
    }
}
