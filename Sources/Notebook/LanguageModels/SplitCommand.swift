// `split`: cut the loaded names into train, dev and test words, 80/10/10, after a seeded shuffle
// (makemore part 2: `random.seed(42); random.shuffle(words)`, then `words[:n1]`, `words[n1:n2]`, `words[n2:]`),
// or as makemore.py cuts them (`--layout makemore`).
import ArgumentParser
import Makemore
import NotebookLanguage

struct SplitCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Split the loaded names 80/10/10 into train, dev and test words, after a seeded shuffle.",
        discussion: """
            The model learns from train, you tune sizes and learning rates on dev, and test is looked at once, \
            at the end. The shuffle is Python's random.seed(42); random.shuffle(words), bit for bit, so the \
            words in each part are the lectures' and so are the losses; --shuffle torch uses torch.randperm on a \
            generator seeded with --seed instead. --layout makemore cuts the words as makemore.py does, where \
            its reported test losses come from: torch.randperm with seed 3407, the last 1,000 words (10% of \
            a smaller file) to test and all the others to train, with no dev words (fit then prints no dev \
            loss). The session's generator is not touched. fit, eval, figure and lr-find split with seed 42 \
            themselves when split was not run. Every character of every word becomes one example: its \
            context of block-size characters, and the character itself.
            """)
    static let group = CommandGroup.makemore

    @Option(
        parsing: .unconditional, help: "The shuffle's seed (the lecture's 42; makemore's 3407 with --layout makemore).")
    var seed: UInt64?
    @Option(help: "python (the lecture's random.shuffle) or torch (torch.randperm; makemore's).") var shuffle:
        SplitShuffle?
    @Option(
        help:
            "lecture (80/10/10), makemore (1,000 test words, the rest train, no dev) or all (every word trains, as part 1's neural bigram)."
    ) var layout = SplitLayout
        .lecture

    func validate() throws {
        let seed = self.seed ?? layout.defaultSeed
        guard (shuffle ?? layout.defaultShuffle) == .torch || seed <= UInt64(UInt32.max) else {
            throw ValidationError("--shuffle python takes a seed from 0 to \(UInt32.max), not \(seed)")
        }
    }

    func run(in session: Session) throws(NotebookError) {
        let dataset = try session.requireDataset()
        let cut = layout
        let kind = shuffle ?? layout.defaultShuffle
        let seed = self.seed ?? cut.defaultSeed
        let split = DataSplit(dataset, seed: seed, shuffle: kind, layout: cut)
        session.setSplit(split)
        session.emit("split \(dataset.source): \(split)")
        var rows = [["part", "words", "examples", "first words"]]
        for part in Split.allCases {
            let words = split.words(part)
            let examples = words.reduce(0) { $0 + $1.count + 1 }
            let first = words.prefix(3).map(\.quotedForDisplay).joined(separator: ", ") + (words.count > 3 ? ", …" : "")
            rows.append([part.rawValue, words.count.grouped, examples.grouped, first])
        }
        Table(rows: rows, alignRight: [1, 2]).lines.forEach { session.emit($0) }
    }
}
