// The words a character-level model learns from (makemore part 1: `words = open('names.txt').read().splitlines()`),
// with their vocabulary and what loading them noticed. Reading and checking a file is in
// `NamesDataset+Load.swift`.

/// A list of words, one per line of a file, and the vocabulary they use.
///
/// ```swift
/// let data = try NamesDataset(contentsOf: "names.txt")
/// print(data)              // NamesDataset(names.txt: 29,910 words, 27 characters: . a-z)
/// data.words.prefix(3)     // ["emma", "liam", "olivia"]
/// ```
package struct NamesDataset: Sendable, CustomStringConvertible {
    /// The words, in file order (duplicates kept, skipped lines left out).
    package let words: [String]
    /// '.' then every character the words use.
    package let vocabulary: Vocabulary
    /// What loading noticed, one warning per kind, in ``DatasetWarning/Kind`` order.
    package let warnings: [DatasetWarning]
    /// The path the words were read from, as given (or a name for words given in code).
    package let source: String

    /// A dataset of `words` given in code: no file, no warnings.
    package init(words: [String], source: String = "words") {
        self.init(words: words, warnings: [], source: source)
    }

    init(words: [String], warnings: [DatasetWarning], source: String) {
        self.words = words
        self.vocabulary = Vocabulary(words: words)
        self.warnings = warnings
        self.source = source
    }

    /// The first of the shortest words.
    package var shortest: String? { words.min { $0.count < $1.count } }
    /// The first of the longest words.
    package var longest: String? { words.max { $0.count < $1.count } }

    /// The number of bigrams the words make, '.' at both ends of each: Σ (length + 1).
    package var bigramCount: Int { words.reduce(0) { $0 + $1.count + 1 } }

    /// `NamesDataset(names.txt: 29,910 words, 27 characters: . a-z, 1 warning)`
    package var description: String {
        let problems = warnings.isEmpty ? "" : ", \(warnings.count) warning\(warnings.count == 1 ? "" : "s")"
        return
            "NamesDataset(\(source): \(words.count.grouped) word\(words.count == 1 ? "" : "s"), \(vocabulary)\(problems))"
    }
}
