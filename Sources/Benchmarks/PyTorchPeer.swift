// The same training steps in PyTorch, run side by side with gradbook's in one `gradbook bench`: the
// lectures' MLP, batch-norm MLP and WaveNet computed as the lecture notebooks compute them (plain
// tensors, SGD by hand, the loss recorded each step), and makemore.py's bag of words, Transformer,
// RNN and GRU computed as makemore.py computes them (nn.Linear, nn.LayerNorm and nn.Embedding
// modules, the same ops in the same order, AdamW, batch 32). The code is this project's own. Each is
// timed inside Python after a warm-up, best of five runs, on one thread and on two, and the better
// of the two is PyTorch's figure. PyTorch is looked for in $GRADBOOK_TORCH_PYTHON, else python3.
import Foundation

enum PyTorchPeer {
    /// PyTorch's best seconds per step of `model` (a key of the harness's `makers`), or nil when no
    /// python3 with torch is found.
    static func secondsPerStep(_ model: String, steps: Int) -> Double? {
        let preferred = ProcessInfo.processInfo.environment["GRADBOOK_TORCH_PYTHON"].map { [$0] } ?? []
        guard let python = Benchmark.python(preferring: preferred) else { return nil }
        let spec = "{\"model\": \"\(model)\", \"steps\": \(steps)}"
        guard let text = Benchmark.runPython(python, harness: harness, input: Data(spec.utf8)) else { return nil }
        return text.split(separator: "\n").last.flatMap { Double($0) }
    }

    /// `; PyTorch P steps/s: R× faster  (goal: G×)`, with `BELOW GOAL` when R < G; or how to get
    /// PyTorch when there is none.
    static func comparison(ours: Double, model: String, steps: Int, goal: Double) -> String {
        guard let theirs = secondsPerStep(model, steps: steps) else {
            return "  (no python3 with torch found: pip install torch, or set GRADBOOK_TORCH_PYTHON)"
        }
        let ratio = theirs / ours
        let rate = 1 / theirs
        return String(
            format: "; PyTorch %@ steps/s: %.2f× %@  (goal: %.1f×)%@",
            rate >= 100 ? String(format: "%.0f", rate) : String(format: "%.2f", rate), ratio,
            ratio >= 1 ? "faster" : "(slower)", goal, ratio >= goal ? "" : "  BELOW GOAL")
    }

    static let harness = """
        import sys, time, json, math, torch, torch.nn as nn
        from torch.nn import functional as F
        spec = json.loads(sys.stdin.read())
        name, steps = spec['model'], spec['steps']
        V, B = 27, 32
        torch.manual_seed(2147483647)
        recorded = []

        def sgd_step(params, loss, lr):
            for t in params:
                t.grad = None
            loss.backward()
            for t in params:
                t.data += -lr * t.grad
            recorded.append(loss.log10().item())

        def mlp(norm):
            # part 2's network (and part 3's, with a batch norm before the tanh), written as plain tensors
            X, Y = torch.randint(V, (182625, 3)), torch.randint(V, (182625,))
            table = torch.randn((V, 10))
            w_in = torch.randn((30, 200)) * (5 / 3) / 30 ** 0.5
            b_in = torch.randn(200) * 0.01
            w_out, b_out = torch.randn((200, V)) * 0.01, torch.zeros(V)
            scale, shift = torch.ones((1, 200)), torch.zeros((1, 200))
            stats = [torch.zeros((1, 200)), torch.ones((1, 200))]
            params = [table, w_in, w_out, b_out] + ([scale, shift] if norm else [b_in])
            for t in params:
                t.requires_grad = True
            def step():
                rows = torch.randint(0, X.shape[0], (B,))
                pre = table[X[rows]].view(B, -1) @ w_in
                if norm:
                    mu, sd = pre.mean(0, keepdim=True), pre.std(0, keepdim=True)
                    pre = scale * (pre - mu) / sd + shift
                    with torch.no_grad():
                        stats[0] = 0.999 * stats[0] + 0.001 * mu
                        stats[1] = 0.999 * stats[1] + 0.001 * sd
                else:
                    pre = pre + b_in
                loss = F.cross_entropy(torch.tanh(pre) @ w_out + b_out, Y[rows])
                sgd_step(params, loss, 0.1)
            return step

        def wavenet():
            # part 5's hierarchy: pairs of positions fused three times, each a linear map, a batch norm over
            # every dim but the channels (unbiased variance, running statistics at momentum 0.1) and a tanh
            X, Y = torch.randint(V, (182625, 8)), torch.randint(V, (182625,))
            E, H = 24, 128
            table = torch.randn((V, E))
            levels = []
            for fan_in in (2 * E, 2 * H, 2 * H):
                levels.append({'w': torch.randn((fan_in, H)) / fan_in ** 0.5, 'g': torch.ones(H), 'b': torch.zeros(H),
                               'mean': torch.zeros(H), 'var': torch.ones(H)})
            w_out, b_out = torch.randn((H, V)) / H ** 0.5 * 0.1, torch.zeros(V)
            params = [table] + [lv[k] for lv in levels for k in ('w', 'g', 'b')] + [w_out, b_out]
            for t in params:
                t.requires_grad = True
            def step():
                rows = torch.randint(0, X.shape[0], (B,))
                h = table[X[rows]]
                for lv in levels:
                    n, t, c = h.shape
                    h = h.view(n, t // 2, 2 * c)
                    if h.shape[1] == 1:
                        h = h.squeeze(1)
                    h = h @ lv['w']
                    dims = 0 if h.ndim == 2 else (0, 1)
                    mu, var = h.mean(dims, keepdim=True), h.var(dims, keepdim=True)
                    h = torch.tanh(lv['g'] * ((h - mu) / torch.sqrt(var + 1e-5)) + lv['b'])
                    with torch.no_grad():
                        lv['mean'] = 0.9 * lv['mean'] + 0.1 * mu
                        lv['var'] = 0.9 * lv['var'] + 0.1 * var
                sgd_step(params, F.cross_entropy(h @ w_out + b_out, Y[rows]), 0.1)
            return step

        # makemore.py's whole-word models at its sizes: block 16, 64 channels, each written here as one module
        T, C = 16, 64

        def masked_loss(logits, targets):
            return F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1), ignore_index=-1)

        class TransformerNet(nn.Module):
            def __init__(self, layers=4, heads=4):
                super().__init__()
                self.heads = heads
                self.tokens, self.places = nn.Embedding(V, C), nn.Embedding(T, C)
                self.layers = nn.ModuleList(nn.ModuleDict({
                    'norm1': nn.LayerNorm(C), 'qkv': nn.Linear(C, 3 * C), 'mix': nn.Linear(C, C),
                    'norm2': nn.LayerNorm(C), 'up': nn.Linear(C, 4 * C), 'down': nn.Linear(4 * C, C)}) for _ in range(layers))
                self.norm, self.out = nn.LayerNorm(C), nn.Linear(C, V, bias=False)
                self.register_buffer('causal', torch.tril(torch.ones(T, T)).view(1, 1, T, T))
            def attend(self, layer, x):
                n, t, _ = x.shape
                q, k, v = (u.view(n, t, self.heads, C // self.heads).transpose(1, 2)
                           for u in layer['qkv'](x).split(C, dim=2))
                w = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
                w = F.softmax(w.masked_fill(self.causal[:, :, :t, :t] == 0, float('-inf')), dim=-1)
                return layer['mix']((w @ v).transpose(1, 2).contiguous().view(n, t, C))
            def forward(self, idx, targets):
                x = self.tokens(idx) + self.places(torch.arange(idx.shape[1]).unsqueeze(0))
                for layer in self.layers:
                    x = x + self.attend(layer, layer['norm1'](x))
                    u = layer['up'](layer['norm2'](x))
                    u = 0.5 * u * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (u + 0.044715 * torch.pow(u, 3.0))))
                    x = x + layer['down'](u)
                return masked_loss(self.out(self.norm(x)), targets)

        class AveragingNet(nn.Module):
            def __init__(self):
                super().__init__()
                self.tokens, self.places = nn.Embedding(V, C), nn.Embedding(T, C)
                self.up, self.down, self.out = nn.Linear(C, C), nn.Linear(C, C), nn.Linear(C, V)
                self.register_buffer('causal', torch.tril(torch.ones(T, T)).view(1, T, T))
            def forward(self, idx, targets):
                n, t = idx.shape
                x = self.tokens(idx) + self.places(torch.arange(t).unsqueeze(0))
                w = torch.zeros((n, t, t)).masked_fill(self.causal[:, :t, :t] == 0, float('-inf'))
                x = x + F.softmax(w, dim=-1) @ x
                x = x + self.down(F.tanh(self.up(x)))
                return masked_loss(self.out(x), targets)

        class RecurrentNet(nn.Module):
            def __init__(self, gated):
                super().__init__()
                self.gated = gated
                self.start = nn.Parameter(torch.zeros(1, C))
                self.tokens = nn.Embedding(V, C)
                self.gates = nn.ModuleList(nn.Linear(2 * C, C) for _ in range(3 if gated else 1))
                self.out = nn.Linear(C, V)
            def cell(self, x, h):
                both = torch.cat([x, h], dim=1)
                if not self.gated:
                    return F.tanh(self.gates[0](both))
                update, reset, candidate = self.gates
                r = F.sigmoid(reset(both))
                proposal = F.tanh(candidate(torch.cat([x, r * h], dim=1)))
                z = F.sigmoid(update(both))
                return (1 - z) * h + z * proposal
            def forward(self, idx, targets):
                e = self.tokens(idx)
                h = self.start.expand((idx.shape[0], -1))
                states = []
                for i in range(idx.shape[1]):
                    h = self.cell(e[:, i, :], h)
                    states.append(h)
                return masked_loss(self.out(torch.stack(states, 1)), targets)

        def whole_words(model):
            # words of 6 letters: the input is '.' then the word, padded; the target the word then '.', then -1
            n = 26089
            X = torch.zeros((n, T), dtype=torch.long)
            Y = torch.full((n, T), -1, dtype=torch.long)
            w = torch.randint(1, V, (n, 6))
            X[:, 1:7], Y[:, :6], Y[:, 6] = w, w, 0
            opt = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.01, betas=(0.9, 0.99), eps=1e-8)
            def step():
                rows = torch.randint(0, n, (B,))
                loss = model(X[rows], Y[rows])
                model.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                recorded.append(loss.item())
            return step

        makers = {
            'mlp': lambda: mlp(False), 'bn-mlp': lambda: mlp(True), 'wavenet': wavenet,
            'bow': lambda: whole_words(AveragingNet()), 'transformer': lambda: whole_words(TransformerNet()),
            'rnn': lambda: whole_words(RecurrentNet(False)), 'gru': lambda: whole_words(RecurrentNet(True)),
        }
        best = float('inf')
        for threads in (1, 2):
            torch.set_num_threads(threads)
            step = makers[name]()
            for _ in range(steps):
                step()
            for _ in range(5):
                start = time.perf_counter()
                for _ in range(steps):
                    step()
                best = min(best, (time.perf_counter() - start) / steps)
        print(best)
        """
}
