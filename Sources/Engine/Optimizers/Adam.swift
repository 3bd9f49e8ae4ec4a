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

/// The state Adam and AdamW share: m and v for every parameter, and the step count t. m and v are
/// kept as one array each, every parameter's values after the previous one's, so that a step can
/// be shared between the cores over equal spans of all the weights.
struct AdamMoments {
    var stepCount = 0
    /// m (PyTorch's `exp_avg`), every parameter's in turn.
    var first: [Float]
    /// v (`exp_avg_sq`), laid out as `first`.
    var second: [Float]
    /// Where each parameter's values start in `first` and `second`, and the total at the end.
    let offsets: [Int]

    init(_ parameters: [Tensor]) {
        var offsets = [0]
        for p in parameters { offsets.append(offsets.last! + p.count) }
        self.offsets = offsets
        first = [Float](repeating: 0, count: offsets.last!)
        second = first
    }

    /// One step of every parameter with a gradient. With `saving`, each span of the weights, m and v
    /// (all of them, with a gradient or not) is first copied to the same place in those buffers, by
    /// the thread that then updates it.
    mutating func step(
        _ parameters: [Tensor], _ rule: AdamRule, learningRate: Double,
        saving: (
            weights: UnsafeMutablePointer<Float>, first: UnsafeMutablePointer<Float>,
            second: UnsafeMutablePointer<Float>
        )? = nil
    ) {
        let saving = saving.map(UncheckedSendable.init)
        stepCount += 1
        let t = stepCount
        let offsets = offsets
        let gradients = parameters.map(\.grad)
        first.withUnsafeMutableBufferPointer { m in
            second.withUnsafeMutableBufferPointer { v in
                let (m, v) = (m, v)  // the buffers, not the inout parameters, go to the pool
                WorkerPool.shared.forEachRange(offsets.last!) { span in
                    for i in parameters.indices where offsets[i] < span.upperBound && offsets[i + 1] > span.lowerBound {
                        let lo = Swift.max(span.lowerBound, offsets[i])
                        let hi = Swift.min(span.upperBound, offsets[i + 1])
                        let local = lo - offsets[i]
                        if let saved = saving?.value {
                            (saved.weights + lo).update(from: parameters[i].pointer + local, count: hi - lo)
                            (saved.first + lo).update(from: m.baseAddress! + lo, count: hi - lo)
                            (saved.second + lo).update(from: v.baseAddress! + lo, count: hi - lo)
                        }
                        guard let g = gradients[i] else { continue }
                        rule.update(
                            UnsafeMutableBufferPointer(start: parameters[i].pointer + local, count: hi - lo),
                            gradient: UnsafeBufferPointer(start: g.pointer + local, count: hi - lo),
                            m: UnsafeMutableBufferPointer(rebasing: m[lo..<hi]),
                            v: UnsafeMutableBufferPointer(rebasing: v[lo..<hi]), step: t,
                            learningRate: learningRate)
                    }
                }
            }
        }
    }

    /// Each parameter's part of `values`, as an array of its own.
    private func perParameter(_ values: [Float]) -> [[Float]] {
        offsets.indices.dropLast().map { i in Array(values[offsets[i]..<offsets[i + 1]]) }
    }

    var state: OptimizerState {
        OptimizerState(
            stepCount: stepCount, buffers: ["exp_avg": perParameter(first), "exp_avg_sq": perParameter(second)])
    }

    mutating func restore(_ state: OptimizerState, _ parameters: [Tensor]) throws(OptimizerStateError) {
        let steps = try state.checkedStepCount()
        let m = try state.buffer("exp_avg", for: parameters)
        let v = try state.buffer("exp_avg_sq", for: parameters)
        (stepCount, first, second) = (steps, m.flatMap { $0 }, v.flatMap { $0 })
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
        var start = 0
        if S.self == Float.self, decoupled, 1 - beta1 < 0.5, p.count >= 16 {  // AdamW in float32: 16 lanes at a time
            start = p.count / 16 * 16
            p.withMemoryRebound(to: Float.self) { p in
                g.withMemoryRebound(to: Float.self) { g in
                    m.withMemoryRebound(to: Float.self) { m in
                        v.withMemoryRebound(to: Float.self) { v in
                            AdamRule.decoupledFloatLanes(
                                p.baseAddress!, g.baseAddress!, m.baseAddress!, v.baseAddress!, count: start,
                                shrink: Float(shrink), a1: Float(a1), b2: Float(b2), a2: Float(a2),
                                stepSize: Float(stepSize), correction2: Float(correction2), epsilon: Float(epsilon))
                        }
                    }
                }
            }
        }
        for i in start..<p.count {
            if decoupled && weightDecay != 0 { p[i] *= shrink }
            let d = !decoupled && weightDecay != 0 ? g[i] + lambda * p[i] : g[i]  // g (+ λp)
            // m.lerp_(d, 1 − β₁), as PyTorch computes a lerp with weight below ½.
            m[i] = 1 - beta1 < 0.5 ? m[i] + a1 * (d - m[i]) : d - (d - m[i]) * (1 - a1)
            v[i] = v[i] * b2 + a2 * d * d  // v.mul_(β₂).addcmul_(d, d, 1 − β₂)
            let denominator = v[i].squareRoot() / correction2 + epsilon
            p[i] -= stepSize * m[i] / denominator
        }
    }

    /// The loop of `update` for AdamW on float32, 16 elements at a time: each element goes through
    /// the same operations in the same order, so the result is bit for bit the scalar loop's.
    private static func decoupledFloatLanes(
        _ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
        _ v: UnsafeMutablePointer<Float>, count: Int, shrink: Float, a1: Float, b2: Float, a2: Float,
        stepSize: Float, correction2: Float, epsilon: Float
    ) {
        for i in stride(from: 0, to: count, by: 16) {
            let d = Vec16.load(g + i)
            let w = Vec16.load(p + i) * shrink
            var mi = Vec16.load(m + i)
            mi = mi + a1 * (d - mi)
            let vi = Vec16.load(v + i) * b2 + a2 * d * d
            let denominator = vi.squareRoot() / correction2 + epsilon
            Vec16.store(mi, m + i)
            Vec16.store(vi, v + i)
            Vec16.store(w - stepSize * mi / denominator, p + i)
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
