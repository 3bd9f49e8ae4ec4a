// The learning-rate range test of makemore part 2 (`lre = torch.linspace(-3, 0, 1000); lrs = 10**lre`,
// one training step per lr, then look at loss against lr), plus the analysis fastai's `lr_find` does on
// the result: smooth, cut the diverging tail, take the steepest descent. After Smith (2015), §3.3.
import Foundation

/// Sweeps the learning rate exponentially, one training step per value, so that a plot of loss against
/// lr shows where learning is fastest and where it blows up.
///
/// Step i of n uses lr = 10^e_i with e_i = `torch.linspace(lowExponent, highExponent, n)[i]`:
///
/// ```swift
/// let sweep = LearningRateRangeTest()           // the lecture's: 1000 steps from 10^-3 to 10^0
/// var losses: [Double] = []
/// for i in 0..<sweep.steps { losses.append(trainOneStep(lr: sweep.learningRate(atStep: i))) }
/// sweep.suggestion(losses: losses)              // (0.0424, "steepest descent of the smoothed loss at step 542, …")
/// ```
public struct LearningRateRangeTest: CustomStringConvertible, Sendable, Equatable {
    /// How many training steps (and learning rates) the sweep takes.
    public var steps: Int
    /// log10 of the first learning rate.
    public var lowExponent: Double
    /// log10 of the last learning rate.
    public var highExponent: Double

    /// fastai's smoothing: an exponential moving average with β = 0.98 (about the last 50 steps).
    static let smoothing = 0.98
    /// fastai's stopping rule: the sweep has diverged once the smoothed loss exceeds 4× its minimum.
    static let divergence = 4.0
    /// fastai leaves the first tenth of the sweep and the last 5 points before the stop out of its suggestions.
    static let skippedAtEnd = 5

    public init(steps: Int = 1000, lowExponent: Double = -3, highExponent: Double = 0) {
        self.steps = steps
        self.lowExponent = lowExponent
        self.highExponent = highExponent
    }

    /// e_i, computed as `torch.linspace` does (from the low end for the first half, from the high end for
    /// the second, so both ends are exact). Steps outside 0 ..< steps are clamped.
    func exponent(atStep step: Int) -> Double {
        let n = max(1, steps)
        let i = min(max(0, step), n - 1)
        guard n > 1 else { return lowExponent }
        let delta = (highExponent - lowExponent) / Double(n - 1)
        return i < n / 2 ? lowExponent + delta * Double(i) : highExponent - delta * Double(n - 1 - i)
    }

    /// The learning rate of step `step`: 10^e_step.
    public func learningRate(atStep step: Int) -> Double { pow(10, exponent(atStep: step)) }

    /// All the sweep's learning rates, for plotting losses against.
    public var learningRates: [Double] { (0..<max(0, steps)).map(learningRate(atStep:)) }

    public var description: String {
        let n = LearningRateSchedule.text
        return "lr range test(10^\(n(lowExponent)) → 10^\(n(highExponent)) over \(steps) steps)"
    }

    /// A learning rate to train with, read from the sweep's losses (`losses[i]` = the loss of step i),
    /// or nil when fewer than two finite losses precede the divergence. See ``analyze(losses:)``.
    public func suggestion(losses: [Double]) -> (learningRate: Double, reason: String)? {
        guard let analysis = analyze(losses: losses) else { return nil }
        return (analysis.suggestedLearningRate, analysis.description)
    }

    /// The analysis behind ``suggestion(losses:)``, as fastai's `lr_find` does it:
    ///
    /// 1. **Smooth**: m_i = β m_{i−1} + (1 − β) loss_i with m_{−1} = 0, β = 0.98, and correct the bias of
    ///    starting at 0: s_i = m_i / (1 − β^(i+1)) (so s_0 = loss_0, and a constant loss stays constant).
    /// 2. **Cut the diverging tail**: stop at the first step whose loss is not finite or whose s_i exceeds
    ///    4 × min(s_0 … s_{i−1}) (when that minimum is positive, as a cross-entropy is); later steps are ignored.
    /// 3. **Leave out the ends**, as `lr_find` does: the first tenth of the sweep, where the average has
    ///    seen few losses and is still noisy, and the last 5 points before the stop (all points when that
    ///    would leave fewer than 2). Steps 4 and 5 look only at what is left.
    /// 4. **Steepest descent**: the slope ds/de of the smoothed loss against e = log10 lr by central
    ///    differences (one-sided at the ends, as `numpy.gradient`), on the descending part only (up to the
    ///    minimum of s); the suggestion is the lr where it is most negative: the loss falls fastest there,
    ///    and the lr is below where training blows up. It is never past the minimum.
    /// 5. **Not too low either**: the lr at the minimum of s, divided by 10 (the minimum itself is already
    ///    at the edge of instability). When the loss climbs again after its minimum, the suggestion is the
    ///    larger of the two: early in a sweep the loss can fall fastest because the model is still far
    ///    from trained, not because the lr is right, and a decade below the minimum is still safe. Both
    ///    are at or below the minimum. It is also the suggestion when the loss never falls.
    ///
    /// The smoothing lags the raw curve by about β / (1 − β) = 49 steps, so the steepest point sits a
    /// little to the right of the raw curve's; both rules are heuristics for where to start, not optima.
    public func analyze(losses: [Double]) -> Analysis? {
        var smoothed: [Double] = []
        var average = 0.0
        var best = Double.infinity
        for (i, loss) in losses.prefix(max(0, steps)).enumerated() {
            guard loss.isFinite else { break }
            average = Self.smoothing * average + (1 - Self.smoothing) * loss
            let s = average / (1 - pow(Self.smoothing, Double(i + 1)))
            if best > 0, best.isFinite, s > Self.divergence * best { break }
            smoothed.append(s)
            best = min(best, s)
        }
        guard smoothed.count >= 2 else { return nil }
        let n = smoothed.count
        var window = min(steps / 10, n)..<max(0, n - Self.skippedAtEnd)
        if window.count < 2 { window = 0..<n }
        let minimum = window.min { smoothed[$0] < smoothed[$1] } ?? 0
        // Whether the loss climbs after its minimum within the sweep (else the range ended first).
        let bottomedOut = minimum < window.upperBound - 1
        // The descending part: past the minimum the loss climbs, and a steep climb there is no advice.
        window = window.lowerBound..<(minimum + 1)
        let slopes = window.map { i -> Double in
            let (a, b) = (max(window.lowerBound, i - 1), min(window.upperBound - 1, i + 1))
            let run = exponent(atStep: b) - exponent(atStep: a)
            return run == 0 ? 0 : (smoothed[b] - smoothed[a]) / run
        }
        let steepest = slopes.indices.min { slopes[$0] < slopes[$1] } ?? 0
        return Analysis(
            sweep: self, smoothedLosses: smoothed, diverged: n < min(losses.count, steps),
            steepestStep: slopes[steepest] < 0 ? window.lowerBound + steepest : nil,
            steepestSlope: slopes[steepest], minimumStep: minimum, bottomedOut: bottomedOut)
    }

    /// What ``analyze(losses:)`` found; `description` is the reason given with the suggestion.
    public struct Analysis: CustomStringConvertible, Sendable {
        let sweep: LearningRateRangeTest
        /// The bias-corrected moving average of the losses, up to (not including) the divergence.
        public let smoothedLosses: [Double]
        /// Whether the sweep was cut short because the loss diverged.
        public let diverged: Bool
        /// Where the smoothed loss falls fastest against log10 lr; nil when it never falls.
        public let steepestStep: Int?
        /// ds/d(log10 lr) at `steepestStep`: the change in loss per decade of lr.
        let steepestSlope: Double
        /// Where the smoothed loss is lowest.
        public let minimumStep: Int
        /// Whether the loss climbs again after its minimum within the sweep; when it does not, the
        /// minimum is only where the range ended, and the minimum / 10 no floor.
        let bottomedOut: Bool

        /// The lr at the minimum of the smoothed loss, divided by 10.
        public var minimumOverTen: Double { sweep.learningRate(atStep: minimumStep) / 10 }

        /// The lr at the steepest descent or the minimum / 10, whichever is larger (the minimum / 10
        /// when the loss never fell).
        public var suggestedLearningRate: Double {
            guard let steepestStep else { return minimumOverTen }
            return max(sweep.learningRate(atStep: steepestStep), bottomedOut ? minimumOverTen : 0)
        }

        public var description: String {
            let n = { (x: Double) in String(format: "%.3g", x) }
            let minimum =
                "lr at the minimum (\(n(sweep.learningRate(atStep: minimumStep))), step \(minimumStep)) / 10 = \(n(minimumOverTen))"
            let tail = diverged ? "; steps from \(smoothedLosses.count) on ignored: the loss diverged" : ""
            guard let steepestStep else {
                return
                    "the smoothed loss never fell, so no steepest descent; suggesting the \(minimum) (try a lower range)\(tail)"
            }
            let steepest =
                "steepest descent of the smoothed loss at step \(steepestStep), lr \(n(sweep.learningRate(atStep: steepestStep))) "
                + "(\(n(steepestSlope)) per decade of lr)"
            return suggestedLearningRate == sweep.learningRate(atStep: steepestStep)
                ? steepest + "; the \(minimum) is lower\(tail)"
                : "the \(minimum); the \(steepest) is lower, early in the sweep where the model is still far from trained\(tail)"
        }
    }
}
