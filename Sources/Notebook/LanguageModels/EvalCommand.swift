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
            once, at the end. Splits the loaded names with seed 42 when split was not run.
            """)
    static let group = CommandGroup.makemore

    @Argument(help: ArgumentHelp("The splits to score (default: train dev; val is dev).", valueName: "split"))
    var splits: [EvalChoice] = []

    func run(in session: Session) throws(NotebookError) {
        let trainer = try session.requireTrainer()
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
}
