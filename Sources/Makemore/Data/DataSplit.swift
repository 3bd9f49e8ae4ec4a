// The train/dev/test split of makemore part 2: the words shuffled with a seed, then 80% to train on,
// 10% to tune with (dev, the lecture's "val") and 10% to test once at the end.
//
//     random.seed(42); random.shuffle(words)
//     n1 = int(0.8*len(words)); n2 = int(0.9*len(words))
//     Xtr, Ytr = build_dataset(words[:n1]); Xdev, Ydev = build_dataset(words[n1:n2]); Xte, Yte = build_dataset(words[n2:])
//
// makemore.py cuts its words another way, and reports its test losses on that cut (the `makemore` layout):
//
//     torch.manual_seed(3407); rp = torch.randperm(len(words)).tolist()
//     test_set_size = min(1000, int(len(words) * 0.1))
//     train_words = [words[i] for i in rp[:-test_set_size]]; test_words = [words[i] for i in rp[-test_set_size:]]
import Engine

/// The three parts of the data.
package enum Split: String, CaseIterable, Codable, Sendable {
    case train, dev, test
}

/// How the words are shuffled before splitting.
package enum SplitShuffle: String, CaseIterable, Codable, Sendable {
    /// Python's `random.seed(seed); random.shuffle(words)`: the lectures' exact split, the default, so
    /// that losses compare with the lectures' (the dev words matter: another split of the same names
    /// moves the MLP's dev loss by about 0.01).
    case python
    /// `torch.randperm(n, generator=torch.Generator().manual_seed(seed))`.
    case torch
}

/// How the shuffled words are cut into parts.
package enum SplitLayout: String, CaseIterable, Codable, Sendable {
    /// The lectures': 80% train, 10% dev, 10% test.
    case lecture
    /// makemore.py's: the last min(1000, 10%) words test, every other word trains, and there are no dev
    /// words (makemore watches its test loss instead). Its reported test losses are on this cut.
    case makemore
    /// Every word trains, in the file's order, and there are no dev or test words: makemore part 1's
    /// neural bigram learns from all 228,146 bigrams of the names at once.
    case all

    /// The seed and shuffle the layout's own code uses: the lecture's `random.seed(42)`, makemore's
    /// `torch.manual_seed(3407)`.
    package var defaultSeed: UInt64 { self == .lecture ? 42 : 3407 }
    package var defaultShuffle: SplitShuffle { self == .lecture ? .python : .torch }
}

/// A names dataset cut into train, dev and test words after a seeded shuffle: 80/10/10, or makemore's
/// cut.
///
///     let split = DataSplit(dataset, seed: 42, shuffle: .python)
///     print(split)        // 32,033 words split 25,626 / 3,203 / 3,204 (python shuffle, seed 42)
package struct DataSplit: Sendable, CustomStringConvertible {
    /// The words of each part, in shuffled order.
    package let train: [String], dev: [String], test: [String]
    /// The shuffle's seed and kind.
    package let seed: UInt64
    package let shuffle: SplitShuffle
    /// How the shuffled words were cut.
    package let layout: SplitLayout
    /// The vocabulary of the whole dataset (every part is encoded with it).
    package let vocabulary: Vocabulary
    /// Where the words came from, and all of them in file order (to notice a different `load`).
    package let source: String
    package let allWords: [String]

    package init(
        _ dataset: NamesDataset, seed: UInt64 = 42, shuffle: SplitShuffle = .python, layout: SplitLayout = .lecture
    ) {
        var words = dataset.words
        switch layout == .all ? nil : shuffle {
        case nil:
            break
        case .torch:
            do {
                let order = try TorchGenerator(seed: seed).randperm(words.count)
                words = order.map { words[$0] }
            } catch {
                preconditionFailure("a dataset's size is within randperm's limit: \(error)")
            }
        case .python:
            var random = PythonRandom(seed: UInt32(truncatingIfNeeded: seed))
            random.shuffle(&words)
        }
        switch layout {
        case .lecture:
            let n1 = Int(0.8 * Double(words.count))
            let n2 = Int(0.9 * Double(words.count))
            train = Array(words[..<n1])
            dev = Array(words[n1..<n2])
            test = Array(words[n2...])
        case .makemore:
            // With fewer than 10 words makemore's slices would give every word to test and none to
            // train (rp[:-0] is empty); here they all train and test is empty.
            let n = words.count - min(1000, Int(Double(words.count) * 0.1))
            train = Array(words[..<n])
            dev = []
            test = Array(words[n...])
        case .all:
            train = words
            dev = []
            test = []
        }
        self.seed = seed
        self.shuffle = shuffle
        self.layout = layout
        vocabulary = dataset.vocabulary
        source = dataset.source
        allWords = dataset.words
    }

    /// The words of `part`.
    package func words(_ part: Split) -> [String] {
        switch part {
        case .train: train
        case .dev: dev
        case .test: test
        }
    }

    /// Whether this split was made from `dataset` (the same words in the same order).
    package func isSplit(of dataset: NamesDataset) -> Bool {
        dataset.source == source && dataset.words == allWords
    }

    /// `32,033 words split 25,626 / 3,203 / 3,204 (train / dev / test; python shuffle, seed 42)`;
    /// `… (train / dev / test; makemore's layout, torch shuffle, seed 3407)`.
    package var description: String {
        if layout == .all {
            return "\(train.count.grouped) words, every one in train, in the file's order (no dev or test words)"
        }
        let cut = layout == .lecture ? "" : "\(layout.rawValue)'s layout, "
        return
            "\((train.count + dev.count + test.count).grouped) words split \(train.count.grouped) / \(dev.count.grouped) / \(test.count.grouped) (train / dev / test; \(cut)\(shuffle.rawValue) shuffle, seed \(seed))"
    }
}
