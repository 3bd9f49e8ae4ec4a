// What the makemore commands share through the session: the loaded dataset, the bigram model built
// from it, and how a dataset's warnings print.
import Makemore
import NotebookLanguage

extension Session {
    /// The loaded dataset, or an error telling the user to `load` one first.
    func requireDataset() throws(NotebookError) -> NamesDataset {
        guard let dataset = state.names.dataset else {
            throw NotebookError("no dataset loaded yet; type load (for names.txt) or load FILE first")
        }
        return dataset
    }

    /// The bigram model: the one `bigram` built, or one with +1 smoothing built now from the dataset.
    func requireBigram() throws(NotebookError) -> BigramModel {
        if let bigram = state.names.bigram { return bigram }
        let model = try buildBigram(from: requireDataset(), smoothing: 1)
        state.names.bigram = model
        return model
    }

    /// A bigram model of `dataset`, with a smoothing error as a notebook error.
    func buildBigram(from dataset: NamesDataset, smoothing: Double) throws(NotebookError) -> BigramModel {
        return try reporting { try BigramModel(counts: BigramCounts(dataset), smoothing: smoothing) }
    }

    /// Prints each warning: its summary, then its examples indented.
    func emit(warnings: [DatasetWarning]) {
        for warning in warnings {
            if warning.isNote {
                emit("note: " + warning.summary)
                continue
            }
            warn(warning.summary)
            for line in warning.details { emit("  " + line) }
        }
    }
}
