// What the language-model commands of makemore parts 2–3 share through the session: the split of the
// loaded words, the current model with its trainer, the context windows built from the split, and
// the checks every command makes before it changes anything.
import Engine
import Makemore
import NotebookLanguage

extension Session {
    /// The current language model's trainer, or an error telling the user how to make one.
    func requireTrainer() throws(NotebookError) -> Trainer {
        guard let trainer = state.languageModels.trainer else {
            throw NotebookError(
                "no model yet; make one with model mlp (or bigram-nn, bn-mlp, wavenet, rnn, gru, lstm, bow, transformer), or checkpoint load FILE"
            )
        }
        return trainer
    }

    /// The split of the loaded words: the one `split` made, or a new one (the lecture's: python shuffle, seed 42) when
    /// there is none or the words have changed since. Says so when it makes one.
    func requireSplit() throws(NotebookError) -> DataSplit {
        let dataset = try requireDataset()
        if let split = state.languageModels.split, split.isSplit(of: dataset) { return split }
        let split = DataSplit(dataset)
        setSplit(split)
        emit("split \(dataset.source): \(split)")
        return split
    }

    /// Makes `split` the session's, forgetting windows built from another one.
    func setSplit(_ split: DataSplit) {
        state.languageModels.split = split
        state.languageModels.windows = state.languageModels.windows.filter { $0.key.text }
    }

    /// The text `load --text` read, or an error telling the user how to load one.
    func requireCorpus(for kind: ModelConfiguration.Kind) throws(NotebookError) -> TextCorpus {
        guard let corpus = state.languageModels.corpus else {
            throw NotebookError(
                "\(kind.rawValue) learns from a text read as one stream of characters; load one first with load --text FILE (e.g. load --text names.txt)"
            )
        }
        return corpus
    }

    /// The runs of a text model's block size in one part of the loaded text (dev is the text's val
    /// part), checked against the model's vocabulary and long enough for one run and its targets.
    func textWindows(_ part: Split, for model: any LanguageModel) throws(NotebookError) -> ContextWindows {
        let corpus = try requireCorpus(for: model.configuration.kind)
        guard part != .test else {
            throw NotebookError(
                "a text is split 90/10 into train and val, as the lecture splits it, with no test part; use train or dev (val)"
            )
        }
        guard corpus.vocabulary == model.vocabulary else {
            throw NotebookError(
                "the model's vocabulary (\(model.vocabulary)) is not the loaded text's (\(corpus.vocabulary)); make the model again with model \(model.configuration.kind.rawValue)"
            )
        }
        let key = LanguageModelState.WindowKey(split: part, blockSize: model.blockSize, wholeWords: false, text: true)
        if let cached = state.languageModels.windows[key] { return cached }
        let windows = corpus.windows(part, blockSize: model.blockSize)
        guard windows.count > 0 else {
            let name = part == .train ? "train" : "val"
            throw NotebookError(
                "the \(name) part of \(corpus.source) has \(corpus.part(part).count.grouped) characters, but a run of block size \(model.blockSize) needs \(model.blockSize + 1); load a longer text, or make the model with a smaller --block-size"
            )
        }
        state.languageModels.windows[key] = windows
        return windows
    }

    /// The context windows of one part of the split for `model`, checked against its vocabulary.
    func windows(_ part: Split, for model: any LanguageModel) throws(NotebookError) -> ContextWindows {
        if model.configuration.kind.readsText { return try textWindows(part, for: model) }
        let split = try requireSplit()
        if part == .dev, split.dev.isEmpty, split.layout == .makemore {
            throw NotebookError(
                "makemore's layout has no dev words (makemore watches its test loss); use the test split, or split --layout lecture for 80/10/10"
            )
        }
        if part != .train, split.layout == .all {
            throw NotebookError(
                "split --layout all trains on every word, so there are no \(part.rawValue) words; split --layout lecture for 80/10/10"
            )
        }
        guard split.vocabulary == model.vocabulary else {
            throw NotebookError("\(TrainingError.vocabularyMismatch(model: model.vocabulary, data: split.vocabulary))")
        }
        let key = LanguageModelState.WindowKey(
            split: part, blockSize: model.blockSize, wholeWords: model.configuration.kind.readsWholeWords, text: false)
        if let cached = state.languageModels.windows[key] { return cached }
        let windows: ContextWindows
        windows = try reporting { try ContextWindows(split.words(part), for: model) }
        guard windows.count > 0 else { throw NotebookError("\(TrainingError.noExamples(part))") }
        state.languageModels.windows[key] = windows
        return windows
    }
}

extension Session {
    /// Batch norm measures a mean and a variance over each batch (over its positions too, for WaveNet's
    /// lower levels), which needs at least two examples: a batch of one is an error, not a trap.
    func checkBatchNormBatch(_ batchSize: Int, examples: Int, for model: any LanguageModel) throws(NotebookError) {
        let rows = batchSize == 0 ? examples : batchSize
        guard model.buffers().isEmpty || rows >= 2 else {
            throw NotebookError(
                "batch norm needs at least 2 examples in a batch to measure their mean and variance; use --batch 2 or more (the lecture's 32)"
            )
        }
    }
}

/// The memory a training step may use unless `--memory` says otherwise, in GB.
let defaultStepMemoryGB = 4.0

extension Session {
    /// Refuses a batch whose step would need more than `budgetGB` gigabytes of activations and
    /// gradients, measured on the model itself, naming the largest batch that fits.
    func checkStepMemory(_ batchSize: Int, data: ContextWindows, for model: any LanguageModel, budgetGB: Double)
        throws(NotebookError)
    {
        guard budgetGB.isFinite, budgetGB > 0 else {
            throw NotebookError(
                "--memory is a number of gigabytes above 0, e.g. --memory 8 (the default is \(defaultStepMemoryGB.compactDescription))"
            )
        }
        let rows = batchSize == 0 ? data.count : batchSize
        let memory = model.stepMemory(on: data)
        let budget = budgetGB * 1e9
        let needed = memory.bytes(rows: rows)
        guard needed > budget else { return }
        let batch = batchSize == 0 ? "every example (\(rows.grouped) rows)" : "batch \(rows.grouped)"
        let largest = memory.largestBatch(within: budget)
        let advice =
            largest >= 1
            ? "the largest batch that fits is \(largest.grouped); use --batch \(largest.grouped) or less, or raise the budget"
            : "not even a batch of 1 fits; raise the budget"
        throw NotebookError(
            "a step on \(batch) needs about \(Self.gigabytes(needed)) of activations and gradients, "
                + "more than the \(Self.gigabytes(budget)) budget; \(advice) with --memory GB (e.g. --memory \(Int((needed / 1e9).rounded(.up))))"
        )
    }

    /// `10.2 GB`, `0.25 GB`.
    static func gigabytes(_ bytes: Double) -> String {
        let gb = bytes / 1e9
        return (gb >= 10 ? gb.fixed(0) : gb >= 1 ? gb.fixed(1) : gb.fixed(2)) + " GB"
    }
}

/// `1 step`, `200,000 steps`.
func stepCount(_ n: Int) -> String { "\(n.grouped) step\(n == 1 ? "" : "s")" }

extension Float {
    /// A loss as the lectures print it: `2.1701`.
    var loss: String { Double(self).fixed(4) }

    /// The loss in at most 7 characters, for the columns of `fit`'s table: 4 decimals as the lecture
    /// prints, fewer from 100 on, and 2.5e+04 for a loss that blew up.
    var tableLoss: String {
        let x = Double(self)
        guard x.isFinite else { return x.pythonDescription }
        switch abs(x) {
        case ..<100: return x.fixed(4)
        case ..<1_000: return x.fixed(3)
        case ..<10_000: return x.fixed(2)
        default: return String(format: "%.1e", x)
        }
    }
}
