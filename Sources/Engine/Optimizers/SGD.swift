// Stochastic gradient descent, as `torch.optim.SGD`: the lectures' `p.data += -lr * p.grad`, plus
// momentum (Polyak 1964; Sutskever et al. 2013 for Nesterov's form), dampening and L2 weight decay.
// The update is written once, generic over the float type, so tests can run it in float64.

/// p ← p − η·d, where d is the gradient g (+ λp with weight decay λ), or with momentum μ:
///
///     b ← g                              on the first step
///     b ← μ·b + (1 − dampening)·g         afterwards
///     d = g + μ·b  (nesterov)   or   d = b
///
/// ```swift
/// let optimizer = SGD(model.parameters(), learningRate: 0.1)                     // the lectures'
/// let heavy = SGD(model.parameters(), learningRate: 0.01, momentum: 0.9, nesterov: true)
/// print(heavy)                                     // SGD(lr 0.01, momentum 0.9, nesterov)
/// ```
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Double
    public private(set) var stepCount = 0
    /// The update rule's settings.
    let rule: SGDRule
    /// b for each parameter; empty until its first step with momentum.
    private var momentumBuffers: [[Float]]

    /// - Precondition: `momentum`, `dampening` and `weightDecay` are 0 or more; `nesterov` needs
    ///   momentum and zero dampening (PyTorch's rule).
    public init(
        _ parameters: [Tensor], learningRate: Double, momentum: Double = 0, dampening: Double = 0,
        nesterov: Bool = false, weightDecay: Double = 0
    ) {
        precondition(
            momentum >= 0 && dampening >= 0 && weightDecay >= 0, "SGD needs momentum, dampening and weight decay ≥ 0")
        precondition(
            !nesterov || (momentum > 0 && dampening == 0), "Nesterov momentum needs momentum > 0 and zero dampening")
        self.parameters = parameters
        self.learningRate = learningRate
        rule = SGDRule(momentum: momentum, dampening: dampening, weightDecay: weightDecay, nesterov: nesterov)
        momentumBuffers = Array(repeating: [], count: parameters.count)
    }

    public var momentum: Double { rule.momentum }
    public var dampening: Double { rule.dampening }
    public var nesterov: Bool { rule.nesterov }
    public var weightDecay: Double { rule.weightDecay }

    public func step() {
        for (i, p) in parameters.enumerated() {
            p.withGradient { g in
                p.withUnsafeMutableBufferPointer { data in
                    rule.update(data, gradient: g, momentumBuffer: &momentumBuffers[i], learningRate: learningRate)
                }
            }
        }
        stepCount += 1
    }

    public var state: OptimizerState {
        OptimizerState(stepCount: stepCount, buffers: momentum == 0 ? [:] : ["momentum_buffer": momentumBuffers])
    }

    public func restore(_ state: OptimizerState) throws(OptimizerStateError) {
        let steps = try state.checkedStepCount()
        if momentum != 0 { momentumBuffers = try state.buffer("momentum_buffer", for: parameters, allowEmpty: true) }
        stepCount = steps
    }

    /// `SGD(lr 0.1)`, `SGD(lr 0.1, momentum 0.9, nesterov, weight decay 0.01)`.
    public var description: String {
        var parts = ["lr \(learningRate.pythonDescription)"]
        if momentum != 0 { parts.append("momentum \(momentum.pythonDescription)") }
        if dampening != 0 { parts.append("dampening \(dampening.pythonDescription)") }
        if nesterov { parts.append("nesterov") }
        if weightDecay != 0 { parts.append("weight decay \(weightDecay.pythonDescription)") }
        return "SGD(\(parts.joined(separator: ", ")))"
    }
}

/// SGD's update of one parameter, in any float type (float32 for tensors, float64 in the reference
/// tests), following `torch.optim.sgd._single_tensor_sgd` operation by operation.
package struct SGDRule: Sendable, Equatable {
    package var momentum: Double
    package var dampening: Double
    package var weightDecay: Double
    package var nesterov: Bool

    package init(momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0, nesterov: Bool = false) {
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    /// p ← p − η·d for one parameter; `momentumBuffer` is b (empty before the first step).
    package func update<S: BinaryFloatingPoint>(
        _ p: UnsafeMutableBufferPointer<S>, gradient g: UnsafeBufferPointer<S>,
        momentumBuffer b: inout [S], learningRate: Double
    ) {
        let lr = S(learningRate)
        let lambda = S(weightDecay)
        let mu = S(momentum)
        let keep = S(1 - dampening)
        if momentum == 0 {
            for i in p.indices {
                let d = weightDecay == 0 ? g[i] : g[i] + lambda * p[i]
                p[i] -= lr * d
            }
            return
        }
        let first = b.isEmpty
        if first { b = Array(repeating: 0, count: p.count) }
        for i in p.indices {
            let d = weightDecay == 0 ? g[i] : g[i] + lambda * p[i]  // g + λp
            b[i] = first ? d : b[i] * mu + keep * d  // b ← μb + (1 − τ)d
            let step = nesterov ? d + mu * b[i] : b[i]
            p[i] -= lr * step
        }
    }
}
