// The one question every makemore model answers — given the characters so far, how likely is each next
// one? — and the two things written once on top of it: sampling names and scoring them (the negative
// log likelihood). Makemore part 1 asks it of the bigram counts; later lectures of neural nets.
import Foundation

/// A character-level language model, seen from sampling and evaluation.
///
/// Like makemore's models, it looks at the last ``blockSize`` characters (index 0, '.', fills the
/// context before a word starts) and gives a probability for every character of its vocabulary.
package protocol NextCharacterModel: CustomStringConvertible {
    /// The characters the model knows; index 0 is '.', which ends a name.
    var vocabulary: Vocabulary { get }
    /// How many previous characters the model sees (makemore's `block_size`): 1 for the bigram.
    var blockSize: Int { get }
    /// Whether the model reads the word from its start: the context begins as one '.' and grows by a
    /// character per step up to `blockSize` characters, then slides (makemore.py's `generate`).
    /// Otherwise it is always the last `blockSize` characters, '.'s before the word starts.
    var growsContext: Bool { get }
    /// The probability of each next character, given the context.   // (V,)
    /// - Precondition: `context.count == blockSize` (or from 1 to `blockSize` when the context grows),
    ///   every index in `0..<vocabulary.count`.
    func nextCharacterProbabilities(context: [Int]) -> [Float]
    /// How the lecture that made this model drew each character (see ``SamplingRule``).
    var lectureSamplingRule: SamplingRule { get }
}

/// The two ways `torch.multinomial(p, 1)` draws, and the lectures use both: the sampled names of a
/// lecture come out only with its rule.
package enum SamplingRule: String, CaseIterable, Sendable {
    /// Makemore part 1 (`replacement=True`, on the PyTorch of its day): one float64 uniform, the first
    /// index whose normalised cumulative sum reaches it.
    case cumulative
    /// Parts 2-5, and PyTorch 2.x for any single draw: argmax(p / q) with q ~ Exp(1) per category.
    case race
}

extension NextCharacterModel {
    package var growsContext: Bool { false }
    package var lectureSamplingRule: SamplingRule { .race }

    /// The context before a word's first character.
    package var startContext: [Int] { [Int](repeating: 0, count: growsContext ? 1 : blockSize) }

    /// The context after `context` once `next` is read.
    package func advance(_ context: [Int], with next: Int) -> [Int] {
        growsContext && context.count < blockSize ? context + [next] : Array(context.dropFirst()) + [next]
    }
}

/// One step of a word: the context, the character that came next, and how likely the model found it.
package struct CharacterScore: Equatable, Sendable {
    /// The indices before `next` that the model saw.
    package let context: [Int]
    /// The index of the character that followed.
    package let next: Int
    /// The model's probability of `next` after `context` (float32, as in the lecture).
    package let probability: Float
    /// `log(probability)`: `-inf` when the model says it cannot happen.
    package let logProbability: Float
}

/// The lecture's summary of how well a model fits some words.
///
/// `logLikelihood` is a float32 sum taken in order, as the lecture's loop sums `torch.log(prob)`, so it
/// prints the lecture's digits (-559951.5625 for the +1-smoothed bigram on its names).
package struct LogLikelihood: Equatable, Sendable, CustomStringConvertible {
    /// Σ log P(next | context) over every scored character, '.' ends included.
    package var logLikelihood: Float = 0
    /// How many characters were scored (`n`).
    package var count = 0

    package init() {}

    /// Adds one step's log probability, in float32 as `log_likelihood += logprob`.
    package mutating func add(_ score: CharacterScore) {
        logLikelihood += score.logProbability
        count += 1
    }

    /// The negative log likelihood, `-logLikelihood`: the loss; lower is better.
    package var nll: Float { -logLikelihood }
    /// `nll / n`: the loss per character (2.4544 for the lecture's bigram on its names).
    package var average: Float { count == 0 ? .nan : nll / Float(count) }

    /// `average nll 2.4544 over 228,146 characters`
    package var description: String {
        "average nll \(String(format: "%.4f", Double(average))) over \(count.grouped) characters"
    }
}

extension NextCharacterModel {
    /// Each step of `word` with '.' at both ends: `word.count + 1` scores.
    ///
    /// - Throws: ``VocabularyError`` when the word has a character the model does not know, or '.'.
    package func scores(of word: String) throws(VocabularyError) -> [CharacterScore] {
        let indices = try vocabulary.encode(word) + [0]
        var context = startContext
        var scores: [CharacterScore] = []
        scores.reserveCapacity(indices.count)
        for next in indices {
            let probability = nextCharacterProbabilities(context: context)[next]
            scores.append(
                CharacterScore(context: context, next: next, probability: probability, logProbability: log(probability))
            )
            context = advance(context, with: next)
        }
        return scores
    }

    /// The log likelihood of `words`, summed in order in float32 as the lecture does.
    ///
    /// - Throws: ``VocabularyError`` for the first word the model cannot score.
    package func logLikelihood(of words: some Sequence<String>) throws(VocabularyError) -> LogLikelihood {
        var result = LogLikelihood()
        for word in words {
            for score in try scores(of: word) { result.add(score) }
        }
        return result
    }
}
