// Sampling a name from any `NextCharacterModel` with the lecture's loop (makemore part 1), drawing from
// PyTorch's generator so that `seed 2147483647` gives the lecture's names:
//
//     ix = 0
//     while True:
//         p = P[ix]
//         ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
//
// with the rule the model's lecture drew by (part 1's cumulative search; parts 2-5's exponential race).
//         out.append(itos[ix])
//         if ix == 0: break
import Engine
import Foundation

extension NextCharacterModel {
    /// One name: characters drawn one at a time until '.' is drawn; the result ends in '.'. A model that
    /// ``growsContext`` stops after `blockSize` characters, as makemore.py's `generate` does (its
    /// positions end there), and that name has no '.'.
    ///
    /// Each step draws once on the float32 distribution by `rule` (the model's lecture's, by default),
    /// as the lecture does, so the draws match PyTorch's. The context starts as `blockSize` '.'s and slides
    /// by one character per step (or, for a model that ``growsContext``, as one '.' that grows).
    ///
    /// - Parameters:
    ///   - temperature: T in softmax(logits / T), applied as p^(1/T) renormalised: below 1 the likely
    ///     characters get likelier (safer names), above 1 the distribution flattens (stranger ones).
    ///     At 1, the default, the probabilities are used as they are, so the draws match the lecture's.
    ///   - topK: when given, only the `topK` likeliest characters can be drawn (makemore's `--top-k`:
    ///     the others' logits become -inf); ties with the k-th keep their chance.
    ///   - maximumLength: a guard for models that rarely end a name; the lecture has none, and a
    ///     bigram model never comes near it.
    /// - Throws: ``SamplingError`` when the model gives weights multinomial rejects or the name grows
    ///   past `maximumLength`.
    package func sample(
        using generator: TorchGenerator, temperature: Double = 1, topK: Int? = nil, rule: SamplingRule? = nil,
        maximumLength: Int = 1_000, onStep: ((_ context: [Int], _ probabilities: [Float], _ drawn: Int) -> Void)? = nil
    ) throws(SamplingError) -> String {
        let rule = rule ?? lectureSamplingRule
        precondition(temperature > 0 && temperature.isFinite, "the temperature is checked positive before sampling")
        precondition(topK.map { $0 >= 1 } ?? true, "top-k is checked positive before sampling")
        var context = startContext
        var out: [Int] = []
        while true {
            let (p, ix) = try draw(after: context, generator, temperature: temperature, topK: topK, rule: rule)
            onStep?(context, p, ix)
            out.append(ix)
            if ix == 0 { break }
            // A whole-word model has seen names of at most blockSize - 1 characters: like makemore.py's
            // generate, stop at the block, leaving the name without its '.'.
            if growsContext && out.count >= blockSize { break }
            if out.count >= maximumLength {
                throw .tooLong(limit: maximumLength, start: vocabulary.decode(out.prefix(20)))
            }
            context = advance(context, with: ix)
        }
        return vocabulary.decode(out)
    }

    /// One character drawn after `context`: the model's probabilities, sharpened by `temperature` and
    /// cut to the `topK` likeliest, then one draw by `rule`. Returns the probabilities drawn from and the
    /// index drawn.
    func draw(
        after context: [Int], _ generator: TorchGenerator, temperature: Double, topK: Int?, rule: SamplingRule
    ) throws(SamplingError) -> (probabilities: [Float], index: Int) {
        var p = nextCharacterProbabilities(context: context)  // (V,)
        if temperature != 1 { p = Self.sharpened(p, temperature: temperature) }
        if let topK, topK < p.count { p = Self.keepingTop(topK, of: p) }
        do {
            return (p, rule == .race ? try generator.multinomialRace(p) : try generator.multinomial(p, samples: 1)[0])
        } catch {
            throw .invalidDistribution(error)
        }
    }

    /// `p` with every probability below the k-th largest set to 0, renormalised.   // (V,)
    static func keepingTop(_ k: Int, of p: [Float]) -> [Float] {
        let threshold = p.sorted(by: >)[k - 1]
        let kept = p.map { $0 >= threshold ? $0 : 0 }
        let total = kept.reduce(0, +)
        return total > 0 ? kept.map { $0 / total } : p
    }

    /// p^(1/T), renormalised in float64 and returned as float32 (softmax(log p / T)).   // (V,)
    static func sharpened(_ p: [Float], temperature: Double) -> [Float] {
        let logs = p.map { $0 > 0 ? log(Double($0)) / temperature : -Double.infinity }
        let top = logs.max() ?? 0
        let weights = logs.map { $0 == -.infinity ? 0 : exp($0 - top) }
        let total = weights.reduce(0, +)
        return weights.map { Float($0 / total) }
    }
}

/// A name that could not be sampled.
package enum SamplingError: Error, Equatable, CustomStringConvertible {
    /// The model's probabilities were not a distribution multinomial accepts.
    case invalidDistribution(GeneratorError)
    /// No '.' after `limit` characters.
    case tooLong(limit: Int, start: String)

    package var description: String {
        switch self {
        case .invalidDistribution(let error):
            "the model's next-character probabilities are not a distribution: \(error)"
        case .tooLong(let limit, let start):
            "a sampled name ('\(start)…') reached \(limit.grouped) characters without ending: the model almost never predicts '.'"
        }
    }
}
