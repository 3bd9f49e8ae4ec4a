// Can models built from layers learn? makemore part 2's MLP with SGD, and part 5's WaveNet shape (with
// batch norm) with AdamW, each fits 12 examples of a 6-character toy language in a few hundred
// full-batch steps; after training, evaluation mode (running statistics) scores about as well.
import Engine
import Testing

/// Twelve distinct contexts of `length` characters from a vocabulary of 6, each with its own next character.
private func tinyDataset(length: Int) throws -> (X: IndexTensor, Y: IndexTensor) {
    var contexts: [Int32] = []
    for i in 0..<12 {
        for j in 0..<length { contexts.append(Int32((i * (3 + j) + i / 6 + j * j) % 6)) }
    }
    let X = try IndexTensor(contexts, shape: [12, length])  // (12, T)
    let Y = try IndexTensor((0..<12).map { Int32(($0 * 7 + 1) % 6) }, shape: [12])  // (12,)
    return (X, Y)
}

/// Trains `model` on the dataset for `steps` full-batch steps; returns the first and last losses.
private func train(
    _ model: Sequential, _ optimizer: any Optimizer, _ data: (X: IndexTensor, Y: IndexTensor),
    steps: Int
) throws -> (first: Float, last: Float) {
    var first: Float = .nan
    var last: Float = .nan
    for k in 0..<steps {
        let loss = try model(data.X).crossEntropy(targets: data.Y)  // ()
        optimizer.zeroGrad()
        try loss.backward()
        optimizer.step()
        if k == 0 { first = try loss.item() }
        last = try loss.item()
    }
    return (first, last)
}

@Suite("Layers: training")
struct LayerTrainingTests {
    @Test("the lecture's MLP from layers fits 12 examples with SGD: loss ≈ 1.8 → below 0.05 in 300 steps")
    func mlpFitsWithSGD() throws {
        let g = TorchGenerator(seed: 2_147_483_647)
        let data = try tinyDataset(length: 3)
        let model = Sequential([
            Embedding(6, 4, generator: g), FlattenConsecutive(3),  // (12, 12)
            Linear(12, 32, initialization: .kaiming(gain: WeightInitialization.tanhGain), generator: g), Tanh(),
            Linear(32, 6, generator: g)  // (12, 6)
        ])
        (model.layers.last as? Linear)?.weight *= 0.1
        let (first, last) = try train(model, SGD(model.parameters(), learningRate: 0.5), data, steps: 300)
        #expect(first > 1.6)
        #expect(last < 0.05, "loss went from \(first) to \(last)")
    }

    @Test("a WaveNet with batch norm fits 12 examples with AdamW: below 0.05 in 200 steps; evaluation agrees")
    func waveNetFitsWithAdamW() throws {
        let g = TorchGenerator(seed: 42)
        let data = try tinyDataset(length: 4)
        let model = Sequential([
            Embedding(6, 5, generator: g),  // (12, 4, 5)
            FlattenConsecutive(2), Linear(10, 24, bias: false, generator: g), BatchNorm1d(24), Tanh(),  // (12, 2, 24)
            FlattenConsecutive(2), Linear(48, 24, bias: false, generator: g), BatchNorm1d(24), Tanh(),  // (12, 24)
            Linear(24, 6, generator: g)  // (12, 6)
        ])
        (model.layers.last as? Linear)?.weight *= 0.1
        let optimizer = AdamW(model.parameters(), learningRate: 0.02, betas: (0.9, 0.99), weightDecay: 0.01)
        let (first, last) = try train(model, optimizer, data, steps: 200)
        #expect(first > 1.6)
        #expect(last < 0.05, "loss went from \(first) to \(last)")
        model.training = false
        let evaluated = try Tensor.withoutGrad { try model(data.X).crossEntropy(targets: data.Y).item() }
        #expect(evaluated < 0.2, "loss with running statistics: \(evaluated)")
    }
}
