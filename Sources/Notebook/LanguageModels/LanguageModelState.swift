// What the language-model commands keep between lines: the split, the model and its trainer, and the
// context windows built so far.
import Engine
import Makemore
import NotebookLanguage

/// The session's state for `split`, `model`, `fit`, `eval`, `lr-find`, `figure`, `shapes` and `checkpoint`.
struct LanguageModelState {
    /// The text `load --text` read, for gpt-bigram and gpt.
    var corpus: TextCorpus?
    /// The train/dev/test words, made by `split` (or by `fit`/`eval` on first use).
    var split: DataSplit?
    /// The current model, its optimizer and its history; nil until `model KIND` or `checkpoint load`.
    var trainer: Trainer?
    /// Context windows already built, per part and block size.
    var windows: [WindowKey: ContextWindows] = [:]

    /// What `reset` forgets here, for its summary.
    var contents: [String] {
        (trainer.map { ["the \($0.model.configuration.kind.rawValue) model"] } ?? [])
            + (split == nil ? [] : ["the split"]) + (corpus.map { ["the text of \($0.source)"] } ?? [])
    }

    struct WindowKey: Hashable {
        let split: Split
        let blockSize: Int
        let wholeWords: Bool
        /// Runs of the loaded text rather than examples of the split's words.
        let text: Bool
    }
}
