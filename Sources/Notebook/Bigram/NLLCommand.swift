// `nll`: how well the bigram model fits words — the lecture's log likelihood, negative log likelihood
// and its average (makemore part 1), over the loaded names, a file, or words typed, with every bigram of
// one word (`nll andrejq`; `--smoothing 0` shows the infinite loss smoothing avoids).
import ArgumentParser
import Engine
import Makemore
import NotebookLanguage

struct NLLCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "nll",
        abstract: "The negative log likelihood of the bigram model over the names, a file, or words.",
        discussion: """
            log_likelihood = Σ log P[c1, c2] over every bigram ('.' at both ends of each word), summed in \
            float32 as the lecture does; nll = -log_likelihood; the average nll (nll / n) is the loss: lower is \
            better. nll alone scores the loaded names; nll andrejq shows each bigram of one word; nll --file \
            FILE scores another file (words with characters the model lacks are left out and reported). \
            Builds the bigram model (+1 smoothing) when bigram was not run.
            """)
    static let group = CommandGroup.makemore

    @Argument(help: "Words to score; none for the loaded names.") var words: [String] = []
    @Option(
        name: .long, parsing: .unconditional,
        help: "Score with this k instead of the model's smoothing (the model is unchanged).") var smoothing: Double?
    @Option(name: .long, help: "Score the names in this file instead.") var file: String?

    func run(in session: Session) throws(NotebookError) {
        guard words.isEmpty || file == nil else { throw NotebookError("give words or --file FILE, not both") }
        var model = try session.requireBigram()
        if let smoothing, smoothing != model.smoothing {
            model = try reporting { try BigramModel(counts: model.counts, smoothing: smoothing) }
        }
        let name = "the bigram model (\(BigramModel.describe(smoothing: model.smoothing)), from \(model.counts.source))"
        if let file {
            try scoreFile(file, with: model, named: name, in: session)
        } else if words.isEmpty {
            let dataset = try session.requireDataset()
            let result = try score(dataset.words, with: model)
            session.emit("\(name) on \(dataset.source): \(count(dataset.words.count, "word"))")
            emitTotals(result, in: session)
        } else if words.count == 1 {
            try scoreWord(words[0], with: model, named: name, in: session)
        } else {
            var rows = [["word", "bigrams", "log_likelihood", "nll", "average nll"]]
            for word in words {
                let result = try score([word], with: model)
                rows.append([
                    word, String(result.count), Self.shown(result.logLikelihood), Self.shown(result.nll),
                    Self.shown(result.average)
                ])
            }
            session.emit(name + ":")
            Table(rows: rows, alignRight: [1, 2, 3, 4]).lines.forEach { session.emit($0) }
            emitTotals(try score(words, with: model), in: session)
        }
    }

    /// The scores of `words`, with a word the model cannot read as a notebook error.
    private func score(_ words: [String], with model: BigramModel) throws(NotebookError) -> LogLikelihood {
        return try reporting { try model.logLikelihood(of: words) }
    }

    /// Every bigram of one word, as the lecture prints them, then its totals.
    private func scoreWord(_ word: String, with model: BigramModel, named name: String, in session: Session)
        throws(NotebookError)
    {
        let scores: [CharacterScore]
        scores = try reporting { try model.scores(of: word) }
        let itos = model.vocabulary.itos
        var rows = [["bigram", "count", "P", "log P"]]
        var result = LogLikelihood()
        for s in scores {
            let i = s.context.last ?? 0
            rows.append([
                CountMatrix.label(itos[i]) + CountMatrix.label(itos[s.next]), model.counts[i, s.next].grouped,
                Double(s.probability).fixed(4), Self.shown(s.logProbability)
            ])
            result.add(s)
        }
        session.emit("\(word.quotedForDisplay) under \(name):")
        Table(rows: rows, alignRight: [1, 2, 3]).lines.forEach { session.emit($0) }
        emitTotals(result, in: session)
        if let impossible = scores.first(where: { $0.probability == 0 }) {
            let pair =
                "\(String(itos[impossible.context.last ?? 0]).quotedForDisplay), \(String(itos[impossible.next]).quotedForDisplay)"
            session.emit(
                "P[\(pair)] is 0: the model says \(word.quotedForDisplay) cannot happen, so its nll is infinite; smoothing (the default +1) avoids that"
            )
        }
    }

    /// The names of another file, checked against the model's vocabulary.
    private func scoreFile(_ path: String, with model: BigramModel, named name: String, in session: Session)
        throws(NotebookError)
    {
        let dataset: NamesDataset
        dataset = try reporting { try NamesDataset(contentsOf: path, expecting: model.vocabulary) }
        session.emit(warnings: dataset.warnings)
        let scorable = dataset.words.filter { model.vocabulary.unknownCharacters(in: $0).isEmpty }
        guard !scorable.isEmpty else {
            throw NotebookError("no word of \(path) fits the model's vocabulary (\(model.vocabulary))")
        }
        let left = dataset.words.count - scorable.count
        session.emit(
            "\(name) on \(path): \(count(scorable.count, "word"))"
                + (left > 0 ? " (\(left.grouped) left out: characters the model lacks)" : ""))
        emitTotals(try score(scorable, with: model), in: session)
    }

    /// The lecture's three lines.
    private func emitTotals(_ result: LogLikelihood, in session: Session) {
        session.emit("log_likelihood = \(Self.shown(result.logLikelihood))")
        session.emit("nll = \(Self.shown(result.nll))")
        session.emit("average nll = nll / \(result.count.grouped) = \(Self.shown(result.average))")
    }

    /// A float32 to 4 decimals, as PyTorch prints a tensor: `-559951.5625`, `inf`.
    static func shown(_ x: Float) -> String { Double(x).fixed(4) }
}
