// numpy's legacy generator and scikit-learn's make_moons, bit for bit: micrograd's demo draws its
// data with `np.random.seed(1337); make_moons(n_samples=100, noise=0.1)`
// (Tests/Fixtures/sklearn-moons-1337.json holds scikit-learn's output).
import Foundation
import TestSupport
import Testing

@testable import Engine

@Suite("numpy's legacy generator and scikit-learn's moons")
struct NumpyRandomTests {
    struct Moons: Decodable {
        let X: [[Double]]
        let y: [Double]
    }

    /// numpy's own outputs after np.random.seed(1337): normal(size=4) and shuffle(arange(10)).
    @Test func normalAndShuffleMatchNumpy() {
        var random = NumpyRandom(seed: 1337)
        #expect(
            random.normal(scale: 1, count: 4) == [
                -0.7031873098624105, -0.49028236278771464, -0.3218143296501526, -1.7550787171239868
            ])
        var shuffled = NumpyRandom(seed: 1337)
        var x = Array(0..<10)
        shuffled.shuffle(&x)
        #expect(x == [6, 3, 0, 4, 5, 2, 1, 9, 8, 7])
    }

    @Test func makeMoonsMatchesScikitLearn() throws {
        let reference = try Reference.load(Moons.self, from: "sklearn-moons-1337.json")
        let data = ToyDataset.sklearnMoons(count: 100, noise: 0.1, numpySeed: 1337)
        #expect(data.inputs == reference.X)
        #expect(data.targets == reference.y)
    }
}

@Suite("micrograd's demo, as its notebook runs it")
struct MicrogradDemoTests {
    /// `np.random.seed(1337); random.seed(1337)`, the demo's moons and `MLP(2, [16, 16, 1])`: its first
    /// loss and accuracy are the notebook's, to the last digit.
    @Test func theFirstLossIsTheDemos() {
        let data = ToyDataset.sklearnMoons(count: 100, noise: 0.1, numpySeed: 1337)
        let model = MLP(2, [16, 16, 1], nonlinearity: .relu, drawing: .python(seed: 1337))
        #expect(model.parameters().count == 337)
        for fused in [false, true] {
            let (total, _) = model.loss(on: data, loss: .hinge, alpha: 1e-4, fused: fused)
            #expect(total.data == 0.8958441028683222, "fused: \(fused)")
        }
        #expect(model.accuracy(on: data) == 0.5)
    }

    /// The demo's 100 steps of SGD at lr = 1.0 - 0.9*k/100: the rows its notebook printed (steps 1, 22
    /// and 40 at the four decimals quoted, 96 to 99 to the last digit, and the accuracies).
    @Test func theTrainingRowsAreTheDemos() {
        let data = ToyDataset.sklearnMoons(count: 100, noise: 0.1, numpySeed: 1337)
        let model = MLP(2, [16, 16, 1], nonlinearity: .relu, drawing: .python(seed: 1337))
        var sgd = ValueSGD(schedule: .linear(1, startFactor: 1, endFactor: 0.1, over: 100))
        var rows: [Int: (loss: Double, accuracy: Double?)] = [:]
        _ = model.train(on: data, loss: .hinge, alpha: 1e-4, optimizer: &sgd, steps: 100) { step in
            rows[step.step] = (step.loss, step.accuracy)
        }
        #expect(abs((rows[1]?.loss ?? 0) - 1.7236) < 5e-5 && rows[1]?.accuracy == 0.81)
        #expect(abs((rows[22]?.loss ?? 0) - 0.1173) < 5e-5 && rows[22]?.accuracy == 0.97)
        #expect(abs((rows[40]?.loss ?? 0) - 0.0602) < 5e-5 && rows[40]?.accuracy == 1)
        #expect(rows[39]?.accuracy != 1)  // step 40 is the first at 100%
        let last = [
            96: 0.010980043387921506, 97: 0.010979446081684675, 98: 0.010978888332907229, 99: 0.010978370135492717
        ]
        for (step, loss) in last {
            #expect(rows[step]?.loss == loss, "step \(step): \(rows[step]?.loss ?? .nan)")
            #expect(rows[step]?.accuracy == 1)
        }
    }

    /// micrograd's nn.py: every weight `random.uniform(-1, 1)` from CPython's generator, every bias 0.
    @Test func theWeightsAreCPythonsUniforms() {
        let neuron = Neuron(3, nonlinearity: .relu, drawing: .python(seed: 1337))
        var random = PythonRandom(seed: 1337)
        #expect(neuron.weights.map(\.data) == (0..<3).map { _ in -1 + 2 * random.random() })
        #expect(neuron.bias.data == 0)
    }
}
