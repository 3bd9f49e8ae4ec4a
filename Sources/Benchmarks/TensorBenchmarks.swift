// Benchmarks of the tensor engine: GEMM throughput on the shapes the lectures use, compared with
// PyTorch's torch.mm in the same run.
import Engine
import Foundation

enum TensorBenchmarks {
    /// One GEMM shape: C (m, n) = A (m, k) · B (k, n), and its thread count.
    struct MatmulCase {
        let m: Int, k: Int, n: Int, threads: Int
        /// Whether A (or B) is stored transposed, as backward's products read their operands.
        var transA = false, transB = false

        /// `matmul 32x30@30x200`, with `ᵀ` after an operand stored transposed and `(2 threads)`
        /// when more than one.
        var label: String {
            "matmul \(m)x\(k)\(transA ? "ᵀ" : "")@\(k)x\(n)\(transB ? "ᵀ" : "")"
                + (threads == 1 ? "" : " (\(threads) threads)")
        }
    }

    /// The lecture's shapes: the MLP's two layers at batch 32 and the four products of their backward
    /// (dx = dout·Wᵀ, dW = xᵀ·dout), the WaveNet-sized and GPT-sized blocks at
    /// 512 rows, the laptop gpt's qkv and feed-forward products (a batch of 32 × 64 positions, on two
    /// threads) and their backward's, one head's attention products (64 positions, head size 32), and
    /// a large square product on one thread and on two. Each is compared with PyTorch's
    /// torch.mm on the same shapes and threads in the same run; the goal is PyTorch's speed or better.
    static let matmulCases = [
        MatmulCase(m: 32, k: 30, n: 200, threads: 1),
        MatmulCase(m: 32, k: 200, n: 27, threads: 1),
        MatmulCase(m: 32, k: 27, n: 200, threads: 1, transB: true),
        MatmulCase(m: 200, k: 32, n: 27, threads: 1, transA: true),
        MatmulCase(m: 32, k: 200, n: 30, threads: 1, transB: true),
        MatmulCase(m: 30, k: 32, n: 200, threads: 1, transA: true),
        MatmulCase(m: 512, k: 64, n: 64, threads: 1),
        MatmulCase(m: 512, k: 64, n: 256, threads: 1),
        MatmulCase(m: 2048, k: 128, n: 384, threads: 2),
        MatmulCase(m: 2048, k: 512, n: 128, threads: 2),
        MatmulCase(m: 2048, k: 384, n: 128, threads: 2, transB: true),
        MatmulCase(m: 128, k: 2048, n: 384, threads: 2, transA: true),
        MatmulCase(m: 2048, k: 128, n: 512, threads: 2, transB: true),
        MatmulCase(m: 512, k: 2048, n: 128, threads: 2, transA: true),
        MatmulCase(m: 64, k: 32, n: 64, threads: 1, transB: true),
        MatmulCase(m: 64, k: 64, n: 32, threads: 1),
        MatmulCase(m: 1024, k: 1024, n: 1024, threads: 1),
        MatmulCase(m: 1024, k: 1024, n: 1024, threads: 2)
    ]

    static let matmul = Benchmark(
        name: "matmul", summary: "GFLOP/s of the engine's GEMM on the lectures' shapes, one and two threads, vs PyTorch"
    ) {
        let theirs = pytorchGFLOPS(matmulCases)
        return matmulCases.enumerated().map { i, c in
            let gflops = matmulGFLOPS(c)
            var line = "\(c.label): " + String(format: "%.1f GFLOP/s", gflops)
            if let theirs {
                line += String(
                    format: "; PyTorch %.1f: %.2f×%@", theirs[i], gflops / theirs[i],
                    gflops >= theirs[i] ? "" : "  BELOW TARGET")
            }
            return line
        }
    }

    /// PyTorch's GFLOP/s of torch.mm on each case with its number of threads, timed inside Python;
    /// nil when no python3 with torch is found.
    static func pytorchGFLOPS(_ cases: [MatmulCase]) -> [Double]? {
        let preferred = ProcessInfo.processInfo.environment["GRADBOOK_TORCH_PYTHON"].map { [$0] } ?? []
        guard let python = Benchmark.python(preferring: preferred) else { return nil }
        let harness = """
            import sys, time, json, torch
            out = []
            for m, k, n, threads, ta, tb in json.loads(sys.stdin.read()):
                torch.set_num_threads(threads)
                a = torch.randn(k, m).t() if ta else torch.randn(m, k)
                b = torch.randn(n, k).t() if tb else torch.randn(k, n)
                c = torch.empty(m, n)
                flops = 2.0 * m * n * k
                repeats = max(1, int(2e6 / flops))
                for _ in range(3):
                    torch.mm(a, b, out=c)
                best = float('inf')
                for _ in range(5):
                    calls, start = 0, time.perf_counter()
                    while time.perf_counter() - start < 0.1:
                        for _ in range(repeats):
                            torch.mm(a, b, out=c)
                        calls += repeats
                    best = min(best, (time.perf_counter() - start) / calls)
                out.append(flops / best / 1e9)
            print(json.dumps(out))
            """
        let shapes = cases.map { [$0.m, $0.k, $0.n, $0.threads, $0.transA ? 1 : 0, $0.transB ? 1 : 0] }
        let payload = (try? JSONSerialization.data(withJSONObject: shapes)) ?? Data()
        guard let text = Benchmark.runPython(python, harness: harness, input: payload),
            let line = text.split(separator: "\n").last,
            let figures = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Double],
            figures.count == cases.count
        else { return nil }
        return figures
    }

    /// GFLOP/s of one case (2·m·n·k flops a product): the best of five runs of at least 0.1 s each
    /// after a warm-up, as the PyTorch harness times torch.mm.
    static func matmulGFLOPS(_ c: MatmulCase) -> Double {
        let a = pseudoRandom(c.m * c.k)
        let b = pseudoRandom(c.k * c.n)  // (m, k), (k, n)
        var out = [Float](repeating: 0, count: c.m * c.n)  // (m, n)
        let flops = 2.0 * Double(c.m * c.n * c.k)
        let repeats = max(1, Int(2e6 / flops))  // products per timed call, so the clock is read rarely
        let seconds = out.withUnsafeMutableBufferPointer { out in
            (0..<5).map { _ in
                Benchmark.secondsPerCall(minimumSeconds: 0.1, warmup: 1) {
                    for _ in 0..<repeats {
                        Gemm.sgemm(
                            transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k, a: a,
                            lda: c.transA ? c.m : c.k, b: b, ldb: c.transB ? c.k : c.n,
                            beta: 0, c: out.baseAddress!, ldc: c.n, threads: c.threads)
                    }
                }
            }.min()!
        }
        return flops * Double(repeats) / seconds / 1e9
    }

    /// Deterministic values in [-1, 1) for operands whose contents do not matter.
    private static func pseudoRandom(_ count: Int) -> [Float] {
        var state: UInt32 = 2_463_534_242
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            return Float(state >> 8) / Float(1 << 23) - 1
        }
    }
}
