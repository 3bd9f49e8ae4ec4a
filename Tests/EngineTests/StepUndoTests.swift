// Taking an optimizer step back: after `step(saving:)` and `takeBack`, every weight and the
// optimizer's state are what they were before, bit for bit, and a step taken with saving is the
// step taken without. The large parameter is split between the cores, so its spans are saved by
// the threads that update them; the parameter no backward pass reached keeps its values.
import Engine
import Testing

@Suite("Taking an optimizer step back")
struct StepUndoTests {
    static func optimizer(_ kind: String, _ parameters: [Tensor]) -> any Optimizer {
        switch kind {
        case "adam": Adam(parameters, learningRate: 0.01, weightDecay: 0.1)
        case "adamw": AdamW(parameters, learningRate: 0.01, betas: (0.9, 0.99), weightDecay: 0.01)
        default: SGD(parameters, learningRate: 0.1, momentum: 0.9)
        }
    }

    /// Three parameters (70,001 values, 37, and 5 that the loss does not use) and a loss whose
    /// gradient changes from step to step.
    static func setUp(_ kind: String) throws -> (any Optimizer, () throws -> Void) {
        let big = try Tensor.randn([70_001], generator: TorchGenerator(seed: 1)).requiringGrad()
        let small = try Tensor.randn([37], generator: TorchGenerator(seed: 2)).requiringGrad()
        let unused = try Tensor.randn([5], generator: TorchGenerator(seed: 3)).requiringGrad()
        let optimizer = optimizer(kind, [big, small, unused])
        let step = {
            optimizer.zeroGrad()
            try big.mul(big).sum().add(small.tanh().sum()).backward()
        }
        return (optimizer, step)
    }

    static func bits(_ parameters: [Tensor]) -> [[UInt32]] { parameters.map { $0.scalars.map(\.bitPattern) } }

    @Test(arguments: ["adam", "adamw", "sgd"])
    func takingBackRestoresWeightsAndState(kind: String) throws {
        let (optimizer, gradients) = try Self.setUp(kind)
        for _ in 0..<2 {  // moments that are not zero
            try gradients()
            optimizer.step()
        }
        try gradients()
        let (weightsBefore, stateBefore) = (Self.bits(optimizer.parameters), optimizer.state)
        let undo = StepUndo()
        optimizer.step(saving: undo)
        let (weightsAfter, stateAfter) = (Self.bits(optimizer.parameters), optimizer.state)
        #expect(weightsAfter[0] != weightsBefore[0] && weightsAfter[2] == weightsBefore[2])
        #expect(undo.weights.map(\.bitPattern) == weightsBefore.flatMap { $0 })

        optimizer.takeBack(undo)
        #expect(Self.bits(optimizer.parameters) == weightsBefore)
        #expect(optimizer.state == stateBefore)

        optimizer.step()  // the same gradients again: the same step as the one taken with saving
        #expect(Self.bits(optimizer.parameters) == weightsAfter)
        #expect(optimizer.state == stateAfter)

        optimizer.takeBack(StepUndo())  // one that saved nothing changes nothing
        #expect(Self.bits(optimizer.parameters) == weightsAfter)
        #expect(optimizer.state == stateAfter)
    }
}
