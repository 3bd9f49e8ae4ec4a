// makemore part 2's training-loop cell typed at the prompt, against the same cell in Python +
// PyTorch, side by side in one run: each side runs the setup untimed, then times the loop with its
// own clock (no start-up counted); the best of three is kept. Also the notebook's own cost per tensor
// op: a loop of one-element additions, against PyTorch's. The goal is at least 2× PyTorch's steps per
// second. PyTorch is looked for in $GRADBOOK_TORCH_PYTHON, else python3 (`pip install torch`).
import Engine
import Foundation
import NotebookLanguage

enum TensorLoopBenchmarks {
    static let tensorLoop = Benchmark(
        name: "tensor-loop",
        summary: "makemore part 2's training-loop cell at the prompt, against Python + PyTorch (steps/s)"
    ) {
        [
            compare("training loop, batch 32", setup: setup, timed: loop, steps: steps),
            compare(
                "one-element tensor ops", setup: "import torch\na = torch.ones(1)\nb = torch.ones(1)", timed: ops,
                steps: 100_000)
        ]
    }

    static let steps = 3000

    /// The lecture's data shapes (182,625 contexts of 3 characters) and network, from the generator.
    static let setup = """
        import torch
        import torch.nn.functional as F
        g = torch.Generator().manual_seed(2147483647)
        Xtr = torch.randint(0, 27, (182625, 3), generator=g)
        Ytr = torch.randint(0, 27, (182625,), generator=g)
        C = torch.randn((27, 10), generator=g)
        W1 = torch.randn((30, 200), generator=g)
        b1 = torch.randn(200, generator=g)
        W2 = torch.randn((200, 27), generator=g)
        b2 = torch.randn(27, generator=g)
        parameters = [C, W1, b1, W2, b2]
        for p in parameters:
            p.requires_grad = True
        """

    /// The training-loop cell, as the lecture types it.
    static let loop = """
        for i in range(\(steps)):
            ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
            emb = C[Xtr[ix]]
            h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
            logits = h @ W2 + b2
            loss = F.cross_entropy(logits, Ytr[ix])
            for p in parameters:
                p.grad = None
            loss.backward()
            lr = 0.1 if i < 100000 else 0.01
            for p in parameters:
                p.data += -lr * p.grad
        print(round(loss.item(), 2))
        """

    static let ops = """
        for i in range(100000):
            c = a + b
        print(c.item())
        """

    static func compare(_ name: String, setup: String, timed: String, steps: Int) -> String {
        var best = Double.infinity
        for _ in 0..<3 {
            let host = SilentHost()
            let interpreter = Interpreter(host: host)
            do {
                try interpreter.run(try Parser.parse(setup))
                let clock = ContinuousClock()
                let start = clock.now
                try interpreter.run(try Parser.parse(timed))
                let duration = clock.now - start
                best = min(best, Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18)
            } catch {
                return "tensor-loop: \(name): \(error.message)"
            }
        }
        var line = Benchmark.line("tensor-loop: \(name)", secondsPerStep: best / Double(steps))
        guard let torch = pytorch(setup: setup, timed: timed) else {
            return line + "  (no python3 with torch found: pip install torch, or set GRADBOOK_TORCH_PYTHON)"
        }
        let ratio = torch / best
        line += String(
            format: "; PyTorch %.0f %@s/s: %.2f× %@", Double(steps) / torch, "step", ratio,
            ratio >= 1 ? "faster" : "(slower)")
        return line + "  (goal: 2× faster)"
    }

    /// PyTorch's best-of-three time for `timed` after `setup`, timed inside Python.
    static func pytorch(setup: String, timed: String) -> Double? {
        let preferred = ProcessInfo.processInfo.environment["GRADBOOK_TORCH_PYTHON"].map { [$0] } ?? []
        guard let python = Benchmark.python(preferring: preferred) else { return nil }
        let harness = """
            import io, sys, time, json
            setup, timed = json.loads(sys.stdin.read())
            best = float('inf')
            for _ in range(3):
                scope = {'__name__': '__main__'}
                out, sys.stdout = sys.stdout, io.StringIO()
                exec(setup, scope)
                start = time.perf_counter()
                exec(timed, scope)
                best = min(best, time.perf_counter() - start)
                sys.stdout = out
            print(best)
            """
        let payload = (try? JSONSerialization.data(withJSONObject: [setup, timed])) ?? Data()
        guard let text = Benchmark.runPython(python, harness: harness, input: payload) else { return nil }
        return text.split(separator: "\n").last.flatMap { Double($0) }
    }
}

/// A host that prints nothing.
private final class SilentHost: InterpreterHost {
    func write(_ text: String) {}
    func warn(_ message: String) {}
    var otherNames: [String] { [] }
    let generator = TorchGenerator(seed: 2_147_483_647)
    func backwardDidRun(from output: Value) {}
}
