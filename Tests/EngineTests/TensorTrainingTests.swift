// Small training runs: the lecture's MLP fits a tiny dataset, and batch norm keeps PyTorch's running
// statistics and uses them in evaluation.
import Engine
import Testing

@Suite("Tensor training")
struct TensorTrainingTests {
    @Test("an MLP with embedding, tanh and cross-entropy fits 12 examples (loss 1.7 → below 0.05 in 300 steps)")
    func mlpFitsTinyDataset() throws {
        let g = TorchGenerator(seed: 2_147_483_647)
        let (vocab, context, embed, hidden) = (6, 3, 4, 32)
        let C = try Tensor.randn([vocab, embed], generator: g).requiringGrad()  // (V, E)
        let W1 = try (Tensor.randn([context * embed, hidden], generator: g) * 0.3).detach().requiringGrad()  // (3E, H)
        let b1 = try Tensor.zeros([hidden]).requiringGrad()  // (H,)
        let W2 = try (Tensor.randn([hidden, vocab], generator: g) * 0.1).detach().requiringGrad()  // (H, V)
        let b2 = try Tensor.zeros([vocab]).requiringGrad()  // (V,)
        let parameters = [C, W1, b1, W2, b2]
        // Twelve distinct contexts of three characters, each followed by its own next character.
        let contexts: [Int32] = (0..<12).flatMap { (i: Int) -> [Int32] in [Int32(i % 6), Int32(i / 6), Int32(i * i % 6)]
        }
        let X = try IndexTensor(contexts, shape: [12, context])
        let Y = try IndexTensor((0..<12).map { Int32(($0 * 7 + 1) % vocab) }, shape: [12])

        func loss() throws -> Tensor {
            let h = (try C[X].view(-1, context * embed) ⊗ W1 + b1).tanh()  // (12, H)
            return try (h ⊗ W2 + b2).crossEntropy(targets: Y)  // ()
        }
        let first = try loss().item()
        for _ in 0..<300 {
            let l = try loss()
            for p in parameters { p.zeroGrad() }
            try l.backward()
            for p in parameters {
                let grad = p.grad!.scalars
                p.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] -= 0.5 * grad[i] } }
            }
        }
        let last = try loss().item()
        #expect(first > 1.2)
        #expect(last < 0.05, "loss went from \(first) to \(last)")
    }

    @Test("batch norm updates running mean and unbiased running variance, and evaluates with them")
    func batchNormRunningStatistics() throws {
        let x = try Tensor(rows: [[1, 10], [2, 20], [3, 60], [6, 30]])  // (4, 2)
        let runningMean = try Tensor.zeros([2])
        let runningVar = try Tensor.ones([2])
        let y = try x.batchNorm(
            gain: nil, bias: nil, runningMean: runningMean, runningVar: runningVar,
            training: true, momentum: 0.1)
        // mean (3, 30); biased var (3.5, 350); unbiased var (14/3, 1400/3)
        #expect(zip(runningMean.scalars, [0.3, 3.0]).allSatisfy { abs($0 - $1) < 1e-5 })
        let expectedVar: [Float] = [0.9 + 0.1 * 14 / 3, 0.9 + 0.1 * 1400 / 3]
        #expect(zip(runningVar.scalars, expectedVar).allSatisfy { abs($0 - $1) < 1e-4 })
        let expectedY: Float = (1 - 3) / (3.5 + 1e-5).squareRoot()
        #expect(abs(y.scalars[0] - expectedY) < 1e-5)
        let z = try x.batchNorm(gain: nil, bias: nil, runningMean: runningMean, runningVar: runningVar, training: false)
        let expectedZ: Float = (10 - 3) / (runningVar.scalars[1] + 1e-5).squareRoot()
        #expect(abs(z.scalars[1] - expectedZ) < 1e-4)
        #expect(runningMean.scalars == [0.3, 3.0].map(Float.init))  // evaluation leaves them alone
    }
}
