// Neuron, Layer and MLP on `Value`s: micrograd's reprs, seeded initialisation, the fused and unfused
// graphs agreeing, gradients of a small MLP against finite differences, the losses and SGD's schedule.
import Foundation
import TestSupport
import Testing

@testable import Engine

@Suite("Neural nets on Value")
struct NNModelTests {
    @Test func describesItselfAsMicrogradDoes() {
        let g = TorchGenerator()
        let n = MLP(3, [4, 4, 1], generator: g)
        #expect(
            n.description == "MLP of [Layer of [TanhNeuron(3), TanhNeuron(3), TanhNeuron(3), TanhNeuron(3)], "
                + "Layer of [TanhNeuron(4), TanhNeuron(4), TanhNeuron(4), TanhNeuron(4)], Layer of [TanhNeuron(4)]]")
        #expect(n.summary == "MLP(3 → 4 → 4 → 1), tanh, 41 parameters")
        #expect(n.parameterCount == 41 && n.parameters().count == 41)
        let demo = MLP(2, [16, 16, 1], nonlinearity: .relu, generator: g)
        #expect(demo.summary == "MLP(2 → 16 → 16 → 1), relu, linear last, 337 parameters")
        #expect(demo.layers[2].description == "Layer of [LinearNeuron(16)]")
        #expect(Neuron(2, nonlinearity: .relu, generator: g).description == "ReLUNeuron(2)")
        #expect(MLP(2, [1], generator: g).summary == "MLP(2 → 1), tanh, 3 parameters")
    }

    @Test func initialisationDrawsUniformsFromTheGenerator() {
        let first = MLP(3, [4, 4, 1], generator: TorchGenerator(seed: 42)).parameters().map(\.data)
        let again = MLP(3, [4, 4, 1], generator: TorchGenerator(seed: 42)).parameters().map(\.data)
        #expect(first == again)
        #expect(first.allSatisfy { $0 >= -1 && $0 < 1 })
        // Neuron by neuron, its weights then its bias, each 2u - 1 for one float64 uniform u.
        let g = TorchGenerator(seed: 42)
        #expect(first[0] == 2 * g.nextDouble() - 1 && first[1] == 2 * g.nextDouble() - 1)
        // micrograd's nn.py starts ReLU and linear biases at 0; the lecture's tanh neuron draws them.
        let relu = MLP(2, [3, 1], nonlinearity: .relu, generator: TorchGenerator())
        #expect(relu.layers.flatMap(\.neurons).allSatisfy { $0.bias.data == 0 })
        #expect(MLP(2, [3], generator: TorchGenerator()).layers[0].neurons.allSatisfy { $0.bias.data != 0 })
    }

    @Test func fusedAndUnfusedGraphsAgree() {
        let n = MLP(3, [4, 4, 1], generator: TorchGenerator())
        let x = [2.0, 3.0, -1.0]
        let fused = n(x)[0]
        fused.backward()
        let grads = n.parameters().map(\.grad)
        n.zeroGrad()
        let unfused = n(x, fused: false)[0]
        unfused.backward()
        #expect(fused.data == unfused.data)
        #expect(
            zip(grads, n.parameters().map(\.grad)).allSatisfy {
                Reference.close($0, $1, relative: 1e-13, absolute: 1e-15)
            })
        #expect(n.predict(x)[0] == fused.data)
        #expect(fused.graphSize().nodes == 62 && unfused.graphSize().nodes == 117)
    }

    /// The gradient of each loss of a small MLP with respect to all 41 parameters, against central
    /// differences (tolerance 1e-5 relative, 1e-7 absolute).
    @Test(arguments: ValueLoss.allCases)
    func smallMLPGradientsMatchFiniteDifferences(_ loss: ValueLoss) {
        let n = MLP(3, [4, 4, 1], generator: TorchGenerator(seed: 7))
        let (total, _) = n.loss(on: .lecture, loss: loss, alpha: 1e-3)
        let rows = total.gradientCheck(step: 1e-6)
        #expect(rows.count == 41)
        for row in rows {
            #expect(
                row.relativeError < 1e-5 || abs(row.analytic - row.numerical) < 1e-7,
                "\(loss): \(row.analytic) vs \(row.numerical)")
        }
    }

    @Test func lossesOnKnownScores() {
        func value(_ loss: ValueLoss, _ score: Double, _ y: Double) -> Double {
            loss(score: Value(score), target: y).data
        }
        #expect(value(.hinge, 0.3, 1) == 0.7 && value(.hinge, 0.3, -1) == 1.3 && value(.hinge, 2, 1) == 0)
        #expect(value(.squaredError, 0.5, -1) == 2.25)
        #expect(Reference.close(value(.binaryCrossEntropy, 0, 1), log(2), relative: 1e-15))
        // -[t log p + (1-t) log(1-p)] with p = σ(score), t = (y+1)/2.
        let p = 1 / (1 + exp(-0.8))
        #expect(Reference.close(value(.binaryCrossEntropy, 0.8, 1), -log(p), relative: 1e-12))
        #expect(Reference.close(value(.binaryCrossEntropy, 0.8, -1), -log(1 - p), relative: 1e-12))
        // Far on the wrong side the loss is the margin itself, and its gradient -y, without overflow.
        let score = Value(1000.0)
        let far = ValueLoss.binaryCrossEntropy(score: score, target: -1)
        far.backward()
        #expect(far.data == 1000 && score.grad == 1)
        // Squared error is summed (the lecture); the others are means (the demo).
        let scores = [Value(0.5), Value(-0.5)]
        #expect(ValueLoss.squaredError(scores, [1, 1]).data == 0.25 + 2.25)
        #expect(ValueLoss.hinge(scores, [1, 1]).data == (0.5 + 1.5) / 2)
    }

    @Test func l2PenaltyIsAlphaTimesTheSumOfSquares() {
        let p = [Value(1.0), Value(-2.0)]
        let penalty = ValueLoss.l2(p, alpha: 1e-4)
        penalty.backward()
        #expect(Reference.close(penalty.data, 5e-4, relative: 1e-15))
        #expect(Reference.close(p[1].grad, -4e-4, relative: 1e-15))
    }

    /// The demo's `learning_rate = 1.0 - 0.9*k/100` is the linear schedule from 1 to 0.1 over 100 steps.
    @Test func sgdFollowsTheDemosDecay() {
        var sgd = ValueSGD(schedule: .linear(1.0, startFactor: 1, endFactor: 0.1, over: 100))
        let p = Value(0.0)
        for k in 0..<100 {
            #expect(sgd.learningRate == 1.0 - 0.9 * Double(k) / 100)
            p.grad = 1
            p.data = 0
            #expect(sgd.step([p]) == 1.0 - 0.9 * Double(k) / 100 && p.data == -sgd.schedule.learningRate(atStep: k))
        }
        #expect(sgd.stepCount == 100)
        #expect(ValueSGD(learningRate: 0.05).description == "SGD, lr constant(0.05)")
    }
}
