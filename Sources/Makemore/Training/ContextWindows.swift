// The examples a makemore model learns from: every character of every word, with the block_size
// characters before it (makemore part 2's `build_dataset`), and minibatches drawn from them.
//
//     for w in words:
//         context = [0] * block_size
//         for ch in w + '.':
//             ix = stoi[ch]; X.append(context); Y.append(ix)
//             context = context[1:] + [ix]
//
// Shapes: N = examples, T = block size, B = batch.
import Engine

/// X (N, T): the contexts, Y (N,): the character that followed each.
///
///     let data = try ContextWindows(split.train, vocabulary: v, blockSize: 3)   // X (182625, 3), Y (182625,)
///     let (Xb, Yb) = data.batch([0, 5, 7])                                     // (3, 3), (3,)
package struct ContextWindows: Sendable, CustomStringConvertible {
    /// T, the context length.
    package let blockSize: Int
    /// Row-major contexts, `contexts[i * T + t]`.                                  // (N, T)
    package let contexts: [Int32]
    /// The next character of each context.                                          // (N,)
    package let targets: [Int32]

    /// - Throws: ``VocabularyError`` for a word with a character `vocabulary` lacks.
    package init(_ words: [String], vocabulary: Vocabulary, blockSize: Int) throws(VocabularyError) {
        precondition(blockSize >= 1, "a context has at least one character")
        var X: [Int32] = [], Y: [Int32] = []
        X.reserveCapacity(words.reduce(0) { $0 + $1.count + 1 } * blockSize)
        for word in words {
            var context = [Int32](repeating: 0, count: blockSize)                      // (T,) of '.'
            for ix in try vocabulary.encode(word) + [0] {
                X.append(contentsOf: context)
                Y.append(Int32(ix))
                context.removeFirst()
                context.append(Int32(ix))
            }
        }
        self.blockSize = blockSize
        contexts = X
        targets = Y
    }

    /// N, the number of examples.
    package var count: Int { targets.count }

    /// `ContextWindows(182,625 examples of 3 characters)`.
    package var description: String { "ContextWindows(\(count.grouped) examples of \(blockSize) character\(blockSize == 1 ? "" : "s"))" }

    /// The examples at `rows`: X[rows] (B, T) and Y[rows] (B,).
    package func batch(_ rows: [Int]) -> (contexts: IndexTensor, targets: IndexTensor) {
        let T = blockSize
        var X = [Int32](repeating: 0, count: rows.count * T), Y = [Int32](repeating: 0, count: rows.count)
        contexts.withUnsafeBufferPointer { source in
            for (b, row) in rows.enumerated() {
                for t in 0..<T { X[b * T + t] = source[row * T + t] }
                Y[b] = targets[row]
            }
        }
        return modelShapes { () throws(ShapeError) in
            (try IndexTensor(X, shape: [rows.count, T]), try IndexTensor(Y, shape: [rows.count]))  // (B, T), (B,)
        }
    }

    /// Examples `range` in order (for evaluating a whole split in chunks).
    package func batch(_ range: Range<Int>) -> (contexts: IndexTensor, targets: IndexTensor) {
        let T = blockSize
        return modelShapes { () throws(ShapeError) in
            (try IndexTensor(Array(contexts[(range.lowerBound * T)..<(range.upperBound * T)]), shape: [range.count, T]),
             try IndexTensor(Array(targets[range]), shape: [range.count]))              // (B, T), (B,)
        }
    }
}
