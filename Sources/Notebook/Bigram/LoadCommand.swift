// `load FILE`: read a names file, one word per line (makemore part 1: `words = open('names.txt').read().splitlines()`),
// and report what a learner checks first: how many words, which characters, the shortest and longest.
import ArgumentParser
import Makemore
import NotebookLanguage

struct LoadCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load a dataset of names, one per line (default names.txt), or with --text any text as one stream.",
        discussion: """
            Whitespace around each line is trimmed and blank lines are skipped. The vocabulary is '.' (index 0, \
            the start and end of every name) followed by the sorted characters, as the lecture's stoi/itos. \
            Anything unusual is reported with its line numbers: bytes that are not UTF-8 and words containing '.' \
            (both skipped), uppercase, spaces or control characters inside a word, duplicates (kept). \
            A bigram model built earlier is rebuilt from the new words with the same smoothing. \
            load --text FILE reads a UTF-8 text whole, as "Let's build GPT" reads tiny Shakespeare: its \
            vocabulary is every character in it, sorted (sorted(list(set(text))), no '.' token), and the first \
            90% is train, the rest val; gpt-bigram and gpt models learn from it, drawing runs of block-size \
            characters at random (get_batch). The lecture's input.txt is tiny Shakespeare, from \
            karpathy/char-rnn (data/tinyshakespeare/input.txt); download it yourself and load --text input.txt. \
            Names files and texts are kept apart: load --text does not replace the names.
            """)
    static let group = CommandGroup.makemore

    @Argument(
        help:
            "The file: names.txt (the lectures' 32,033 names, at the package root) by default, or any file of one name per line.",
        completion: .file()
    )
    var file = "names.txt"

    @Flag(help: "Read the file as one text (gpt-bigram, gpt), not as names.") var text = false

    func run(in session: Session) throws(NotebookError) {
        if text { return try loadText(in: session) }
        let dataset: NamesDataset
        dataset = try reporting { try NamesDataset(contentsOf: file) }
        let old = session.state.names.bigram
        let rebuilt = try old.map { (old) throws(NotebookError) in
            try session.buildBigram(from: dataset, smoothing: old.smoothing)
        }
        session.state.names.dataset = dataset
        session.state.names.bigram = rebuilt
        for line in Self.report(dataset) { session.emit(line) }
        session.emit(warnings: dataset.warnings)
        if let old, let rebuilt {
            let changed = old.vocabulary == rebuilt.vocabulary ? "" : "; its vocabulary changed from \(old.vocabulary)"
            session.emit(
                "rebuilt the bigram model from \(dataset.source) (\(BigramModel.describe(smoothing: rebuilt.smoothing)))\(changed)"
            )
        }
    }

    /// `load --text`: the corpus replaces the last one; a text model whose vocabulary it does not fit
    /// is told so.
    private func loadText(in session: Session) throws(NotebookError) {
        let corpus: TextCorpus
        corpus = try reporting { try TextCorpus(contentsOf: file) }
        session.state.languageModels.corpus = corpus
        session.state.languageModels.windows = session.state.languageModels.windows.filter { !$0.key.text }
        let itos = corpus.vocabulary.itos
        let shown = { (i: Int) in "\(String(itos[i]).quotedForDisplay) \(i)" }
        let stoi =
            itos.count <= 4
            ? itos.indices.map(shown).joined(separator: ", ")
            : "\(shown(0)), \(shown(1)), …, \(shown(itos.count - 1))"
        let start = corpus.vocabulary.decode(corpus.tokens.prefix(40).map(Int.init))
        let n = corpus.tokens.count
        session.emit(
            "\(corpus.source) as one text: \(n.grouped) characters, starting \(start.quotedForDisplay)\(n > 40 ? "…" : "")"
        )
        session.emit("vocabulary: \(corpus.vocabulary) (stoi: \(stoi))")
        session.emit(
            "train: the first \(corpus.trainCount.grouped) characters (90%), val: the last \((n - corpus.trainCount).grouped)"
        )
        if let trainer = session.state.languageModels.trainer, trainer.model.configuration.kind.readsText,
            trainer.model.vocabulary != corpus.vocabulary
        {
            session.warn(
                "the current \(trainer.model.configuration.kind.rawValue) model was made for another vocabulary; make it again with model \(trainer.model.configuration.kind.rawValue) to train on this text"
            )
        }
    }

    /// What `load` prints about a dataset (without its warnings).
    static func report(_ dataset: NamesDataset) -> [String] {
        let words = dataset.words
        let first = words.prefix(5).map(\.quotedForDisplay).joined(separator: ", ") + (words.count > 5 ? ", …" : "")
        let itos = dataset.vocabulary.itos
        let stoi =
            itos.count <= 4
            ? itos.enumerated().map { "\(String($1).quotedForDisplay) \($0)" }.joined(separator: ", ")
            : "'.' 0, \(String(itos[1]).quotedForDisplay) 1, …, \(String(itos[itos.count - 1]).quotedForDisplay) \(itos.count - 1)"
        var lines = [
            "\(dataset.source): \(words.count.grouped) word\(words.count == 1 ? "" : "s"): \(first)",
            "vocabulary: \(dataset.vocabulary) (stoi: \(stoi); '.' marks the start and end of every word)"
        ]
        if let shortest = dataset.shortest, let longest = dataset.longest {
            lines.append(
                "lengths: \(shortest.count) (\(shortest.quotedForDisplay)) to \(longest.count) (\(longest.quotedForDisplay)) characters"
            )
        }
        return lines
    }
}
