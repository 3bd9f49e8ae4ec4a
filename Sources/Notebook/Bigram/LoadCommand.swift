// `load FILE`: read a names file, one word per line (makemore part 1: `words = open('names.txt').read().splitlines()`),
// and report what a learner checks first: how many words, which characters, the shortest and longest.
import ArgumentParser
import Makemore
import NotebookLanguage

struct LoadCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load a dataset of names, one per line (default names.txt).",
        discussion: """
            Whitespace around each line is trimmed and blank lines are skipped. The vocabulary is '.' (index 0, \
            the start and end of every name) followed by the sorted characters, as the lecture's stoi/itos. \
            Anything unusual is reported with its line numbers: bytes that are not UTF-8 and words containing '.' \
            (both skipped), uppercase, spaces or control characters inside a word, duplicates (kept). \
            A bigram model built earlier is rebuilt from the new words with the same smoothing.
            """)
    static let group = CommandGroup.makemore

    @Argument(
        help:
            "The file: names.txt (the lectures' 32,033 names, at the package root) by default, or any file of one name per line.",
        completion: .file()
    )
    var file = "names.txt"

    func run(in session: Session) throws(NotebookError) {
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
