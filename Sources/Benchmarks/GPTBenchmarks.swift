// One training step of "Let's build GPT"'s model at the notebook's laptop size (block 64, n_embd 128,
// 4 heads, 4 layers, dropout 0.2, batch 32, AdamW) on a 65-character text, against the same step in
// PyTorch side by side in one run: each side builds its model untimed and warms up, then five rounds
// alternate, 20 of gradbook's steps and 20 of PyTorch's, each timed by its own side's clock; the best
// round of each side is kept. PyTorch's model is written in the lecture's form (a Module per head,
// their outputs concatenated, the feed-forward as a Sequential). The goal is at least 2× PyTorch's
// steps per second. PyTorch is looked for in $GRADBOOK_TORCH_PYTHON, else python3.
import Engine
import Foundation
import Makemore

enum GPTBenchmarks {
    static let gpt = Benchmark(
        name: "gpt",
        summary:
            "one fit step of gpt (block 64, n_embd 128, 4 heads, 4 layers, dropout 0.2, batch 32, AdamW) vs PyTorch"
    ) {
        let (steps, rounds) = (20, 5)
        let ours = Stepper()
        ours.run(2)
        guard let peer = pytorchPeer() else {
            let best = (0..<rounds).map { _ in ours.run(steps) / Double(steps) }.min()!
            return [
                Benchmark.line("gpt", secondsPerStep: best)
                    + "  (no python3 with torch found: pip install torch, or set GRADBOOK_TORCH_PYTHON)"
            ]
        }
        var (mine, theirs) = ([Double](), [Double]())
        for _ in 0..<rounds {
            mine.append(ours.run(steps) / Double(steps))
            guard let torch = peer.secondsPerStep(steps: steps) else { break }
            theirs.append(torch)
        }
        guard theirs.count == rounds else {
            return [Benchmark.line("gpt", secondsPerStep: mine.min()!) + "  (the PyTorch harness failed)"]
        }
        let ratio = theirs.min()! / mine.min()!
        let pairs = zip(theirs, mine).map { $0 / $1 }.sorted()
        return [
            Benchmark.line("gpt", secondsPerStep: mine.min()!)
                + String(
                    format:
                        "; PyTorch %.2f steps/s: %.2f× %@ (round by round %.2f–%.2f×, median %.2f×)  (goal: 2× faster)",
                    1 / theirs.min()!, ratio, ratio >= 1 ? "faster" : "(slower)", pairs.first!, pairs.last!,
                    pairs[pairs.count / 2])
        ]
    }

    /// A text of 200,000 characters over 65 symbols, as tiny Shakespeare's vocabulary.
    static func corpus() -> TextCorpus {
        let symbols = Array("\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".unicodeScalars)
        var g = PythonRandom(seed: 1)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<200_000 { scalars.append(symbols[Int(g.random() * Double(symbols.count))]) }
        do { return try TextCorpus(text: String(scalars), source: "bench") } catch {
            preconditionFailure("benchmark text: \(error)")
        }
    }

    /// gradbook's side: the model, its trainer and the data, made once.
    final class Stepper {
        let trainer: Trainer
        let train: ContextWindows
        let generator = TorchGenerator(seed: 1337)

        init() {
            let corpus = GPTBenchmarks.corpus()
            let model: any LanguageModel
            do { model = try ModelConfiguration.gpt().make(vocabulary: corpus.vocabulary, generator: generator) } catch
            {
                preconditionFailure("benchmark: \(error)")
            }
            train = corpus.windows(.train, blockSize: model.blockSize)
            trainer = Trainer(model: model)
            trainer.ratioInterval = Int.max
        }

        /// Seconds for `n` training steps.
        @discardableResult
        func run(_ n: Int) -> Double {
            var plan = TrainingPlan(steps: n, batchSize: 32, schedule: .constant(3e-4), evaluateEvery: nil)
            let clock = ContinuousClock()
            let start = clock.now
            _ = trainer.runText(
                &plan, schedule: .constant(3e-4), train: train, val: train, estimateIterations: 1,
                generator: generator)
            let d = clock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
    }

    /// PyTorch's side, its model built and warmed up, waiting for rounds; nil without torch.
    static func pytorchPeer() -> PeerSession? {
        let preferred = ProcessInfo.processInfo.environment["GRADBOOK_TORCH_PYTHON"].map { [$0] } ?? []
        guard let python = Benchmark.python(preferring: preferred) else { return nil }
        let harness = """
            import sys, time, torch, torch.nn as nn
            from torch.nn import functional as F
            V, T, C, H, L, B, p = 65, 64, 128, 4, 4, 32, 0.2
            torch.manual_seed(1337)
            data = torch.randint(V, (200000,))
            class OneHead(nn.Module):
                def __init__(self, size):
                    super().__init__()
                    self.k, self.q, self.v = (nn.Linear(C, size, bias=False) for _ in range(3))
                    self.register_buffer('mask', torch.tril(torch.ones(T, T)))
                    self.drop = nn.Dropout(p)
                def forward(self, x):
                    t = x.shape[1]
                    k, q = self.k(x), self.q(x)
                    w = (q @ k.transpose(-2, -1)) * k.shape[-1] ** -0.5
                    w = self.drop(F.softmax(w.masked_fill(self.mask[:t, :t] == 0, float('-inf')), dim=-1))
                    return w @ self.v(x)
            class Block(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.heads = nn.ModuleList(OneHead(C // H) for _ in range(H))
                    self.proj, self.drop = nn.Linear(C, C), nn.Dropout(p)
                    self.ff = nn.Sequential(nn.Linear(C, 4 * C), nn.ReLU(), nn.Linear(4 * C, C), nn.Dropout(p))
                    self.ln1, self.ln2 = nn.LayerNorm(C), nn.LayerNorm(C)
                def forward(self, x):
                    h = self.ln1(x)
                    x = x + self.drop(self.proj(torch.cat([head(h) for head in self.heads], dim=-1)))
                    return x + self.ff(self.ln2(x))
            class Model(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.tok, self.pos = nn.Embedding(V, C), nn.Embedding(T, C)
                    self.blocks = nn.Sequential(*[Block() for _ in range(L)])
                    self.ln, self.head = nn.LayerNorm(C), nn.Linear(C, V)
                def forward(self, idx, y):
                    x = self.tok(idx) + self.pos(torch.arange(idx.shape[1]))
                    logits = self.head(self.ln(self.blocks(x)))
                    return F.cross_entropy(logits.view(-1, V), y.view(-1))
            model = Model()
            opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
            def step():
                ix = torch.randint(len(data) - T, (B,))
                x = torch.stack([data[i:i + T] for i in ix])
                y = torch.stack([data[i + 1:i + T + 1] for i in ix])
                loss = model(x, y)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
            for _ in range(2):
                step()
            print('ready', flush=True)
            for line in sys.stdin:
                steps = int(line)
                start = time.perf_counter()
                for _ in range(steps):
                    step()
                print((time.perf_counter() - start) / steps, flush=True)
            """
        return PeerSession(python: python, harness: harness)
    }
}
