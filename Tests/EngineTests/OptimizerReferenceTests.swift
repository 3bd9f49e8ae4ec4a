// The optimizers against PyTorch: every configuration of Tests/Fixtures/torch-optimizers.json,
// 12 steps from the same p0 with the same gradients.
//
// - float64: the update rules (`SGDRule`, `AdamRule`) run in Double; |ours - torch| ≤ 1e-12·max(1, |torch|)
//   (measured: Adam and AdamW bit for bit, SGD within 4.5e-16).
// - float32: the optimizer classes update a Float tensor whose gradient comes from backward of
//   sum(p · g); |ours - torch| ≤ 1e-6·max(1, |torch|) (float32 rounding of p0, g and every step;
//   measured: at most 4e-7).
import Engine
import TestSupport
import Testing

struct OptimizerReferenceFile: Decodable {
    let p0: [Double]
    let grads: [[Double]]
    /// Configuration name → the parameters after each step.
    let cases: [String: [[Double]]]
}

/// One configuration of the reference file and how to build it here.
struct OptimizerReferenceCase: Sendable, CustomTestStringConvertible {
    enum Rule: Sendable {
        case sgd(SGDRule)
        case adam(AdamRule)
    }
    /// The key in the reference file (PyTorch's constructor call).
    let name: String
    let learningRate: Double
    let rule: Rule
    /// The optimizer class with the same settings.
    let make: @Sendable ([Tensor]) -> any Optimizer
    var testDescription: String { name }
}

let optimizerReferenceCases: [OptimizerReferenceCase] = [
    .init(name: "SGD(lr=0.1)", learningRate: 0.1, rule: .sgd(SGDRule())) { SGD($0, learningRate: 0.1) },
    .init(name: "SGD(lr=0.1,momentum=0.9)", learningRate: 0.1, rule: .sgd(SGDRule(momentum: 0.9))) {
        SGD($0, learningRate: 0.1, momentum: 0.9)
    },
    .init(
        name: "SGD(lr=0.1,momentum=0.9,nesterov=True,weight_decay=0.01)", learningRate: 0.1,
        rule: .sgd(SGDRule(momentum: 0.9, weightDecay: 0.01, nesterov: true))
    ) {
        SGD($0, learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01)
    },
    .init(name: "Adam(lr=0.01)", learningRate: 0.01, rule: .adam(AdamRule(decoupled: false))) {
        Adam($0, learningRate: 0.01)
    },
    .init(
        name: "Adam(lr=0.01,betas=(0.9,0.99),weight_decay=0.1)", learningRate: 0.01,
        rule: .adam(AdamRule(betas: (0.9, 0.99), weightDecay: 0.1, decoupled: false))
    ) {
        Adam($0, learningRate: 0.01, betas: (0.9, 0.99), weightDecay: 0.1)
    },
    .init(
        name: "AdamW(lr=5e-4,betas=(0.9,0.99),eps=1e-8,weight_decay=0.01)", learningRate: 5e-4,
        rule: .adam(AdamRule(betas: (0.9, 0.99), eps: 1e-8, weightDecay: 0.01, decoupled: true))
    ) {
        AdamW($0, learningRate: 5e-4, betas: (0.9, 0.99), eps: 1e-8, weightDecay: 0.01)
    },
    .init(
        name: "AdamW(lr=0.01,weight_decay=0.1)", learningRate: 0.01,
        rule: .adam(AdamRule(weightDecay: 0.1, decoupled: true))
    ) {
        AdamW($0, learningRate: 0.01, weightDecay: 0.1)
    }
]

/// The reference file (Tests/Fixtures).
private func optimizerReference() throws -> OptimizerReferenceFile {
    try Reference.load(OptimizerReferenceFile.self, from: "torch-optimizers.json")
}

/// The largest |ours - torch| / max(1, |torch|) over one step's parameters.
private func worstError(_ ours: [Double], _ torch: [Double]) -> Double {
    zip(ours, torch).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .infinity
}

@Suite("Optimizers against PyTorch")
struct OptimizerReferenceTests {
    @Test("every configuration of the reference file has a case here")
    func everyCaseCovered() throws {
        let reference = try optimizerReference()
        #expect(Set(reference.cases.keys) == Set(optimizerReferenceCases.map(\.name)))
        #expect(reference.grads.count == 12 && reference.cases.values.allSatisfy { $0.count == 12 })
    }

    @Test("the update rule in float64 matches PyTorch to 1e-12 at every step", arguments: optimizerReferenceCases)
    func float64(_ config: OptimizerReferenceCase) throws {
        let reference = try optimizerReference()
        let expected = try #require(reference.cases[config.name])
        var p = reference.p0
        var momentum: [Double] = []
        var m = [Double](repeating: 0, count: p.count)
        var v = m
        for (k, g) in reference.grads.enumerated() {
            p.withUnsafeMutableBufferPointer { p in
                g.withUnsafeBufferPointer { g in
                    switch config.rule {
                    case .sgd(let rule):
                        rule.update(p, gradient: g, momentumBuffer: &momentum, learningRate: config.learningRate)
                    case .adam(let rule):
                        m.withUnsafeMutableBufferPointer { m in
                            v.withUnsafeMutableBufferPointer { v in
                                rule.update(p, gradient: g, m: m, v: v, step: k + 1, learningRate: config.learningRate)
                            }
                        }
                    }
                }
            }
            let error = worstError(p, expected[k])
            #expect(error <= 1e-12, "step \(k + 1): off by \(error) (relative to max(1, |p|))")
        }
    }

    @Test("the optimizer on a float32 tensor matches PyTorch to 1e-6 at every step", arguments: optimizerReferenceCases)
    func float32(_ config: OptimizerReferenceCase) throws {
        let reference = try optimizerReference()
        let expected = try #require(reference.cases[config.name])
        let p = Tensor(reference.p0.map(Float.init)).requiringGrad()  // (6,)
        let optimizer = config.make([p])
        for (k, g) in reference.grads.enumerated() {
            let loss = (p * Tensor(g.map(Float.init))).sum()  // ∂/∂p = g
            optimizer.zeroGrad()
            try loss.backward()
            optimizer.step()
            let error = worstError(p.scalars.map(Double.init), expected[k])
            #expect(error <= 1e-6, "step \(k + 1): off by \(error) (relative to max(1, |p|))")
        }
        #expect(optimizer.stepCount == 12)
    }
}
