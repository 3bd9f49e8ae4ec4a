// The same training steps in PyTorch, run side by side with gradbook's in one `gradbook bench`: the
// lectures' MLP, batch-norm MLP and WaveNet as the lecture notebooks write them (tensors and the
// lecture's own layer classes, SGD by hand, the loss recorded each step), and makemore.py's bag of
// words, Transformer, RNN and GRU as makemore.py writes them (nn.Modules, AdamW, batch 32). Each is
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
        lossi = []
        torch.manual_seed(2147483647)

        def lecture_mlp(batchnorm):
            X, Y = torch.randint(V, (182625, 3)), torch.randint(V, (182625,))
            C = torch.randn((V, 10))
            W1 = torch.randn((30, 200)) * (5/3) / 30**0.5
            b1 = torch.randn(200) * 0.01
            W2 = torch.randn((200, V)) * 0.01
            b2 = torch.randn(V) * 0
            bngain, bnbias = torch.ones((1, 200)), torch.zeros((1, 200))
            state = {'mean': torch.zeros((1, 200)), 'std': torch.ones((1, 200))}
            params = [C, W1, W2, b2] + ([bngain, bnbias] if batchnorm else [b1])
            for p in params:
                p.requires_grad = True
            lr = 0.1
            def step():
                ix = torch.randint(0, X.shape[0], (B,))
                Xb, Yb = X[ix], Y[ix]
                emb = C[Xb]
                embcat = emb.view(emb.shape[0], -1)
                if batchnorm:
                    hpreact = embcat @ W1
                    bnmeani = hpreact.mean(0, keepdim=True)
                    bnstdi = hpreact.std(0, keepdim=True)
                    hpreact = bngain * (hpreact - bnmeani) / bnstdi + bnbias
                    with torch.no_grad():
                        state['mean'] = 0.999 * state['mean'] + 0.001 * bnmeani
                        state['std'] = 0.999 * state['std'] + 0.001 * bnstdi
                else:
                    hpreact = embcat @ W1 + b1
                h = torch.tanh(hpreact)
                logits = h @ W2 + b2
                loss = F.cross_entropy(logits, Yb)
                for p in params:
                    p.grad = None
                loss.backward()
                for p in params:
                    p.data += -lr * p.grad
                lossi.append(loss.log10().item())
            return step

        # makemore part 5's own layers, as the lecture writes them
        class Linear:
            def __init__(self, fan_in, fan_out, bias=True):
                self.weight = torch.randn((fan_in, fan_out)) / fan_in**0.5
                self.bias = torch.zeros(fan_out) if bias else None
            def __call__(self, x):
                self.out = x @ self.weight
                if self.bias is not None:
                    self.out += self.bias
                return self.out
            def parameters(self):
                return [self.weight] + ([] if self.bias is None else [self.bias])
        class BatchNorm1d:
            def __init__(self, dim, eps=1e-5, momentum=0.1):
                self.eps, self.momentum, self.training = eps, momentum, True
                self.gamma, self.beta = torch.ones(dim), torch.zeros(dim)
                self.running_mean, self.running_var = torch.zeros(dim), torch.ones(dim)
            def __call__(self, x):
                if self.training:
                    dim = 0 if x.ndim == 2 else (0, 1)
                    xmean = x.mean(dim, keepdim=True)
                    xvar = x.var(dim, keepdim=True)
                else:
                    xmean, xvar = self.running_mean, self.running_var
                xhat = (x - xmean) / torch.sqrt(xvar + self.eps)
                self.out = self.gamma * xhat + self.beta
                if self.training:
                    with torch.no_grad():
                        self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
                        self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
                return self.out
            def parameters(self):
                return [self.gamma, self.beta]
        class Tanh:
            def __call__(self, x):
                self.out = torch.tanh(x)
                return self.out
            def parameters(self):
                return []
        class Embedding:
            def __init__(self, num, dim):
                self.weight = torch.randn((num, dim))
            def __call__(self, ix):
                self.out = self.weight[ix]
                return self.out
            def parameters(self):
                return [self.weight]
        class FlattenConsecutive:
            def __init__(self, n):
                self.n = n
            def __call__(self, x):
                b, t, c = x.shape
                x = x.view(b, t // self.n, c * self.n)
                if x.shape[1] == 1:
                    x = x.squeeze(1)
                self.out = x
                return self.out
            def parameters(self):
                return []
        class Sequential:
            def __init__(self, layers):
                self.layers = layers
            def __call__(self, x):
                for layer in self.layers:
                    x = layer(x)
                self.out = x
                return self.out
            def parameters(self):
                return [p for layer in self.layers for p in layer.parameters()]

        def wavenet():
            X, Y = torch.randint(V, (182625, 8)), torch.randint(V, (182625,))
            E, H = 24, 128
            model = Sequential([
                Embedding(V, E),
                FlattenConsecutive(2), Linear(E * 2, H, bias=False), BatchNorm1d(H), Tanh(),
                FlattenConsecutive(2), Linear(H * 2, H, bias=False), BatchNorm1d(H), Tanh(),
                FlattenConsecutive(2), Linear(H * 2, H, bias=False), BatchNorm1d(H), Tanh(),
                Linear(H, V),
            ])
            with torch.no_grad():
                model.layers[-1].weight *= 0.1
            params = model.parameters()
            for p in params:
                p.requires_grad = True
            def step():
                ix = torch.randint(0, X.shape[0], (B,))
                Xb, Yb = X[ix], Y[ix]
                logits = model(Xb)
                loss = F.cross_entropy(logits, Yb)
                for p in params:
                    p.grad = None
                loss.backward()
                for p in params:
                    p.data += -0.1 * p.grad
                lossi.append(loss.log10().item())
            return step

        # makemore.py's models, as makemore.py writes them
        T, E, E2 = 16, 64, 64
        class NewGELU(nn.Module):
            def forward(self, x):
                return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))
        class CausalSelfAttention(nn.Module):
            def __init__(self, n_head):
                super().__init__()
                self.c_attn, self.c_proj = nn.Linear(E, 3 * E), nn.Linear(E, E)
                self.register_buffer('bias', torch.tril(torch.ones(T, T)).view(1, 1, T, T))
                self.n_head = n_head
            def forward(self, x):
                b, t, c = x.size()
                q, k, v = self.c_attn(x).split(E, dim=2)
                k = k.view(b, t, self.n_head, c // self.n_head).transpose(1, 2)
                q = q.view(b, t, self.n_head, c // self.n_head).transpose(1, 2)
                v = v.view(b, t, self.n_head, c // self.n_head).transpose(1, 2)
                att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
                att = att.masked_fill(self.bias[:, :, :t, :t] == 0, float('-inf'))
                att = F.softmax(att, dim=-1)
                y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
                return self.c_proj(y)
        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.ln_1, self.attn, self.ln_2 = nn.LayerNorm(E), CausalSelfAttention(4), nn.LayerNorm(E)
                self.mlp = nn.ModuleDict(dict(c_fc=nn.Linear(E, 4 * E), c_proj=nn.Linear(4 * E, E), act=NewGELU()))
                m = self.mlp
                self.mlpf = lambda x: m.c_proj(m.act(m.c_fc(x)))
            def forward(self, x):
                x = x + self.attn(self.ln_1(x))
                return x + self.mlpf(self.ln_2(x))
        class Transformer(nn.Module):
            def __init__(self):
                super().__init__()
                self.transformer = nn.ModuleDict(dict(
                    wte=nn.Embedding(V, E), wpe=nn.Embedding(T, E),
                    h=nn.ModuleList([Block() for _ in range(4)]), ln_f=nn.LayerNorm(E)))
                self.lm_head = nn.Linear(E, V, bias=False)
            def forward(self, idx, targets):
                b, t = idx.size()
                pos = torch.arange(0, t, dtype=torch.long).unsqueeze(0)
                x = self.transformer.wte(idx) + self.transformer.wpe(pos)
                for block in self.transformer.h:
                    x = block(x)
                logits = self.lm_head(self.transformer.ln_f(x))
                return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        class CausalBoW(nn.Module):
            def __init__(self):
                super().__init__()
                self.register_buffer('bias', torch.tril(torch.ones(T, T)).view(1, T, T))
            def forward(self, x):
                b, t, c = x.size()
                att = torch.zeros((b, t, t))
                att = att.masked_fill(self.bias[:, :t, :t] == 0, float('-inf'))
                att = F.softmax(att, dim=-1)
                return att @ x
        class BoWBlock(nn.Module):
            def __init__(self):
                super().__init__()
                self.cbow = CausalBoW()
                self.mlp = nn.ModuleDict(dict(c_fc=nn.Linear(E, E2), c_proj=nn.Linear(E2, E)))
                m = self.mlp
                self.mlpf = lambda x: m.c_proj(F.tanh(m.c_fc(x)))
            def forward(self, x):
                x = x + self.cbow(x)
                return x + self.mlpf(x)
        class BoW(nn.Module):
            def __init__(self):
                super().__init__()
                self.wte, self.wpe = nn.Embedding(V, E), nn.Embedding(T, E)
                self.context_block = BoWBlock()
                self.lm_head = nn.Linear(E, V)
            def forward(self, idx, targets):
                b, t = idx.size()
                pos = torch.arange(0, t, dtype=torch.long).unsqueeze(0)
                x = self.context_block(self.wte(idx) + self.wpe(pos))
                logits = self.lm_head(x)
                return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        class RNNCell(nn.Module):
            def __init__(self):
                super().__init__()
                self.xh_to_h = nn.Linear(E + E2, E2)
            def forward(self, xt, hprev):
                return F.tanh(self.xh_to_h(torch.cat([xt, hprev], dim=1)))
        class GRUCell(nn.Module):
            def __init__(self):
                super().__init__()
                self.xh_to_z, self.xh_to_r, self.xh_to_hbar = (nn.Linear(E + E2, E2) for _ in range(3))
            def forward(self, xt, hprev):
                xh = torch.cat([xt, hprev], dim=1)
                r = F.sigmoid(self.xh_to_r(xh))
                hbar = F.tanh(self.xh_to_hbar(torch.cat([xt, r * hprev], dim=1)))
                z = F.sigmoid(self.xh_to_z(xh))
                return (1 - z) * hprev + z * hbar
        class RNN(nn.Module):
            def __init__(self, cell):
                super().__init__()
                self.start = nn.Parameter(torch.zeros(1, E2))
                self.wte = nn.Embedding(V, E)
                self.cell = cell
                self.lm_head = nn.Linear(E2, V)
            def forward(self, idx, targets):
                b, t = idx.size()
                emb = self.wte(idx)
                hprev = self.start.expand((b, -1))
                hiddens = []
                for i in range(t):
                    hprev = self.cell(emb[:, i, :], hprev)
                    hiddens.append(hprev)
                logits = self.lm_head(torch.stack(hiddens, 1))
                return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)

        def makemore(model):
            # words of 6 letters: the input is '.' then the word, padded; the target the word then '.', then -1
            n = 26089
            X = torch.zeros((n, T), dtype=torch.long)
            Y = torch.full((n, T), -1, dtype=torch.long)
            w = torch.randint(1, V, (n, 6))
            X[:, 1:7], Y[:, :6], Y[:, 6] = w, w, 0
            opt = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.01, betas=(0.9, 0.99), eps=1e-8)
            def step():
                ix = torch.randint(0, n, (B,))
                loss = model(X[ix], Y[ix])
                model.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                lossi.append(loss.item())
            return step

        makers = {
            'mlp': lambda: lecture_mlp(False), 'bn-mlp': lambda: lecture_mlp(True), 'wavenet': wavenet,
            'bow': lambda: makemore(BoW()), 'transformer': lambda: makemore(Transformer()),
            'rnn': lambda: makemore(RNN(RNNCell())), 'gru': lambda: makemore(RNN(GRUCell())),
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
