// The other way PyTorch draws one sample: the exponential race, which makemore parts 2-5 use
// (`torch.multinomial(probs, num_samples=1, generator=g)`, no replacement) and PyTorch 2.x uses for
// every single draw. Each category gets q ~ Exp(1) from the generator, and the sample is
// argmax(p / q): category i wins with probability p_i / Σ p.
//
//     q = torch.empty_like(probs).exponential_(1, generator=g)
//     ix = torch.argmax(probs / q)
import Foundation

extension TorchGenerator {
    /// `count` draws of Exp(1), as `torch.empty(count, dtype=torch.float64).exponential_(1.0, generator=g)`:
    /// each is -log1p(-u) for one float64 uniform u (two 32-bit draws). A float32 tensor gets the same
    /// values rounded to float32.
    public func exponential(_ count: Int) -> [Double] {
        (0..<count).map { _ in -Foundation.log1p(-nextDouble()) }
    }

    /// One category index for float32 weights by the exponential race: q ~ Exp(1) per category (float32,
    /// as `empty_like(probs)` is), then the first index of the largest p / q, in float32.
    ///
    /// - Throws: ``GeneratorError`` when there are no weights, a weight is negative, infinite or NaN, or
    ///   they sum to zero; nothing is drawn then.
    public func multinomialRace(_ probabilities: [Float]) throws(GeneratorError) -> Int {
        _ = try Self.normalisedCumulativeSum(probabilities)  // the same checks as the cumulative rule
        let q = exponential(probabilities.count).map { Float($0) }
        var best = 0
        var bestRatio = -Float.infinity
        for (i, p) in probabilities.enumerated() {
            let ratio = p / q[i]
            if ratio > bestRatio || (ratio.isNaN && !bestRatio.isNaN) {
                (best, bestRatio) = (i, ratio)
            }
        }
        return best
    }
}
