// Benchmarks of the scalar engine: micrograd's README expression, and a 1,000,000-node chain.
import Engine

enum ValueBenchmarks {
    /// micrograd's README expression, forward and backward (Python micrograd: about 78 µs a run).
    /// Each run builds its graph on a fresh tape, which is freed at the end of the run: making and
    /// freeing the tape are part of the time (its node buffer is the one the previous run's tape
    /// left, as in a training loop).
    static let readme = Benchmark(name: "readme", summary: "micrograd's README expression, forward and backward") {
        var g = 0.0
        let seconds = Benchmark.secondsPerCall {
            g = readmeExpression()
        }
        return [
            Benchmark.line(
                "readme", secondsPerStep: seconds, unit: "run",
                note: String(format: "(g = %.4f; Python micrograd ≈ 78 µs: %.0f× faster)", g, 78e-6 / seconds))
        ]
    }

    /// A 1,000,000-node chain `v = relu(v*0.999) + 0.001`, built and backpropagated (target < 2 s).
    static let chain = Benchmark(name: "chain", summary: "a 1,000,000-node chain, built and backpropagated") {
        let seconds = Benchmark.secondsPerCall(minimumSeconds: 2, warmup: 1) {
            Tape.withNew { chainRun() }
        }
        return [
            Benchmark.line("chain", secondsPerStep: seconds, unit: "run", note: "(1,000,001 nodes; target under 2 s)")
        ]
    }

    /// The chain, on the tape the run made for it.
    private static func chainRun() {
        let x = Value(1.0)
        var v = x
        for _ in 0..<200_000 { v = (v * 0.999).relu() + 0.001 }  // 5 nodes a link
        v.backward()
    }

    /// The README example on a fresh tape, made and freed within the run; returns g.data (24.7041).
    static func readmeExpression() -> Double {
        Tape.withNew(readmeGraph)
    }

    private static func readmeGraph() -> Double {
        let a = Value(-4.0)
        let b = Value(2.0)
        var c = a + b
        var d = a * b + b.pow(3)
        c += c + 1
        c += 1 + c + (-a)
        d += d * 2 + (b + a).relu()
        d += 3 * d + (b - a).relu()
        let e = c - d
        let f = e.pow(2)
        var g = f / 2.0
        g += 10.0 / f
        g.backward()
        return g.data + 0 * (a.grad + b.grad)
    }
}
