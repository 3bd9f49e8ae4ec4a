// The losses of the micrograd lecture and its moons demo, on `Value` scores: squared error (the
// lecture), the SVM max-margin hinge loss (the demo), binary cross-entropy; and the demo's L2 penalty.
import Foundation

/// How far a network's scores are from the targets, as a `Value` to backpropagate from.
///
/// ```swift
/// let scores = xs.map { n($0)[0] }
/// let loss = ValueLoss.hinge(scores, ys) + ValueLoss.l2(n.parameters(), alpha: 1e-4)   // the demo's
/// ```
///
/// The classification losses take labels −1 and 1 (the demo's `y*2 - 1`); squared error takes any
/// targets. The hinge loss and cross-entropy average over the examples, as the demo does; squared
/// error is summed, as the lecture's `sum((yout - ygt)**2 …)` is.
public enum ValueLoss: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Σ (score − y)²: the lecture's loss, summed over the examples, not averaged.
    case squaredError = "squared"
    /// mean of max(0, 1 − y·score): the SVM max-margin loss of micrograd's demo,
    /// `(1 + -yi*scorei).relu()`. Zero once every example is on its side by a margin of 1.
    case hinge
    /// mean of log(1 + e^(−y·score)) = −log σ(y·score): logistic regression's loss. With p = σ(score)
    /// and t = (y + 1)/2 it is the familiar −[t log p + (1 − t) log(1 − p)].
    case binaryCrossEntropy = "bce"

    /// `true` for the losses that need labels −1 and 1.
    public var needsLabels: Bool { self != .squaredError }

    /// One example's loss.
    public func callAsFunction(score: Value, target y: Double) -> Value {
        switch self {
        case .squaredError:
            return (score - y).pow(2)  // (yout - ygt)**2
        case .hinge:
            return (1 + -y * score).relu()  // (1 + -yi*scorei).relu()
        case .binaryCrossEntropy:
            // log(1 + e^m) with m = −y·score, written so that e^(±m) never overflows:
            // m + log(1 + e^(−m)) when m > 0. Both forms have the derivative σ(m).
            let m = -y * score
            return m.data > 0 ? m + ((-m).exp() + 1).log() : (m.exp() + 1).log()
        }
    }

    /// The loss over all examples: summed for squared error, the mean for the others.
    /// - Precondition: as many scores as targets, and at least one.
    public func callAsFunction(_ scores: [Value], _ targets: [Double]) -> Value {
        precondition(
            scores.count == targets.count && !scores.isEmpty, "\(scores.count) scores for \(targets.count) targets")
        var total = self(score: scores[0], target: targets[0])
        for (score, y) in zip(scores.dropFirst(), targets.dropFirst()) { total = total + self(score: score, target: y) }
        // sum(losses) * (1.0 / len(losses))
        return self == .squaredError ? total : total * (1.0 / Double(scores.count))
    }

    /// L2 regularisation, α · Σ p² (the demo's `alpha * sum((p*p for p in model.parameters()))`), as
    /// one `Value.dot(p, p)` node: each parameter is both weight and input, so it gets 2p · α.
    public static func l2(_ parameters: [Value], alpha: Double) -> Value {
        alpha * Value.dot(parameters, parameters)
    }

    /// `hinge loss (mean of relu(1 − y·score))`.
    public var description: String {
        switch self {
        case .squaredError: "squared error (Σ (score − y)²)"
        case .hinge: "hinge loss (mean of relu(1 − y·score))"
        case .binaryCrossEntropy: "binary cross-entropy (mean of log(1 + e^(−y·score)))"
        }
    }
}
