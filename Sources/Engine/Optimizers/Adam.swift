// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019, makemore's optimizer), as
// `torch.optim.Adam` / `AdamW`. They differ only in weight decay: Adam adds λp to the gradient (L2),
// AdamW shrinks p by ηλ before the update. The update is generic, so tests can run it in float64.
import Foundation

/// Adam: running averages of the gradient and its square, bias-corrected, give each weight its own
/// step size. With g the gradient (+ λp for Adam's weight decay) and t the step number:
///
///     m ← β₁·m + (1 − β₁)·g          v ← β₂·v + (1 − β₂)·g²
///     p ← p − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// ```swift
/// let optimizer = Adam(model.parameters(), learningRate: 0.01)
/// print(optimizer)                          // Adam(lr 0.01, betas (0.9, 0.999))
/// ```
public final class Adam: AdamFamily {
    public let parameters: [Tensor]
    public var learningRate: Double
    let rule: AdamRule
    var moments: AdamMoments
    static let name = "Adam"

    /// - Precondition: betas in [0, 1), `eps` and `weightDecay` 0 or more.
    public init(
        _ parameters: [Tensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
        eps: Double = 1e-8, weightDecay: Double = 0
    ) {
        (self.parameters, self.learningRate, moments) = (parameters, learningRate, AdamMoments(parameters))
        rule = AdamRule(betas: betas, eps: eps, weightDecay: weightDecay, decoupled: false)
    }
}

/// AdamW: Adam with decoupled weight decay, makemore's optimizer
/// (`torch.optim.AdamW(lr=5e-4, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.01)`). Each step first
/// shrinks p ← p·(1 − ηλ), then takes Adam's step from the plain gradient.
///
/// ```swift
/// let optimizer = AdamW(model.parameters(), learningRate: 5e-4, betas: (0.9, 0.99), weightDecay: 0.01)
/// print(optimizer)                          // AdamW(lr 0.0005, betas (0.9, 0.99), weight decay 0.01)
/// ```
public final class AdamW: AdamFamily {
    public let parameters: [Tensor]
    public var learningRate: Double
    let rule: AdamRule
    var moments: AdamMoments
    static let name = "AdamW"

    /// - Precondition: betas in [0, 1), `eps` and `weightDecay` 0 or more.
    public init(
        _ parameters: [Tensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
        eps: Double = 1e-8, weightDecay: Double = 0.01
    ) {
        (self.parameters, self.learningRate, moments) = (parameters, learningRate, AdamMoments(parameters))
        rule = AdamRule(betas: betas, eps: eps, weightDecay: weightDecay, decoupled: true)
    }
}

/// What Adam and AdamW share: everything but their name and how their rule decays weights.
protocol AdamFamily: Optimizer {
    static var name: String { get }
    var rule: AdamRule { get }
    var moments: AdamMoments { get set }
}

extension AdamFamily {
    public var stepCount: Int { moments.stepCount }
    public func step() { moments.step(parameters, rule, learningRate: learningRate) }
    public var state: OptimizerState { moments.state }
    public func restore(_ state: OptimizerState) throws(OptimizerStateError) { try moments.restore(state, parameters) }

    /// `AdamW(lr 0.0005, betas (0.9, 0.99), weight decay 0.01)`; eps is shown when it is not 1e-8.
    public var description: String { "\(Self.name)(lr \(learningRate.pythonDescription)\(rule.settingsDescription))" }
}

/// The state Adam and AdamW share: m and v per parameter, and the step count t.
struct AdamMoments {
    var stepCount = 0
    /// m (PyTorch's `exp_avg`), one array per parameter.
    var first: [[Float]]
    /// v (`exp_avg_sq`), one array per parameter.
    var second: [[Float]]

    init(_ parameters: [Tensor]) {
        first = parameters.map { [Float](repeating: 0, count: $0.count) }
        second = first
    }

    mutating func step(_ parameters: [Tensor], _ rule: AdamRule, learningRate: Double) {
        stepCount += 1
        for (i, p) in parameters.enumerated() {
            p.withGradient { g in
                p.withUnsafeMutableBufferPointer { data in
                    first[i].withUnsafeMutableBufferPointer { m in
                        second[i].withUnsafeMutableBufferPointer { v in
                            rule.update(data, gradient: g, m: m, v: v, step: stepCount, learningRate: learningRate)
                        }
                    }
                }
            }
        }
    }

    var state: OptimizerState {
        OptimizerState(stepCount: stepCount, buffers: ["exp_avg": first, "exp_avg_sq": second])
    }

    mutating func restore(_ state: OptimizerState, _ parameters: [Tensor]) throws(OptimizerStateError) {
        let steps = try state.checkedStepCount()
        let m = try state.buffer("exp_avg", for: parameters)
        let v = try state.buffer("exp_avg_sq", for: parameters)
        (stepCount, first, second) = (steps, m, v)
    }
}

/// Adam's update of one parameter, in any float type, following `torch.optim.adam._single_tensor_adam`
/// operation by operation (`decoupled` is AdamW's weight decay).
package struct AdamRule: Sendable, Equatable {
    package var beta1: Double
    package var beta2: Double
    package var eps: Double
    package var weightDecay: Double
    package var decoupled: Bool

    package init(betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8, weightDecay: Double = 0, decoupled: Bool) {
        precondition(
            (0..<1).contains(betas.0) && (0..<1).contains(betas.1), "Adam's betas must be in [0, 1), not \(betas)")
        precondition(eps >= 0 && weightDecay >= 0, "Adam needs eps ≥ 0 and weight decay ≥ 0")
        (beta1, beta2, self.eps, self.weightDecay, self.decoupled) = (betas.0, betas.1, eps, weightDecay, decoupled)
    }

    /// One step t (counted from 1) for one parameter p with gradient g and moments m, v.
    package func update<S: BinaryFloatingPoint>(
        _ p: UnsafeMutableBufferPointer<S>, gradient g: UnsafeBufferPointer<S>,
        m: UnsafeMutableBufferPointer<S>, v: UnsafeMutableBufferPointer<S>,
        step t: Int, learningRate: Double
    ) {
        let shrink = S(1 - learningRate * weightDecay)  // AdamW: p·(1 − ηλ)
        let lambda = S(weightDecay)
        let a1 = S(1 - beta1)
        let b2 = S(beta2)
        let a2 = S(1 - beta2)
        let stepSize = S(learningRate / (1 - Foundation.pow(beta1, Double(t))))  // η / (1 − β₁ᵗ)
        let correction2 = S((1 - Foundation.pow(beta2, Double(t))).squareRoot())  // √(1 − β₂ᵗ)
        let epsilon = S(eps)
        for i in p.indices {
            if decoupled && weightDecay != 0 { p[i] *= shrink }
            let d = !decoupled && weightDecay != 0 ? g[i] + lambda * p[i] : g[i]  // g (+ λp)
            // m.lerp_(d, 1 − β₁), as PyTorch computes a lerp with weight below ½.
            m[i] = 1 - beta1 < 0.5 ? m[i] + a1 * (d - m[i]) : d - (d - m[i]) * (1 - a1)
            v[i] = v[i] * b2 + a2 * d * d  // v.mul_(β₂).addcmul_(d, d, 1 − β₂)
            let denominator = v[i].squareRoot() / correction2 + epsilon
            p[i] -= stepSize * m[i] / denominator
        }
    }

    /// `, betas (0.9, 0.99), weight decay 0.01` (eps only when it is not the default 1e-8).
    var settingsDescription: String {
        var text = ", betas (\(beta1.pythonDescription), \(beta2.pythonDescription))"
        if eps != 1e-8 { text += ", eps \(eps.pythonDescription)" }
        if weightDecay != 0 { text += ", weight decay \(weightDecay.pythonDescription)" }
        return text
    }
}
