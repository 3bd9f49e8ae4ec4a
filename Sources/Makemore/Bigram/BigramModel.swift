// The counting bigram model of makemore part 1: P is the count matrix N plus k ("model smoothing"),
// each row divided by its sum, in float32 exactly as the lecture computes it:
//
//     P = (N+1).float()
//     P /= P.sum(1, keepdims=True)
//
// It leaves out nothing of the lecture's model; the neural bigram (one linear layer trained by gradient
// descent to the same loss) comes with the tensor engine.

/// `P[i, j]`: the probability that character `j` follows character `i`, from counts.
///
/// ```swift
/// let model = try BigramModel(counts: BigramCounts(dataset))   // +1 smoothing
/// model[0, 1]                                                 // P['.', 'a'] = 0.1377 on the lecture's names
/// try model.sample(using: TorchGenerator())                   // "junide."
/// ```
package struct BigramModel: NextCharacterModel, Sendable {
    /// Makemore part 1 samples with the cumulative rule.
    package var lectureSamplingRule: SamplingRule { .cumulative }

    /// N, the counts the probabilities come from.
    package let counts: BigramCounts
    /// k, added to every count before normalising (the lecture's 1): no bigram has probability 0 when k > 0.
    package let smoothing: Double
    /// Row-major probabilities, `probabilities[i * V + j]` = P[i, j]; each row sums to 1.   // (V, V)
    package let probabilities: [Float]

    /// The largest smoothing accepted: beyond it every row is uniform to float32 precision anyway.
    package static let maximumSmoothing = 1e6

    /// P from `counts` with `smoothing` added to every count.
    ///
    /// - Throws: ``BigramError/invalidSmoothing(_:)`` unless `0 <= smoothing <= maximumSmoothing`;
    ///   ``BigramError/emptyRow(_:)`` when smoothing is 0 and a character is never followed by anything.
    package init(counts: BigramCounts, smoothing: Double = 1) throws(BigramError) {
        guard smoothing >= 0, smoothing <= Self.maximumSmoothing else { throw .invalidSmoothing(smoothing) }
        let V = counts.size
        var P = counts.counts.map { Float($0) + Float(smoothing) }  // (V, V)  (N+k).float()
        for i in 0..<V {
            var sum: Float = 0  // P.sum(1, keepdims=True)[i]
            for j in 0..<V { sum += P[i * V + j] }
            guard sum > 0 else { throw .emptyRow(counts.vocabulary.itos[i]) }
            for j in 0..<V { P[i * V + j] /= sum }  // (V, V)  P /= ...
        }
        self.counts = counts
        self.smoothing = smoothing
        self.probabilities = P
    }

    package var vocabulary: Vocabulary { counts.vocabulary }
    package var blockSize: Int { 1 }

    /// V: the number of rows and of columns.
    package var size: Int { counts.size }

    /// P[i, j]. - Precondition: `i` and `j` in `0..<size`.
    package subscript(i: Int, j: Int) -> Float { probabilities[i * size + j] }

    /// Row `i` of P: the distribution of the character after character `i`.   // (V,)
    package func row(_ i: Int) -> [Float] { Array(probabilities[(i * size)..<((i + 1) * size)]) }

    /// `P[ix]` for the last character of the context, as the lecture's sampling loop reads it.
    package func nextCharacterProbabilities(context: [Int]) -> [Float] {
        row(context.last ?? 0)
    }

    /// `BigramModel(27 characters, +1 smoothing, from 228,146 bigrams of names.txt)`
    package var description: String {
        "BigramModel(\(vocabulary.count) characters, \(Self.describe(smoothing: smoothing)), from \(counts.total.grouped) bigrams of \(counts.source))"
    }

    /// `+1 smoothing`, `+0.5 smoothing`, `no smoothing`.
    package static func describe(smoothing: Double) -> String {
        smoothing == 0 ? "no smoothing" : "+\(formatted(smoothing)) smoothing"
    }

    /// k as a person writes it: `1`, `0.5`.
    package static func formatted(_ k: Double) -> String {
        k == k.rounded() && abs(k) < 1e15 ? String(Int(k)) : "\(k)"
    }
}

/// A bigram model that cannot be built.
package enum BigramError: Error, Equatable, CustomStringConvertible {
    /// Smoothing below 0, above the maximum, or not a number.
    case invalidSmoothing(Double)
    /// Without smoothing, a character's row of counts is all zeros, so it has no distribution.
    case emptyRow(Character)

    package var description: String {
        switch self {
        case .invalidSmoothing(let k):
            "smoothing must be a number from 0 to \(Int(BigramModel.maximumSmoothing).grouped) (the lecture adds 1), got \(k)"
        case .emptyRow(let c):
            "'\(c)' is never followed by anything in the counts, so its row has no probabilities without smoothing; use a smoothing above 0"
        }
    }
}
