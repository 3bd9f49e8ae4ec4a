// The examples a makemore model learns from: every character of every word, with the block_size
// characters before it (makemore part 2's `build_dataset`), and minibatches drawn from them.
//
//     for w in words:
//         context = [0] * block_size
//         for ch in w + '.':
//             ix = stoi[ch]; X.append(context); Y.append(ix)
//             context = context[1:] + [ix]
//
// makemore.py's sequence models learn from whole words instead (its `CharDataset`): one example per
// word, the word after a '.' as input and the word followed by '.' as targets, padded to the block
// size with '.' (inputs) and -1 (targets, ignored by the loss):
//
//     x = [0] + encode(word) + [0] * pad          # (T,)   '.emma...........'
//     y = encode(word) + [0] + [-1] * pad         # (T,)   'emma.' then -1s
//
// Shapes: N = examples, T = block size, B = batch.
import Engine

/// X (N, T): the contexts, Y (N,): the character that followed each; or, for whole words,
/// X (N, T) and Y (N, T), a target per position.
///
///     let data = try ContextWindows(split.train, vocabulary: v, blockSize: 3)   // X (182625, 3), Y (182625,)
///     let (Xb, Yb) = data.batch([0, 5, 7])                                     // (3, 3), (3,)
///     let words = try ContextWindows(wholeWords: split.train, vocabulary: v, blockSize: 16)  // X, Y (25626, 16)
package struct ContextWindows: Sendable, CustomStringConvertible {
    /// How the examples are cut from the words.
    package enum Layout: Sendable {
        /// Every character with the `blockSize` characters before it (makemore parts 2–5).
        case windows
        /// One example per word, a target at every position (makemore.py's sequence models).
        case wholeWords
        /// Every run of T characters of one text, the run shifted by one as its targets ("Let's build
        /// GPT"'s `get_batch`: `x = data[i:i+block_size]`, `y = data[i+1:i+block_size+1]`).
        case stream
    }

    /// T, the context length.
    package let blockSize: Int
    package let layout: Layout
    /// Row-major contexts, `contexts[i * T + t]`.                                  // (N, T)
    package let contexts: [Int32]
    /// The next character of each context (windows), or of each position (whole words, -1 past the end).   // (N,) or (N, T)
    package let targets: [Int32]

    /// - Throws: ``VocabularyError`` for a word with a character `vocabulary` lacks.
    package init(_ words: [String], vocabulary: Vocabulary, blockSize: Int) throws(VocabularyError) {
        precondition(blockSize >= 1, "a context has at least one character")
        var X: [Int32] = []
        var Y: [Int32] = []
        X.reserveCapacity(words.reduce(0) { $0 + $1.count + 1 } * blockSize)
        for word in words {
            var context = [Int32](repeating: 0, count: blockSize)  // (T,) of '.'
            for ix in try vocabulary.encode(word) + [0] {
                X.append(contentsOf: context)
                Y.append(Int32(ix))
                context.removeFirst()
                context.append(Int32(ix))
            }
        }
        self.blockSize = blockSize
        layout = .windows
        contexts = X
        targets = Y
    }

    /// makemore.py's examples: one per word, '.' then the word as input, the word then '.' as targets,
    /// padded to `blockSize` with '.' and -1.
    ///
    /// - Throws: ``ExampleError`` for a character `vocabulary` lacks, or a word too long for the block
    ///   (a word of n characters needs a block of n + 1).
    package init(wholeWords words: [String], vocabulary: Vocabulary, blockSize: Int) throws(ExampleError) {
        precondition(blockSize >= 1, "a context has at least one character")
        var X = [Int32](repeating: 0, count: words.count * blockSize)
        var Y = [Int32](repeating: -1, count: words.count * blockSize)
        // Name the longest word, so that the block size the error suggests fits them all.
        if let longest = words.max(by: { $0.count < $1.count }), longest.count >= blockSize {
            throw .tooLong(word: longest, length: longest.count, blockSize: blockSize)
        }
        for (n, word) in words.enumerated() {
            let ix: [Int]
            do { ix = try vocabulary.encode(word) } catch { throw .vocabulary(error) }
            guard ix.count < blockSize else { throw .tooLong(word: word, length: ix.count, blockSize: blockSize) }
            for (t, c) in ix.enumerated() {
                X[n * blockSize + t + 1] = Int32(c)  // x[1…n] = word
                Y[n * blockSize + t] = Int32(c)  // y[0…n-1] = word
            }
            Y[n * blockSize + ix.count] = 0  // y[n] = '.'
        }
        self.blockSize = blockSize
        layout = .wholeWords
        contexts = X
        targets = Y
    }

    /// The examples of a text of `tokens`: the len(data) − T runs of T tokens that have a next token,
    /// kept as the stream itself (no copy per example).
    package init(stream tokens: [Int32], blockSize: Int) {
        precondition(blockSize >= 1, "a context has at least one character")
        self.blockSize = blockSize
        layout = .stream
        contexts = tokens
        targets = []
    }

    /// The examples of `words` in the form `model` learns from.
    package init(_ words: [String], for model: any LanguageModel) throws(ExampleError) {
        if model.configuration.kind.readsWholeWords {
            try self.init(wholeWords: words, vocabulary: model.vocabulary, blockSize: model.blockSize)
        } else {
            do { try self.init(words, vocabulary: model.vocabulary, blockSize: model.blockSize) } catch {
                throw .vocabulary(error)
            }
        }
    }

    /// N, the number of examples.
    package var count: Int { layout == .stream ? Swift.max(0, contexts.count - blockSize) : contexts.count / blockSize }

    /// `ContextWindows(182,625 examples of 3 characters)`, `ContextWindows(25,626 words in blocks of 16)`.
    package var description: String {
        switch layout {
        case .windows: "ContextWindows(\(count.grouped) examples of \(blockSize) character\(blockSize == 1 ? "" : "s"))"
        case .wholeWords: "ContextWindows(\(count.grouped) words in blocks of \(blockSize))"
        case .stream: "ContextWindows(\(count.grouped) runs of \(blockSize) in \(contexts.count.grouped) characters)"
        }
    }

    /// The shape of `n` examples' targets: (n,) or (n, T).
    private func targetShape(_ n: Int) -> [Int] { layout == .windows ? [n] : [n, blockSize] }

    /// Target values per example: 1 or T.
    private var targetWidth: Int { layout == .windows ? 1 : blockSize }

    /// The examples at `rows`: X[rows] (B, T) and Y[rows] (B,).
    package func batch(_ rows: [Int]) -> (contexts: IndexTensor, targets: IndexTensor) {
        if layout == .stream { return streamBatch(rows) }
        let (T, W) = (blockSize, targetWidth)
        var X = [Int32](repeating: 0, count: rows.count * T)
        var Y = [Int32](repeating: 0, count: rows.count * W)
        contexts.withUnsafeBufferPointer { source in
            targets.withUnsafeBufferPointer { next in
                for (b, row) in rows.enumerated() {
                    for t in 0..<T { X[b * T + t] = source[row * T + t] }
                    for t in 0..<W { Y[b * W + t] = next[row * W + t] }
                }
            }
        }
        return modelShapes { () throws(ShapeError) in
            // (B, T), (B,) or (B, T)
            (try IndexTensor(X, shape: [rows.count, T]), try IndexTensor(Y, shape: targetShape(rows.count)))
        }
    }

    /// The runs starting at `rows` of a stream: x = data[i:i+T], y = data[i+1:i+T+1], stacked.
    private func streamBatch(_ rows: [Int]) -> (contexts: IndexTensor, targets: IndexTensor) {
        let T = blockSize
        var X = [Int32](repeating: 0, count: rows.count * T)
        var Y = [Int32](repeating: 0, count: rows.count * T)
        contexts.withUnsafeBufferPointer { data in
            for (b, i) in rows.enumerated() {
                for t in 0..<T {
                    X[b * T + t] = data[i + t]
                    Y[b * T + t] = data[i + t + 1]
                }
            }
        }
        return modelShapes { () throws(ShapeError) in
            (try IndexTensor(X, shape: [rows.count, T]), try IndexTensor(Y, shape: [rows.count, T]))  // (B, T), (B, T)
        }
    }

    /// Examples `range` in order (for evaluating a whole split in chunks).
    package func batch(_ range: Range<Int>) -> (contexts: IndexTensor, targets: IndexTensor) {
        if layout == .stream { return streamBatch(Array(range)) }
        let (T, W) = (blockSize, targetWidth)
        return modelShapes { () throws(ShapeError) in
            (
                try IndexTensor(
                    Array(contexts[(range.lowerBound * T)..<(range.upperBound * T)]), shape: [range.count, T]),
                try IndexTensor(
                    Array(targets[(range.lowerBound * W)..<(range.upperBound * W)]), shape: targetShape(range.count))
            )  // (B, T), (B,) or (B, T)
        }
    }
}

/// Examples that cannot be made from some words.
package enum ExampleError: Error, Equatable, CustomStringConvertible {
    case vocabulary(VocabularyError)
    /// A word of `length` characters does not fit a whole-word model's block of `blockSize` ('.' + word).
    case tooLong(word: String, length: Int, blockSize: Int)

    package var description: String {
        switch self {
        case .vocabulary(let error): "\(error)"
        case .tooLong(let word, let length, let blockSize):
            "'\(word)' has \(length) characters, but this model's block size \(blockSize) fits words of at most \(blockSize - 1); make the model with --block-size \(length + 1) or more"
        }
    }
}
