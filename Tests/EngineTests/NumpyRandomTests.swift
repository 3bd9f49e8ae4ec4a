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

    /// micrograd's nn.py: every weight `random.uniform(-1, 1)` from CPython's generator, every bias 0.
    @Test func theWeightsAreCPythonsUniforms() {
        let neuron = Neuron(3, nonlinearity: .relu, drawing: .python(seed: 1337))
        var random = PythonRandom(seed: 1337)
        #expect(neuron.weights.map(\.data) == (0..<3).map { _ in -1 + 2 * random.random() })
        #expect(neuron.bias.data == 0)
    }
}
