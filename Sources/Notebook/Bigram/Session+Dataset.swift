// What the makemore commands share through the session: the loaded dataset, the bigram model built
// from it, and how a dataset's warnings print.
import Makemore
import NotebookLanguage

extension Session {
    /// The loaded dataset, or an error telling the user to `load` one first.
    func requireDataset(for command: String) throws(NotebookError) -> NamesDataset {
        guard let dataset else {
            throw NotebookError("\(command): no dataset loaded yet; type load (for names.txt) or load FILE first")
        }
        return dataset
    }

    /// The bigram model: the one `bigram` built, or one with +1 smoothing built now from the dataset.
    func requireBigram(for command: String) throws(NotebookError) -> BigramModel {
        if let bigram { return bigram }
        let model = try buildBigram(from: requireDataset(for: command), smoothing: 1, command: command)
        bigram = model
        return model
    }

    /// A bigram model of `dataset`, with a smoothing error as a notebook error.
    func buildBigram(from dataset: NamesDataset, smoothing: Double, command: String) throws(NotebookError) -> BigramModel {
        do {
            return try BigramModel(counts: BigramCounts(dataset), smoothing: smoothing)
        } catch {
            throw NotebookError("\(command): \(error)")
        }
    }

    /// Prints each warning: its summary, then its examples indented.
    func emit(warnings: [DatasetWarning]) {
        for warning in warnings {
            warn(warning.summary)
            for line in warning.details { emit("  " + line) }
        }
    }
}
