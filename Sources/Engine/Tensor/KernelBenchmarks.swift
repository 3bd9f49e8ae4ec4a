// Speed figures for `gradbook bench`: GEMM throughput on the shapes the lectures use, and training
// steps per second of the lecture's MLP (Bengio et al. 2003, makemore part 2). Release builds only
// give meaningful numbers.

/// Timed runs of the engine's hot paths. Each warms up first, then repeats for about `seconds`.
public enum KernelBenchmarks {
    /// GFLOP/s of `C (m, n) = A (m, k) · B (k, n)` with `threads` cores (2·m·n·k flops per product).
    public static func matmulGFLOPS(m: Int, k: Int, n: Int, threads: Int, seconds: Double) -> Double {
        let a = pseudoRandom(m * k), b = pseudoRandom(k * n)
        var c = [Float](repeating: 0, count: m * n)
        let flops = 2.0 * Double(m) * Double(n) * Double(k)
        let (runs, elapsed) = repeatFor(seconds, minimumRuns: 3) {
            c.withUnsafeMutableBufferPointer { c in
                Gemm.sgemm(transA: false, transB: false, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n,
                           beta: 0, c: c.baseAddress!, ldc: n, threads: threads)
            }
        }
        return flops * Double(runs) / elapsed / 1e9
    }

    /// Training steps per second of the lecture's MLP, one step being: embed a batch of 32 contexts
    /// of 3 characters, tanh hidden layer of 200, logits over 27 characters, cross-entropy, backward,
    /// SGD update with learning rate 0.1, zero the gradients.
    public static func lectureMLPStepsPerSecond(seconds: Double) -> Double {
        let g = TorchGenerator(seed: 2147483647)
        let (vocab, context, embed, hidden, batch) = (27, 3, 10, 200, 32)
        let C = Tensor(shape: [vocab, embed], generated: g).requiringGrad()                   // (27, 10)
        let W1 = Tensor(shape: [context * embed, hidden], generated: g).requiringGrad()       // (30, 200)
        let b1 = Tensor(shape: [hidden], generated: g).requiringGrad()                        // (200,)
        let W2 = Tensor(shape: [hidden, vocab], generated: g).requiringGrad()                 // (200, 27)
        let b2 = Tensor(shape: [vocab], generated: g).requiringGrad()                         // (27,)
        let parameters = [C, W1, b1, W2, b2]
        let X = IndexTensor(trustedValues: (0..<(batch * context)).map { Int32($0 * 7 % vocab) }, shape: [batch, context])
        let Y = IndexTensor(trustedValues: (0..<batch).map { Int32($0 * 5 % vocab) }, shape: [batch])

        let (runs, elapsed) = repeatFor(seconds, minimumRuns: 10) {
            let emb = C.embedding(trusted: X)                                                  // (32, 3, 10)
            let h = (trusted { () throws(ShapeError) in try emb.view(-1, 30) } ⊗ W1 + b1).tanh()  // (32, 200)
            let logits = h ⊗ W2 + b2                                                           // (32, 27)
            let loss = trusted { () throws(ShapeError) in try logits.crossEntropy(targets: Y) }     // ()
            trusted { () throws(ShapeError) in try loss.backward() }
            for p in parameters {
                let grad = p.grad!.pointer
                p.withUnsafeMutableBufferPointer { data in
                    for i in data.indices { data[i] -= 0.1 * grad[i] }
                }
                p.zeroGrad()
            }
        }
        return Double(runs) / elapsed
    }

    /// Runs `body` a few times to warm up, then until `seconds` have passed (at least `minimumRuns`
    /// times); returns the timed runs and their total seconds.
    private static func repeatFor(_ seconds: Double, minimumRuns: Int, _ body: () -> Void) -> (Int, Double) {
        for _ in 0..<minimumRuns { body() }
        let clock = ContinuousClock(), start = clock.now
        var runs = 0, elapsed = 0.0
        repeat {
            body()
            runs += 1
            let d = clock.now - start
            elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        } while elapsed < seconds || runs < minimumRuns
        return (runs, elapsed)
    }

    /// Deterministic values in [-1, 1) for operands whose contents do not matter.
    private static func pseudoRandom(_ count: Int) -> [Float] {
        var state: UInt32 = 2463534242
        return (0..<count).map { _ in
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            return Float(state >> 8) / Float(1 << 23) - 1
        }
    }
}

private extension Tensor {
    /// Normal samples from `generator` for trusted benchmark shapes.
    convenience init(shape: [Int], generated generator: TorchGenerator) {
        self.init(repeating: 0, shape: shape)
        let values = generator.randn(count)
        for i in 0..<count { pointer[i] = values[i] }
    }
}
