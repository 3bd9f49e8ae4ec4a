// The benchmark of micrograd's demo: one full training step of MLP(2, [16, 16, 1]) on 100 moons
// points with the hinge loss and a 1e-4 L2 penalty — forward over every point, backward, update.
// Python micrograd takes about 1.6 s per step on the reference machine; the target is 8 ms (200×).
import Engine

enum NeuralNetBenchmarks {
    /// Python micrograd's time for one step of the demo on the reference machine.
    static let pythonSeconds = 1.6

    static let moons = Benchmark(
        name: "moons", summary: "one training step of micrograd's moons demo, MLP(2, [16, 16, 1]) on 100 points"
    ) {
        let fused = secondsPerStep(fused: true)
        let unfused = secondsPerStep(fused: false)
        return [
            Benchmark.line(
                "moons", secondsPerStep: fused,
                note: String(
                    format: "(fused w·x+b nodes; Python micrograd ≈ 1.6 s: %.0f× faster; target 8 ms)",
                    pythonSeconds / fused)),
            Benchmark.line(
                "moons-unfused", secondsPerStep: unfused,
                note: String(
                    format: "(micrograd's graph, one * and one + node per weight: %.0f× faster than Python)",
                    pythonSeconds / unfused))
        ]
    }

    /// Seconds per training step, with the weighted sums as `Value.dot` nodes or as micrograd builds them.
    static func secondsPerStep(fused: Bool) -> Double {
        let generator = TorchGenerator(seed: 1337)
        let data = ToyDataset.moons(count: 100, noise: 0.1, generator: generator)
        let model = MLP(2, [16, 16, 1], nonlinearity: .relu, generator: generator)
        var optimizer = ValueSGD(schedule: .linear(1.0, startFactor: 1, endFactor: 0.1, over: 100))
        let parameters = model.parameters()
        return Benchmark.secondsPerCall {
            if fused {
                _ = model.trainingStep(on: data, loss: .hinge, alpha: 1e-4, optimizer: &optimizer)
            } else {
                Tape.withNew {
                    let (total, _) = model.loss(on: data, loss: .hinge, alpha: 1e-4, fused: false)
                    model.zeroGrad()
                    total.backward()
                }
                optimizer.step(parameters)
            }
        }
    }
}
