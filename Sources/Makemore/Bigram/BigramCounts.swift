// The count matrix N of makemore part 1: how often each character follows each other one, with '.'
// before the first character of every word and after the last.
//
//     for w in words:
//         chs = ['.'] + list(w) + ['.']
//         for ch1, ch2 in zip(chs, chs[1:]):
//             N[stoi[ch1], stoi[ch2]] += 1

/// `N[i, j]`: the number of times character `j` follows character `i` in the words (V × V, V = the
/// vocabulary's size, '.' at index 0).
///
/// ```swift
/// let N = BigramCounts(NamesDataset(words: ["emma", "ava"]))
/// N["a", "."]      // 2: both words end in 'a'
/// N.total          // 8 bigrams
/// ```
package struct BigramCounts: Sendable, CustomStringConvertible {
    /// The characters the rows and columns stand for.
    package let vocabulary: Vocabulary
    /// Row-major counts, `counts[i * V + j]` = N[i, j].              // (V, V)
    package private(set) var counts: [Int]
    /// Where the words came from (a file's path), for descriptions.
    package let source: String

    /// Counts the bigrams of every word in `dataset`, in its own vocabulary.
    package init(_ dataset: NamesDataset) {
        let vocabulary = dataset.vocabulary
        let V = vocabulary.count
        self.vocabulary = vocabulary
        self.source = dataset.source
        counts = [Int](repeating: 0, count: V * V)  // (V, V)
        for word in dataset.words {
            var previous = 0  // '.'
            for character in word {
                guard let next = vocabulary.stoi[character] else {
                    preconditionFailure("a dataset's vocabulary holds every character of its words")
                }
                counts[previous * V + next] += 1
                previous = next
            }
            counts[previous * V] += 1  // to '.'
        }
    }

    /// V: the number of rows and of columns.
    package var size: Int { vocabulary.count }

    /// N[i, j]. - Precondition: `i` and `j` in `0..<size`.
    package subscript(i: Int, j: Int) -> Int { counts[i * size + j] }

    /// N[stoi[a], stoi[b]], or nil when a character is not in the vocabulary.
    package subscript(a: Character, b: Character) -> Int? {
        guard let i = vocabulary.stoi[a], let j = vocabulary.stoi[b] else { return nil }
        return self[i, j]
    }

    /// Row `i`: how often each character follows character `i`.           // (V,)
    package func row(_ i: Int) -> [Int] { Array(counts[(i * size)..<((i + 1) * size)]) }

    /// Column `j`: how often each character precedes character `j`.       // (V,)
    package func column(_ j: Int) -> [Int] { (0..<size).map { self[$0, j] } }

    /// Every bigram counted: Σ N (228,146 for the lecture's names).
    package var total: Int { counts.reduce(0, +) }

    /// The largest count, and the bigram holding it (the first in row-major order).
    package var largest: (count: Int, i: Int, j: Int) {
        let index = counts.indices.max { counts[$0] < counts[$1] } ?? 0
        return (counts.isEmpty ? 0 : counts[index], index / max(size, 1), index % max(size, 1))
    }

    /// `BigramCounts(27×27, 228,146 bigrams of names.txt)`
    package var description: String { "BigramCounts(\(size)×\(size), \(total.grouped) bigrams of \(source))" }
}
