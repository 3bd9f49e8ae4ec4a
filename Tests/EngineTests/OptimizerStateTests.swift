// What optimizers do besides the update rule: the state that checkpoints save and restore (as plain
// arrays), refusing a state that does not fit, a schedule driving the learning rate, skipping
// parameters without a gradient, zeroGrad, and descriptions.
import Engine
import Testing

/// A fixed gradient sequence for a parameter of 4 values: small fractions, varying with the step k.
private func gradient(_ k: Int) -> Tensor {
    Tensor((0..<4).map { Float(($0 * 5 + k * 3) % 7) / 3 - 1 })
}

/// Takes `steps` steps on `p` with `gradient(k)` for k in `range`.
private func run(_ optimizer: any Optimizer, _ p: Tensor, _ range: Range<Int>) throws {
    for k in range {
        let loss = (p * gradient(k)).sum()  // ∂/∂p = gradient(k)
        optimizer.zeroGrad()
        try loss.backward()
        optimizer.step()
    }
}

/// The optimizers with state worth saving.
let statefulOptimizers: [@Sendable ([Tensor]) -> any Optimizer] = [
    { SGD($0, learningRate: 0.1, momentum: 0.9) },
    { SGD($0, learningRate: 0.1, momentum: 0.9, dampening: 0.5) },
    { Adam($0, learningRate: 0.01) },
    { AdamW($0, learningRate: 5e-4, betas: (0.9, 0.99), weightDecay: 0.01) }
]

/// An optimizer and how it prints.
struct DescribedOptimizer: Sendable, CustomTestStringConvertible {
    let expected: String
    let make: @Sendable () -> any Optimizer
    init(_ expected: String, _ make: @escaping @Sendable () -> any Optimizer) {
        self.expected = expected
        self.make = make
    }
    var testDescription: String { expected }
}

@Suite("Optimizers: state, schedules, descriptions")
struct OptimizerStateTests {
    @Test(
        "saving after 5 steps and restoring into a new optimizer continues exactly",
        arguments: 0..<statefulOptimizers.count)
    func saveAndRestore(_ index: Int) throws {
        let make = statefulOptimizers[index]
        let straight = Tensor([0.5, -1, 2, 0]).requiringGrad()
        try run(make([straight]), straight, 0..<10)

        let p = Tensor([0.5, -1, 2, 0]).requiringGrad()
        let before = make([p])
        try run(before, p, 0..<5)
        let saved = before.state
        #expect(saved.stepCount == 5)
        #expect(saved.buffers.values.allSatisfy { $0.count == 1 && $0[0].count == 4 })

        let resumed = Tensor(p.scalars).requiringGrad()  // a checkpoint's parameter values
        let after = make([resumed])
        try after.restore(saved)
        #expect(after.state == saved)
        try run(after, resumed, 5..<10)
        #expect(resumed.scalars == straight.scalars)
        #expect(after.stepCount == 10)
    }

    @Test("SGD's momentum buffer is empty (PyTorch's None) until the first step")
    func momentumBufferStartsEmpty() throws {
        let p = Tensor([1, 2]).requiringGrad()
        let sgd = SGD([p], learningRate: 0.1, momentum: 0.9)
        #expect(sgd.state == OptimizerState(stepCount: 0, buffers: ["momentum_buffer": [[]]]))
        #expect(SGD([p], learningRate: 0.1).state.buffers.isEmpty)
        #expect(Adam([p]).state.buffers == ["exp_avg": [[0, 0]], "exp_avg_sq": [[0, 0]]])
    }

    @Test("a state that does not fit is refused with a message, and nothing changes")
    func restoreRefusesMismatches() throws {
        let p = Tensor([1, 2, 3]).requiringGrad()
        let q = Tensor([4]).requiringGrad()
        let adam = Adam([p, q], learningRate: 0.01)
        let original = adam.state
        let cases: [(OptimizerState, OptimizerStateError)] = [
            (SGD([p, q], learningRate: 1, momentum: 0.9).state, .missingBuffer("exp_avg")),
            (Adam([p]).state, .parameterCount(buffer: "exp_avg", found: 1, expected: 2)),
            (Adam([q, p]).state, .size(buffer: "exp_avg", parameter: 0, found: 1, expected: 3)),
            (OptimizerState(stepCount: -1, buffers: original.buffers), .negativeStepCount(-1))
        ]
        for (state, expected) in cases {
            let error = #expect(throws: OptimizerStateError.self) { try adam.restore(state) }
            #expect(error == expected)
            #expect(adam.state == original)
        }
        #expect(
            OptimizerStateError.size(buffer: "exp_avg", parameter: 0, found: 1, expected: 3).description
                == "optimizer state 'exp_avg' for parameter 0 has 1 values but the parameter has 3; was it saved from another model?"
        )
    }

    @Test("a schedule drives the learning rate: 0.1 for two steps, then 0.01")
    func scheduleDrivesLearningRate() throws {
        let p = Tensor([1]).requiringGrad()
        let sgd = SGD([p], learningRate: 0)
        let schedule = LearningRateSchedule.stepwise(0.1, then: [2: 0.01])
        var seen: [Float] = []
        for _ in 0..<4 {
            let loss = p.sum()  // ∂/∂p = 1
            sgd.zeroGrad()
            try loss.backward()
            sgd.learningRate = schedule.learningRate(atStep: sgd.stepCount)
            sgd.step()
            seen.append(p.scalars[0])
        }
        expectValues(seen, [0.9, 0.8, 0.79, 0.78], tolerance: 1e-6)
    }

    @Test("a parameter no backward pass reached is left alone; zeroGrad zeroes the others")
    func skipsParametersWithoutGradient() throws {
        let used = Tensor([1, 1]).requiringGrad()
        let unused = Tensor([5]).requiringGrad()
        let adam = Adam([used, unused], learningRate: 0.1)
        try (used * used).sum().backward()
        adam.step()
        #expect(unused.scalars == [5] && unused.grad == nil)
        #expect(used.scalars != [1, 1])
        adam.zeroGrad()
        #expect(used.grad?.scalars == [0, 0])
    }

    @Test(
        "descriptions",
        arguments: [
            DescribedOptimizer("SGD(lr 0.1)") { SGD([], learningRate: 0.1) },
            DescribedOptimizer("SGD(lr 0.1, momentum 0.9, nesterov, weight decay 0.01)") {
                SGD([], learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01)
            },
            DescribedOptimizer("Adam(lr 0.01, betas (0.9, 0.999))") { Adam([], learningRate: 0.01) },
            DescribedOptimizer("Adam(lr 0.001, betas (0.9, 0.999), eps 1e-06, weight decay 0.1)") {
                Adam([], learningRate: 1e-3, eps: 1e-6, weightDecay: 0.1)
            },
            DescribedOptimizer("AdamW(lr 0.0005, betas (0.9, 0.99), weight decay 0.01)") {
                AdamW([], learningRate: 5e-4, betas: (0.9, 0.99), eps: 1e-8, weightDecay: 0.01)
            }
        ])
    func descriptions(_ described: DescribedOptimizer) {
        #expect(described.make().description == described.expected)
    }

    @Test("a state prints its step count and buffers")
    func stateDescription() throws {
        let p = Tensor([1]).requiringGrad()
        let q = Tensor([2]).requiringGrad()
        let adam = AdamW([p, q])
        try run(adam, p, 0..<3)
        #expect(adam.state.description == "optimizer state after 3 steps: exp_avg, exp_avg_sq (2 parameters)")
    }
}
