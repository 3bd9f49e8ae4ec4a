// Tensor code typed at the prompt, in the forms the makemore lectures use: each cell here was
// written for these tests, and what it prints is what PyTorch prints for the same cell (the
// lectures' printed numbers where the cell does the lecture's computation; PyTorch 2.x's output
// for the rest).
import Foundation
import TestSupport
import Testing

@testable import Notebook
@testable import NotebookLanguage

@Suite("torch: the bigram lecture's numbers")
struct TorchBigramTests {
    static let names = Reference.packageRoot.appendingPathComponent("names.txt").path

    static let vocabulary = """
        words = open('\(names)', 'r').read().splitlines()
        import torch
        chars = sorted(list(set(''.join(words))))
        stoi = {s: i + 1 for i, s in enumerate(chars)}
        stoi['.'] = 0
        itos = {i: s for s, i in stoi.items()}
        """

    @Test func countsProbabilitiesSamplesAndLikelihood() {
        let counting = """
            N = torch.zeros((27, 27), dtype=torch.int32)
            for w in words:
                chs = ['.'] + list(w) + ['.']
                for a, b in zip(chs, chs[1:]):
                    N[stoi[a], stoi[b]] += 1
            """
        let sampling = """
            g = torch.Generator().manual_seed(2147483647)
            for i in range(5):
                out = []
                ix = 0
                while True:
                    ix = torch.multinomial(P[ix], num_samples=1, replacement=True, generator=g).item()
                    out.append(itos[ix])
                    if ix == 0:
                        break
                print(''.join(out))
            """
        let likelihood = """
            log_likelihood = 0.0
            n = 0
            for w in words:
                chs = ['.'] + list(w) + ['.']
                for a, b in zip(chs, chs[1:]):
                    log_likelihood += torch.log(P[stoi[a], stoi[b]])
                    n += 1
            print(f'{log_likelihood=}')
            print(f'{-log_likelihood/n}')
            """
        let text = transcript([
            Self.vocabulary, counting, "N[0]", "p = N[0].float()\np = p / p.sum()\np",
            "g = torch.Generator().manual_seed(2147483647)",
            "itos[torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()]",
            "P = (N + 1).float()\nP /= P.sum(1, keepdims=True)", sampling, likelihood,
            // Today's PyTorch draws one sample with replacement by an exponential race: other names.
            "multinomial today", sampling
        ])
        #expect(
            text == """
                tensor([   0, 4410, 1306, 1542, 1690, 1531,  417,  669,  874,  591, 2422, 2963,
                        1572, 2538, 1146,  394,  515,   92, 1639, 2055, 1308,   78,  376,  307,
                         134,  535,  929], dtype=torch.int32)
                tensor([0.0000, 0.1377, 0.0408, 0.0481, 0.0528, 0.0478, 0.0130, 0.0209, 0.0273,
                        0.0184, 0.0756, 0.0925, 0.0491, 0.0792, 0.0358, 0.0123, 0.0161, 0.0029,
                        0.0512, 0.0642, 0.0408, 0.0024, 0.0117, 0.0096, 0.0042, 0.0167, 0.0290])
                'm'
                mor.
                axx.
                minaymoryles.
                kondlaisah.
                anchshizarie.
                log_likelihood=tensor(-559951.5625)
                2.4543561935424805
                multinomial: today's PyTorch (one draw with replacement is an exponential race)
                cexze.
                momasurailezitynn.
                konimittain.
                llayn.
                ka.

                """)
    }

    @Test func randAndAHundredDraws() {
        let text = transcript([
            "import torch", "g = torch.Generator().manual_seed(2147483647)",
            "p = torch.rand(3, generator=g)\np = p / p.sum()\np",
            "torch.multinomial(p, num_samples=100, replacement=True, generator=g)", "p.shape"
        ])
        #expect(
            text == """
                tensor([0.6064, 0.3033, 0.0903])
                tensor([1, 1, 2, 0, 0, 2, 1, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 2, 0, 0,
                        1, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1,
                        0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0,
                        0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 1, 0,
                        0, 1, 1, 1])
                torch.Size([3])

                """)
    }

    /// The neural bigram on "emma": the lecture's probabilities for '.', its loss to the last digit,
    /// and gradient descent through `W.grad`, `W.data` and `loss.backward()`.
    @Test func theNeuralBigramOnEmma() {
        let examples = """
            xs, ys = [], []
            for w in words[:1]:
                chs = ['.'] + list(w) + ['.']
                for a, b in zip(chs, chs[1:]):
                    xs.append(stoi[a])
                    ys.append(stoi[b])
            xs = torch.tensor(xs)
            ys = torch.tensor(ys)
            import torch.nn.functional as F
            """
        let forward = """
            g = torch.Generator().manual_seed(2147483647)
            W = torch.randn((27, 27), generator=g, requires_grad=True)
            xenc = F.one_hot(xs, num_classes=27).float()
            counts = (xenc @ W).exp()
            probs = counts / counts.sum(1, keepdims=True)
            """
        let nlls = """
            nlls = torch.zeros(5)
            for i in range(5):
                nlls[i] = -torch.log(probs[i, ys[i].item()])
            print(nlls.mean().item())
            """
        let descent = """
            for k in range(3):
                counts = (F.one_hot(xs, num_classes=27).float() @ W).exp()
                probs = counts / counts.sum(1, keepdims=True)
                loss = -probs[torch.arange(5), ys].log().mean()
                print(loss.item())
                W.grad = None
                loss.backward()
                W.data += -0.1 * W.grad
            """
        let text = transcript([
            Self.vocabulary, examples, "xs", "xenc = F.one_hot(xs, num_classes=27).float()\nxenc.shape", forward,
            "probs[0]", nlls, descent, "loss"
        ])
        #expect(
            text.hasPrefix(
                """
                tensor([ 0,  5, 13, 13,  1])
                torch.Size([5, 27])
                tensor([0.0607, 0.0100, 0.0123, 0.0042, 0.0168, 0.0123, 0.0027, 0.0232, 0.0137,
                        0.0313, 0.0079, 0.0278, 0.0091, 0.0082, 0.0500, 0.2378, 0.0603, 0.0025,
                        0.0249, 0.0055, 0.0339, 0.0109, 0.0029, 0.0198, 0.0118, 0.1537, 0.1459],
                       grad_fn=<SelectBackward0>)
                3.7693049907684326
                3.7693049907684326
                3.7492127418518066

                """), "\(text)")
        // The third step: PyTorch prints 3.7291626930236816; its gradient's sums run in another order, 1 ulp apart.
        let third = text.split(separator: "\n").dropLast().last.flatMap { Double($0) } ?? 0
        #expect(abs(third - 3.7291626930236816) < 1e-6, "\(text)")
        #expect(text.hasSuffix("\ntensor(3.7292, grad_fn=<NegBackward0>)\n"))
    }
}

@Suite("torch: printing, indexing and errors as PyTorch")
struct TorchPrintingTests {
    /// Each cell and what PyTorch 2.x printed for it.
    @Test(arguments: [
        ("torch.tensor([1.5, -2.0, 1e-5])", "tensor([ 1.5000e+00, -2.0000e+00,  1.0000e-05])"),
        ("torch.tensor([123456789.0, 1.0])", "tensor([1.2346e+08, 1.0000e+00])"),
        ("torch.tensor([float('nan'), 1.5, float('inf')])", "tensor([   nan, 1.5000,    inf])"),
        ("torch.tensor([[1, 2], [3, 40000]])", "tensor([[    1,     2],\n        [    3, 40000]])"),
        ("torch.tensor([True, False])", "tensor([ True, False])"),
        ("torch.zeros((2, 0))", "tensor([], size=(2, 0))"),
        ("torch.zeros(0, dtype=torch.int64)", "tensor([], dtype=torch.int64)"),
        (
            "torch.arange(2000).float() / 7",
            "tensor([0.0000e+00, 1.4286e-01, 2.8571e-01,  ..., 2.8529e+02, 2.8543e+02,\n        2.8557e+02])"
        ),
        (
            "torch.arange(24).view(2, 3, 4)[1]",
            "tensor([[12, 13, 14, 15],\n        [16, 17, 18, 19],\n        [20, 21, 22, 23]])"
        ),
        (
            "torch.ones(2, 40, requires_grad=True) * 2",
            """
            tensor([[2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2.,
                     2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2.,
                     2., 2., 2., 2.],
                    [2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2.,
                     2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2., 2.,
                     2., 2., 2., 2.]], grad_fn=<MulBackward0>)
            """
        ),
        ("torch.zeros((2, 3), dtype=torch.int32)", "tensor([[0, 0, 0],\n        [0, 0, 0]], dtype=torch.int32)"),
        ("torch.arange(12).view(3, 4)[[0, 2], [1, 3]]", "tensor([ 1, 11])"),
        ("torch.arange(12).view(3, 4)[1:, ::2]", "tensor([[ 4,  6],\n        [ 8, 10]])"),
        (
            "torch.arange(12).view(3, 4) > 5",
            """
            tensor([[False, False, False, False],
                    [False, False,  True,  True],
                    [ True,  True,  True,  True]])
            """
        ),
        (
            "torch.arange(12).view(3, 4).float().max(1)",
            "torch.return_types.max(\nvalues=tensor([ 3.,  7., 11.]),\nindices=tensor([3, 3, 3]))"
        ),
        ("torch.arange(6) // 4", "tensor([0, 0, 0, 0, 1, 1])"),
        ("torch.arange(6) / 4", "tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000, 1.2500])"),
        ("torch.arange(12).view(3, 4).float().var(0)", "tensor([16., 16., 16., 16.])"),
        (
            "torch.randn(3, 4, generator=torch.Generator().manual_seed(42)).softmax(1)",
            """
            tensor([[0.2767, 0.2248, 0.2498, 0.2488],
                    [0.0302, 0.0770, 0.8439, 0.0490],
                    [0.2317, 0.1908, 0.2493, 0.3281]])
            """
        ),
        ("torch.stack([torch.ones(2), torch.zeros(2)], 1)", "tensor([[1., 0.],\n        [1., 0.]])"),
        ("torch.randint(0, 10, (8,), generator=torch.Generator().manual_seed(3))", "tensor([6, 8, 7, 7, 0, 0, 0, 5])"),
        ("torch.randperm(6, generator=torch.Generator().manual_seed(3))", "tensor([4, 0, 3, 2, 1, 5])"),
        ("torch.linspace(0, 1, 5)", "tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])"),
        ("10 ** torch.linspace(-3, 0, 7)", "tensor([0.0010, 0.0032, 0.0100, 0.0316, 0.1000, 0.3162, 1.0000])"),
        ("torch.unbind(torch.arange(6).view(2, 3), 1)", "(tensor([0, 3]), tensor([1, 4]), tensor([2, 5]))")
    ])
    func printsAsPyTorch(_ cell: String, _ expected: String) {
        #expect(lastOutput(["import torch", cell]) == expected + "\n")
    }

    /// Mistakes end in one line with PyTorch's words (and the column of the op that refused).
    @Test(arguments: [
        (
            "torch.ones(3) + torch.ones(4)",
            "RuntimeError: The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0"
        ),
        (
            "torch.ones(2, 3) @ torch.ones(2, 3)",
            "RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)"
        ),
        ("torch.ones(3)[5]", "IndexError: index 5 is out of bounds for dimension 0 with size 3"),
        ("torch.ones(3, 4)[1, 2, 3]", "IndexError: too many indices for tensor of dimension 2"),
        ("torch.ones(6).view(4, -1)", "RuntimeError: shape '[4, -1]' is invalid for input of size 6"),
        ("torch.ones(3).item()", "RuntimeError: a Tensor with 3 elements cannot be converted to Scalar"),
        (
            "torch.ones(3).sum(2)",
            "IndexError: Dimension out of range (expected to be in range of [-1, 0], but got 2)"
        ),
        (
            "torch.cat([torch.ones(2, 3), torch.ones(1, 2)], 1)",
            "RuntimeError: Sizes of tensors must match except in dimension 1. Expected size 2 but got size 1 for tensor number 1 in the list."
        ),
        (
            "torch.ones(3, dtype=torch.int64).mean()",
            "RuntimeError: mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long"
        )
    ])
    func mistakesInPyTorchsWords(_ cell: String, _ expected: String) {
        let output = lastOutput(["import torch", cell])
        #expect(output.hasSuffix("error: " + expected + "\n"), "\(output)")
        #expect(output.split(separator: "\n").filter { $0.hasPrefix("error:") }.count == 1)
    }

    /// Numbers at the edges of 64 bits, huge shapes and coordinates: each is a value or one line,
    /// never a trap (int64's -2**63 // -1, % -1 and abs wrap as PyTorch's do).
    @Test func edgesNeverTrap() {
        let cells = [
            "torch.tensor([9223372036854775807, -9223372036854775807])", "torch.tensor([2**62]) * 4",
            "torch.arange(0, 1e300)", "torch.randint(-2**62 * 2, 2**62, (2,))",
            "t = torch.zeros(3, dtype=torch.int64)\nt.fill_(1e300)", "torch.tensor([9223372036854775807]).cumsum(0)",
            "np.zeros((2**40, 2**40))", "torch.Size([2**40, 2**40]).numel()", "plt.imshow(torch.zeros(3000, 3000))",
            "plt.text(1e300, float('nan'), 'x')\nplt.show()", "np.array([2**62]) * 4",
            "torch.tensor([float('nan')]).long()",
            "a = torch.tensor([-9223372036854775807 - 1])\nprint(a // -1, a % -1, a.abs(), torch.tensor(3).cumsum(0))",
            "torch.ones(4).view(2**32, 2**32)", "torch.tensor(5.0).size(0)", "torch.tensor(3).max(0)"
        ]
        let output = transcript(["import torch\nimport numpy as np\nimport matplotlib.pyplot as plt"] + cells)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("    ") }  // the echoed line and its caret
            .joined(separator: "\n")
        #expect(
            output == """
                tensor([ 9223372036854775807, -9223372036854775807])
                tensor([0])
                error: RuntimeError: (9223372036854775807,) has more than 1073741824 elements
                error: RuntimeError: randint: the range from -9223372036854775808 to 4611686018427387904 is wider than 64 bits
                tensor([9223372036854775807, 9223372036854775807, 9223372036854775807])
                tensor([9223372036854775807])
                error: ValueError: array is too big: its number of elements does not fit in 64 bits
                error: OverflowError: the shape's number of elements does not fit in 64 bits
                error: ValueError: imshow draws at most 4,000,000 cells, not 9000000; show a slice (t[:1000, :1000])
                array([9223372036854775807])
                tensor([-9223372036854775808])
                tensor([-9223372036854775808]) tensor([0]) tensor([-9223372036854775808]) tensor(3)
                error: RuntimeError: shape '[4294967296, 4294967296]' is invalid for input of size 4
                error: IndexError: Dimension specified as 0 but tensor has no dimensions
                torch.return_types.max(
                values=tensor(3),
                indices=tensor(0))

                """, "\(output)")
    }

    /// Every tensor method, float32 and float64, on a 0-d, an empty, an integer, a bool, a vector
    /// and a matrix tensor, with odd arguments: each call is a value or a one-line error, never a
    /// trap (a trap would end the test run), and the session goes on afterwards.
    @Test func everyMethodWithOddArgumentsAnswers() {
        let tensors = [
            "torch.tensor(5.0, requires_grad=True)", "torch.tensor([])", "torch.zeros((2, 0))", "torch.tensor(3)",
            "torch.tensor([True, False])", "torch.tensor([[1.0, 2.0], [3.0, -4.0]])",
            "torch.tensor(5.0, dtype=torch.float64, requires_grad=True)", "torch.tensor([], dtype=torch.float64)",
            "torch.tensor([[1.5], [2.0]], dtype=torch.float64, requires_grad=True)"
        ]
        let arguments = [
            "", "0", "-1", "5", "-3", "None", "'a'", "dim=0", "1, 0", "0, 5", "(0,)", "1e308", "True", "keepdim=True"
        ]
        let methods = Set(TensorObject.methodNames + DoubleTensorObject.methodNames).sorted()
        var lines = ["import torch"]
        for (i, make) in tensors.enumerated() {
            lines.append("t\(i) = \(make)")
            for method in methods {
                for argument in arguments { lines.append("r = t\(i).\(method)(\(argument))") }
            }
            for index in ["0", "-1", "5", ":", "::-1", "None", "...", "[0]", "0, 0", "torch.tensor([0])", "True"] {
                lines += ["t\(i)[\(index)]", "t\(i)[\(index)] = 1.0"]
            }
        }
        let (session, output) = makeSession()
        for line in lines { session.execute(line) }
        session.execute("print('still here')")
        let text = output.text
        #expect(text.hasSuffix("still here\n"))
        let errors = text.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.count > 1000, "\(errors.count) errors")
        // What once trapped: the size of a 0-d tensor along a dim, float32 and float64.
        #expect(
            errors.filter { $0 == "error: IndexError: Dimension specified as 0 but tensor has no dimensions" }.count
                >= 4)
    }

    @Test func gradientsThroughIndexingAndMatmul() {
        let cell = """
            x = torch.randn(4, 5, generator=torch.Generator().manual_seed(1), requires_grad=True)
            y = (x @ x.T).sum()
            y.backward()
            """
        // PyTorch 2.x's printout of the same cell's y and x.grad.
        #expect(
            transcript(["import torch", cell, "y", "x.grad", "x[0].sum()"]) == """
                tensor(16.7717, grad_fn=<SumBackward0>)
                tensor([[ 0.7092, -4.6139,  1.1004, -3.0255,  5.9103],
                        [ 0.7092, -4.6139,  1.1004, -3.0255,  5.9103],
                        [ 0.7092, -4.6139,  1.1004, -3.0255,  5.9103],
                        [ 0.7092, -4.6139,  1.1004, -3.0255,  5.9103]])
                tensor(-3.6736, grad_fn=<SumBackward0>)

                """)
    }

    @Test func noGradInPlaceAndDecorators() {
        let output = transcript([
            "import torch", "w = torch.ones(3, requires_grad=True)", "w += 1",
            "with torch.no_grad():\n    w *= 0.5", "w",
            "@torch.no_grad()\ndef double(t):\n    return t * 2", "double(w)", "w * 2"
        ])
        #expect(
            output.contains(
                "error: RuntimeError: a leaf Variable that requires grad is being used in an in-place operation"))
        #expect(
            output.hasSuffix(
                """
                tensor([0.5000, 0.5000, 0.5000], requires_grad=True)
                tensor([1., 1., 1.])
                tensor([1., 1., 1.], grad_fn=<MulBackward0>)

                """), "\(output)")
    }
}

@Suite("torch: backprop ninja")
struct TorchBackpropNinjaTests {
    /// A batch-normed MLP's forward pass in small steps, every intermediate's gradient written by
    /// hand, and `cmp` against autograd: every one is exact, as the lecture's were (the Engine sums a
    /// broadcast op's gradient as `sum` sums, so a hand-written `.sum(0)` is the same float).
    @Test func everyHandWrittenGradientIsExact() {
        let forward = """
            import torch
            import torch.nn.functional as F
            g = torch.Generator().manual_seed(42)
            X = torch.randint(0, 27, (16, 3), generator=g)
            Y = torch.randint(0, 27, (16,), generator=g)
            E = torch.randn((27, 8), generator=g)
            Wa = torch.randn((24, 32), generator=g) * 0.3
            ba = torch.randn(32, generator=g) * 0.1
            Wb = torch.randn((32, 27), generator=g) * 0.1
            bb = torch.randn(27, generator=g) * 0.1
            gain = torch.randn((1, 32), generator=g) * 0.1 + 1.0
            shift = torch.randn((1, 32), generator=g) * 0.1
            params = [E, Wa, ba, Wb, bb, gain, shift]
            for p in params:
                p.requires_grad = True
            B = 16
            xe = E[X]
            xcat = xe.view(B, -1)
            pre = xcat @ Wa + ba
            mu = 1/B*pre.sum(0, keepdim=True)
            dev = pre - mu
            sq = dev**2
            var = 1/(B-1)*sq.sum(0, keepdim=True)
            inv = (var + 1e-5)**-0.5
            norm = dev * inv
            act = gain * norm + shift
            h = torch.tanh(act)
            z = h @ Wb + bb
            zmax = z.max(1, keepdim=True).values
            zs = z - zmax
            ez = zs.exp()
            ezsum = ez.sum(1, keepdims=True)
            ezinv = ezsum**-1
            p = ez * ezinv
            lp = p.log()
            loss = -lp[range(B), Y].mean()
            for t in [lp, p, ez, ezsum, ezinv, zs, zmax, z, h, act, norm, inv, var, sq, dev, pre, mu, xcat, xe]:
                t.retain_grad()
            loss.backward()
            """
        let manual = """
            dlp = torch.zeros_like(lp)
            dlp[range(B), Y] = -1.0/B
            dp = (1.0 / p) * dlp
            dezinv = (ez * dp).sum(1, keepdim=True)
            dez = ezinv * dp
            dezsum = (-ezsum**-2) * dezinv
            dez += torch.ones_like(ez) * dezsum
            dzs = ez * dez
            dz = dzs.clone()
            dzmax = (-dzs).sum(1, keepdim=True)
            dz += F.one_hot(z.max(1).indices, num_classes=z.shape[1]) * dzmax
            dh = dz @ Wb.T
            dWb = h.T @ dz
            dbb = dz.sum(0)
            dact = (1.0 - h**2) * dh
            dgain = (norm * dact).sum(0, keepdim=True)
            dnorm = gain * dact
            dshift = dact.sum(0, keepdim=True)
            ddev = inv * dnorm
            dinv = (dev * dnorm).sum(0, keepdim=True)
            dvar = (-0.5*(var + 1e-5)**-1.5) * dinv
            dsq = (1.0/(B-1))*torch.ones_like(sq) * dvar
            ddev += (2*dev) * dsq
            dpre = ddev.clone()
            dmu = (-ddev).sum(0, keepdim=True)
            dpre += 1.0/B * (torch.ones_like(pre) * dmu)
            dxcat = dpre @ Wa.T
            dWa = xcat.T @ dpre
            dba = dpre.sum(0)
            dxe = dxcat.view(xe.shape)
            dE = torch.zeros_like(E)
            for k in range(X.shape[0]):
                for j in range(X.shape[1]):
                    dE[X[k, j]] += dxe[k, j]
            """
        let checks = """
            for name, d, t in [('lp', dlp, lp), ('p', dp, p), ('ezinv', dezinv, ezinv), ('ezsum', dezsum, ezsum), ('ez', dez, ez), ('zs', dzs, zs), ('zmax', dzmax, zmax), ('z', dz, z), ('h', dh, h), ('Wb', dWb, Wb), ('bb', dbb, bb), ('act', dact, act), ('gain', dgain, gain), ('shift', dshift, shift), ('norm', dnorm, norm), ('inv', dinv, inv), ('var', dvar, var), ('sq', dsq, sq), ('dev', ddev, dev), ('mu', dmu, mu), ('pre', dpre, pre), ('xcat', dxcat, xcat), ('Wa', dWa, Wa), ('ba', dba, ba), ('xe', dxe, xe), ('E', dE, E)]:
                cmp(name, d, t)
            """
        let output = transcript([forward, manual, checks])
        let names = [
            "lp", "p", "ezinv", "ezsum", "ez", "zs", "zmax", "z", "h", "Wb", "bb", "act", "gain", "shift", "norm",
            "inv", "var", "sq", "dev", "mu", "pre", "xcat", "Wa", "ba", "xe", "E"
        ]
        let expected = names.map { name in
            name.padding(toLength: 15, withPad: " ", startingAt: 0)
                + " | exact: True  | approximate: True  | maxdiff: 0.0 | shape is correct: True\n"
        }
        #expect(output == expected.joined(), "\(output)")
    }

    /// Exercise 2's one-line gradient of cross-entropy: softmax, minus one at the targets, over n.
    /// It is the same number to within float rounding, not bit for bit, as in the lecture.
    @Test func crossEntropyInOneLine() {
        let cell = """
            import torch
            import torch.nn.functional as F
            g = torch.Generator().manual_seed(7)
            logits = torch.randn((8, 5), generator=g, requires_grad=True)
            Y = torch.randint(0, 5, (8,), generator=g)
            loss = F.cross_entropy(logits, Y)
            loss.backward()
            d = F.softmax(logits, 1)
            d[range(8), Y] -= 1
            d /= 8
            """
        let output = transcript([cell, "cmp('logits', d, logits)", "cmp('loss', torch.ones(3), loss)"])
        let lines = output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("logits          | exact: ") == true, "\(output)")
        #expect(lines.first?.contains("| approximate: True  | maxdiff: ") == true, "\(output)")
        let maxdiff = lines.first?.split(separator: " ").dropLast(5).last.flatMap { Double($0) } ?? 1
        #expect(maxdiff < 1e-7, "\(output)")
        #expect(
            output.hasSuffix(
                "error: RuntimeError: loss has no .grad to compare with: call t.retain_grad() before loss.backward() for an intermediate\n"
            ))
    }
}

@Suite("matplotlib.pyplot as plt")
struct PyplotTests {
    /// An image of counts with a label in every cell, as the bigram lecture draws N: the figure is
    /// built by the whole cell and drawn when it ends, shades first, then the cells' labels.
    @Test func anImageWithTextInItsCells() {
        let cell = """
            import torch
            import matplotlib.pyplot as plt
            M = torch.tensor([[0, 3], [2, 5]], dtype=torch.int32)
            names = ['x', 'y']
            plt.figure(figsize=(4, 4))
            plt.imshow(M, cmap='Blues')
            for r in range(2):
                for c in range(2):
                    plt.text(c, r, names[r] + names[c], ha='center', va='bottom', color='gray')
                    plt.text(c, r, M[r, c].item(), ha='center', va='top', color='gray')
            plt.axis('off');
            print('drawn after this line')
            """
        #expect(
            transcript([cell]) == """
                drawn after this line
                0 ┤  ▒▒
                1 ┤▒▒██
                  └─┬─┬
                    0
                value: ' ' = 0, ░ ▒ ▓, █ = 5
                xx xy
                 0  3
                yx yy
                 2  5

                """)
    }

    /// A line per `plt.plot`, drawn at `plt.show()`; a tensor plots as its values; `savefig` writes
    /// the figure as SVG.
    @Test func plotShowAndSavefig() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pyplot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("loss.svg").path
        let (session, output) = makeSession()
        session.execute("import torch\nimport matplotlib.pyplot as plt")
        session.execute(
            "plt.plot(torch.tensor([3.0, 2.0, 1.5, 1.25]))\nplt.title('loss')\nplt.savefig('\(file)')\nplt.show()")
        let text = output.take()
        #expect(text.hasPrefix("wrote \(file)\n"), "\(text)")
        #expect(text.contains("loss"))
        #expect(text.contains("⠉") || text.contains("⠒") || text.contains("⣀"), "\(text)")
        let svgText = try String(contentsOfFile: file, encoding: .utf8)
        #expect(svgText.hasPrefix("<svg") && svgText.contains("loss"))
        session.execute("plt.savefig('\(directory.path)/empty.svg')")
        #expect(
            output.take().hasSuffix(
                "error: ValueError: savefig(): the figure is empty; draw something first (plt.plot(…))\n"))
        session.execute("plt.plot([1, 2], [3])")
        #expect(
            output.take().hasSuffix(
                "error: ValueError: x and y must have same first dimension, but have shapes (2,) and (1,)\n"))
    }
}

@Suite("torch: makemore part 3's layers")
struct TorchLayersTests {
    /// Layers written as classes over tensors (a linear layer, a batch norm with running statistics
    /// under no_grad, tanh), trained three steps, then their activations and gradients inspected,
    /// in the forms of makemore part 3. The expected text is what PyTorch 2.x prints for the cells.
    @Test func classesOfLayersTrainAndReport() {
        let cells = [
            """
            import torch
            """,
            """
            import torch.nn.functional as F
            """,
            """
            g = torch.Generator().manual_seed(2147483647)
            """,
            """
            Xtr = torch.randint(0, 27, (1000, 3), generator=g)
            """,
            """
            Ytr = torch.randint(0, 27, (1000,), generator=g)
            """,
            """
            class Dense:
                def __init__(self, n_in, n_out, bias=True):
                    self.weight = torch.randn((n_in, n_out), generator=g) / n_in**0.5
                    self.bias = torch.zeros(n_out) if bias else None
                def __call__(self, x):
                    self.out = x @ self.weight
                    if self.bias is not None:
                        self.out += self.bias
                    return self.out
                def parameters(self):
                    return [self.weight] + ([] if self.bias is None else [self.bias])
            """,
            """
            class Norm:
                def __init__(self, dim, eps=1e-5, momentum=0.1):
                    self.eps, self.momentum, self.training = eps, momentum, True
                    self.gamma, self.beta = torch.ones(dim), torch.zeros(dim)
                    self.running_mean, self.running_var = torch.zeros(dim), torch.ones(dim)
                def __call__(self, x):
                    mean = x.mean(0, keepdim=True) if self.training else self.running_mean
                    var = x.var(0, keepdim=True) if self.training else self.running_var
                    self.out = self.gamma * (x - mean) / torch.sqrt(var + self.eps) + self.beta
                    if self.training:
                        with torch.no_grad():
                            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
                            self.running_var = (1 - self.momentum) * self.running_var + self.momentum * var
                    return self.out
                def parameters(self):
                    return [self.gamma, self.beta]
            """,
            """
            class Squash:
                def __call__(self, x):
                    self.out = torch.tanh(x)
                    return self.out
                def parameters(self):
                    return []
            """,
            """
            C = torch.randn((27, 10), generator=g)
            """,
            """
            layers = [Dense(30, 100, bias=False), Norm(100), Squash(), Dense(100, 100, bias=False), Norm(100), Squash(), Dense(100, 27, bias=False), Norm(27)]
            """,
            """
            with torch.no_grad():
                layers[-1].gamma *= 0.1
            """,
            """
            parameters = [C] + [p for layer in layers for p in layer.parameters()]
            """,
            """
            for p in parameters:
                p.requires_grad = True
            """,
            """
            print(sum(p.nelement() for p in parameters))
            """,
            """
            for step in range(3):
                ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
                x = C[Xtr[ix]].view(32, -1)
                for layer in layers:
                    x = layer(x)
                loss = F.cross_entropy(x, Ytr[ix])
                for layer in layers:
                    layer.out.retain_grad()
                for p in parameters:
                    p.grad = None
                loss.backward()
                for p in parameters:
                    p.data += -0.1 * p.grad
                print(f'{step}: {loss.item():.4f}')
            """,
            """
            for i, layer in enumerate(layers):
                if isinstance(layer, Squash):
                    t = layer.out
                    print('layer %d (%s): mean %+.2f, std %.2f, saturated: %.2f%%' % (i, layer.__class__.__name__, t.mean(), t.std(), (t.abs() > 0.97).float().mean() * 100))
                    print('  grad std %.4e' % layer.out.grad.std())
            """,
            """
            hy, hx = torch.histogram(layers[2].out.detach(), bins=5, density=True)
            """,
            """
            hy
            """,
            """
            hx
            """,
            """
            layers[1].running_mean[0, :4]
            """
        ]
        #expect(
            transcript(cells) == """
                16424
                0: 3.3157
                1: 3.2947
                2: 3.2960
                layer 2 (Squash): mean -0.00, std 0.62, saturated: 3.09%
                  grad std 5.7564e-04
                layer 5 (Squash): mean +0.00, std 0.63, saturated: 3.16%
                  grad std 4.9884e-04
                tensor([0.5985, 0.4554, 0.4288, 0.4202, 0.6009])
                tensor([-0.9984, -0.5990, -0.1996,  0.1998,  0.5992,  0.9986])
                tensor([-0.0376, -0.0108, -0.1024,  0.0291])

                """)
    }
}

@Suite("numpy as the micrograd lecture uses it")
struct NumpyTests {
    /// Each cell and what numpy 2.x printed for it: the same digits, alignment and line breaks.
    @Test(arguments: [
        (
            "np.arange(-5, 5, 0.25)",
            "array([-5.  , -4.75, -4.5 , -4.25, -4.  , -3.75, -3.5 , -3.25, -3.  ,\n       -2.75, -2.5 , -2.25, -2.  , -1.75, -1.5 , -1.25, -1.  , -0.75,\n       -0.5 , -0.25,  0.  ,  0.25,  0.5 ,  0.75,  1.  ,  1.25,  1.5 ,\n        1.75,  2.  ,  2.25,  2.5 ,  2.75,  3.  ,  3.25,  3.5 ,  3.75,\n        4.  ,  4.25,  4.5 ,  4.75])"
        ),
        (
            "np.tanh(np.arange(-5,5,0.2))",
            "array([-9.99909204e-01, -9.99864552e-01, -9.99797942e-01, -9.99698579e-01,\n       -9.99550366e-01, -9.99329300e-01, -9.98999598e-01, -9.98507942e-01,\n       -9.97774928e-01, -9.96682398e-01, -9.95054754e-01, -9.92631520e-01,\n       -9.89027402e-01, -9.83674858e-01, -9.75743130e-01, -9.64027580e-01,\n       -9.46806013e-01, -9.21668554e-01, -8.85351648e-01, -8.33654607e-01,\n       -7.61594156e-01, -6.64036770e-01, -5.37049567e-01, -3.79948962e-01,\n       -1.97375320e-01,  4.44089210e-15,  1.97375320e-01,  3.79948962e-01,\n        5.37049567e-01,  6.64036770e-01,  7.61594156e-01,  8.33654607e-01,\n        8.85351648e-01,  9.21668554e-01,  9.46806013e-01,  9.64027580e-01,\n        9.75743130e-01,  9.83674858e-01,  9.89027402e-01,  9.92631520e-01,\n        9.95054754e-01,  9.96682398e-01,  9.97774928e-01,  9.98507942e-01,\n        9.98999598e-01,  9.99329300e-01,  9.99550366e-01,  9.99698579e-01,\n        9.99797942e-01,  9.99864552e-01])"
        ),
        ("np.array([1e-5, 1.0])", "array([1.e-05, 1.e+00])"),
        ("np.array([1.5e8, 2.0])", "array([1.5e+08, 2.0e+00])"),
        ("np.array([0.1, 2.0, -3.5])", "array([ 0.1,  2. , -3.5])"),
        ("np.arange(10)", "array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])"),
        ("np.array([[1.0, 2.5],[3.0, 4.0]])", "array([[1. , 2.5],\n       [3. , 4. ]])"),
        (
            "np.linspace(0, 1, 7)",
            "array([0.        , 0.16666667, 0.33333333, 0.5       , 0.66666667,\n       0.83333333, 1.        ])"
        ),
        (
            "3*np.arange(-5, 5, 0.25)**2 - 4*np.arange(-5, 5, 0.25) + 5",
            "array([100.    ,  91.6875,  83.75  ,  76.1875,  69.    ,  62.1875,\n        55.75  ,  49.6875,  44.    ,  38.6875,  33.75  ,  29.1875,\n        25.    ,  21.1875,  17.75  ,  14.6875,  12.    ,   9.6875,\n         7.75  ,   6.1875,   5.    ,   4.1875,   3.75  ,   3.6875,\n         4.    ,   4.6875,   5.75  ,   7.1875,   9.    ,  11.1875,\n        13.75  ,  16.6875,  20.    ,  23.6875,  27.75  ,  32.1875,\n        37.    ,  42.1875,  47.75  ,  53.6875])"
        ),
        ("np.array([1,2])*2.0", "array([2., 4.])"),
        ("np.zeros((2, 3))", "array([[0., 0., 0.],\n       [0., 0., 0.]])"),
        ("np.arange(-5, 5, 0.25).shape", "(40,)"),
        ("np.array([[1, 2], [3, 4]]) + np.array([10, 20])", "array([[11, 22],\n       [13, 24]])"),
        ("np.array([float('nan'), 1.5, 2.25])", "array([ nan, 1.5 , 2.25])"),
        ("np.exp(np.array([0.0, 1.0, 2.0]))", "array([1.        , 2.71828183, 7.3890561 ])")
    ])
    func printsAsNumpy(_ cell: String, _ expected: String) {
        #expect(lastOutput(["import numpy as np", cell]) == expected + "\n")
    }

    /// The lecture's first cells: a function of an array, plotted.
    @Test func aFunctionOfAnArrayPlots() {
        let output = transcript([
            "import numpy as np\nimport matplotlib.pyplot as plt",
            "def f(x):\n    return 3*x**2 - 4*x + 5",
            "f(3.0)", "xs = np.arange(-5, 5, 0.25)\nys = f(xs)\nplt.plot(xs, ys)", "len(ys), ys[0], ys.max()"
        ])
        #expect(output.hasPrefix("20.0\n"), "\(output)")
        #expect(output.contains("⠈") || output.contains("⢣") || output.contains("⡀"), "\(output)")
        #expect(output.hasSuffix("(40, 100.0, 100.0)\n"), "\(output)")
        #expect(
            lastOutput(["import numpy as np", "np.ones(3) + np.ones(4)"]).hasSuffix(
                "error: ValueError: operands could not be broadcast together with shapes (3,) (4,) \n"))
    }
}

@Suite("manual on a tensor loss")
struct TensorManualTests {
    /// Each named tensor of the loss's graph is asked for, from the loss back: a wrong shape says what
    /// a broadcast does, a wrong value gets the rule, a right answer is kept as d<name> for the next.
    @Test func askChecksExplainsAndFillsIn() {
        let setup = """
            import torch
            import torch.nn.functional as F
            g = torch.Generator().manual_seed(1)
            x = torch.randn((4, 3), generator=g)
            W = torch.randn((3, 5), generator=g, requires_grad=True)
            b = torch.randn(5, generator=g, requires_grad=True)
            y = torch.tensor([0, 2, 4, 1])
            logits = x @ W + b
            loss = F.cross_entropy(logits, y)
            """
        let (session, output) = makeSession()
        session.execute(setup)
        session.execute("manual loss")
        #expect(
            output.take().hasPrefix(
                "Manual backprop through loss: 3 named tensors, from the loss back to the parameters.\n"))
        #expect(session.prompt == "dloss/dlogits = ")
        session.execute("torch.ones(4)")
        #expect(output.take().hasPrefix("wrong shape: your answer is (4,) but logits is (4, 5)"))
        session.execute("F.softmax(logits, 1) - F.one_hot(y, 5)")
        #expect(
            output.take().hasPrefix(
                "not quite: the shape is right, the values are not (largest difference "))
        session.execute("(F.softmax(logits, 1) - F.one_hot(y, 5)) / 4")
        #expect(output.take().hasPrefix("right: dloss/dlogits, "))
        #expect(session.prompt == "dloss/db = ")
        session.execute("dlogits")
        #expect(
            output.take().contains(
                "wrong shape: your answer is (4, 5) but b is (5,); a gradient has the shape of its tensor. The tensor was broadcast along the leading dim 0: sum the gradient over it (.sum(0))."
            ))
        session.execute("dlogits.sum(0, keepdim=True).T")
        #expect(output.take().contains("It has the right number of values: view it as (5,)."))
        session.execute("dlogits.sum(0)")
        #expect(output.take().hasPrefix("right: dloss/db, exact — b is used in a sum: db = dlogits, summed over"))
        session.execute("?")
        #expect(output.take() == "hint: W is used in x @ W: dW = x.T @ dout\n")
        session.execute("x.T @ dlogits")
        #expect(
            output.take()
                == "right: dloss/dW, exact — W is used in x @ W: dW = x.T @ dout\nAll gradients found: they are what loss.backward() gives (kept as d<name> for each).\n"
        )
        #expect(session.prompt == ">>> ")
        session.execute("loss.backward()\ntorch.all(dW == W.grad).item(), torch.all(db == b.grad).item()")
        #expect(output.take() == "(True, True)\n")
    }
}

@Suite("torch: makemore part 5 in tensor code")
struct TorchWaveNetTests {
    /// Part 5's hierarchical model written as classes over tensors (Embedding, FlattenConsecutive,
    /// Linear, BatchNorm1d over 3-D batches, Tanh, Sequential), seeded with torch.manual_seed(42), its
    /// weights those training left (read with torch.from_file from the fixture of the lecture's run;
    /// see Tests/Fixtures/REFERENCE-README.md) and the generator where training left it: the dev loss is
    /// the lecture's 1.9936515 and the twenty names are the ones the lecture's last cell printed.
    @Test func theLecturesNamesFromTensorCode() throws {
        let weights = Reference.referenceFile("lecture5-wavenet-weights.f32").path
        let cells = """
            import torch
            import torch.nn.functional as F
            import random
            words = open('\(Reference.lectureNames.path)', 'r').read().splitlines()
            chars = sorted(list(set(''.join(words))))
            stoi = {s: i + 1 for i, s in enumerate(chars)}
            stoi['.'] = 0
            itos = {i: s for s, i in stoi.items()}
            vocab_size = len(itos)
            block_size = 8
            def build_dataset(words):
                X, Y = [], []
                for w in words:
                    context = [0] * block_size
                    for ch in w + '.':
                        ix = stoi[ch]
                        X.append(context)
                        Y.append(ix)
                        context = context[1:] + [ix]
                return torch.tensor(X), torch.tensor(Y)
            random.seed(42)
            random.shuffle(words)
            n1 = int(0.8 * len(words))
            n2 = int(0.9 * len(words))
            Xtr, Ytr = build_dataset(words[:n1])
            Xdev, Ydev = build_dataset(words[n1:n2])
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
                    self.eps = eps
                    self.momentum = momentum
                    self.training = True
                    self.gamma = torch.ones(dim)
                    self.beta = torch.zeros(dim)
                    self.running_mean = torch.zeros(dim)
                    self.running_var = torch.ones(dim)
                def __call__(self, x):
                    if self.training:
                        dim = 0 if x.ndim == 2 else (0, 1)
                        xmean = x.mean(dim, keepdim=True)
                        xvar = x.var(dim, keepdim=True)
                    else:
                        xmean = self.running_mean
                        xvar = self.running_var
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
                def __init__(self, num_embeddings, embedding_dim):
                    self.weight = torch.randn((num_embeddings, embedding_dim))
                def __call__(self, IX):
                    self.out = self.weight[IX]
                    return self.out
                def parameters(self):
                    return [self.weight]
            class FlattenConsecutive:
                def __init__(self, n):
                    self.n = n
                def __call__(self, x):
                    B, T, C = x.shape
                    x = x.view(B, T // self.n, C * self.n)
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
            torch.manual_seed(42)
            n_embd = 24
            n_hidden = 128
            model = Sequential([
                Embedding(vocab_size, n_embd),
                FlattenConsecutive(2), Linear(n_embd * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
                FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
                FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
                Linear(n_hidden, vocab_size),
            ])
            with torch.no_grad():
                model.layers[-1].weight *= 0.1
            parameters = model.parameters()
            print(sum(p.nelement() for p in parameters))
            _ = torch.randint(0, Xtr.shape[0], (200000, 32))
            norms = [layer for layer in model.layers if isinstance(layer, BatchNorm1d)]
            tensors = parameters + [b for layer in norms for b in (layer.running_mean, layer.running_var)]
            w = torch.from_file('\(weights)', size=sum(t.nelement() for t in tensors))
            offset = 0
            for t in tensors:
                t.data = w[offset:offset + t.nelement()].view(t.shape)
                offset += t.nelement()
            for layer in model.layers:
                layer.training = False
            with torch.no_grad():
                print(F.cross_entropy(model(Xdev), Ydev).item())
            for _ in range(20):
                out = []
                context = [0] * block_size
                while True:
                    logits = model(torch.tensor([context]))
                    probs = F.softmax(logits, dim=1)
                    ix = torch.multinomial(probs, num_samples=1).item()
                    context = context[1:] + [ix]
                    out.append(ix)
                    if ix == 0:
                        break
                print(''.join(itos[i] for i in out))
            """
        let (session, output) = makeSession()
        session.execute(cells)
        let lines = output.text.split(separator: "\n").map(String.init)
        #expect(lines.contains("76579"), "\(output.text)")
        let dev = lines.compactMap { Double($0) }.first { $0 < 10 } ?? 0
        #expect(abs(dev - 1.9936515092849731) < 2e-6, "\(output.text)")
        #expect(
            Array(lines.suffix(20)) == [
                "arlij.", "chetta.", "heago.", "rocklei.", "hendrix.", "jamylie.", "broxin.", "denish.", "anslibt.",
                "marianah.", "astavia.", "annayve.", "aniah.", "jayce.", "nodiel.", "remita.", "niyelle.", "jaylene.",
                "aiyan.", "aubreana."
            ])
    }
}

@Suite("torch: makemore part 3's last network in tensor code")
struct TorchDeepNetworkTests {
    /// Part 3's last network (five Linear → BatchNorm → tanh layers of 100, then Linear → BatchNorm)
    /// written as classes over tensors, trained 1,001 steps as its notebook did: the train and val
    /// losses are the lecture's (2.4002976417541504 and 2.3982467651367188) and so are its twenty names.
    @Test func theLecturesLossesAndNames() {
        let cells = """
            import torch
            import torch.nn.functional as F
            import random
            words = open('\(Reference.lectureNames.path)', 'r').read().splitlines()
            chars = sorted(set(''.join(words)))
            stoi = {s: i + 1 for i, s in enumerate(chars)}
            stoi['.'] = 0
            itos = {i: s for s, i in stoi.items()}
            def contexts(names):
                xs, ys = [], []
                for name in names:
                    window = [0, 0, 0]
                    for ch in name + '.':
                        xs.append(window)
                        ys.append(stoi[ch])
                        window = window[1:] + [stoi[ch]]
                return torch.tensor(xs), torch.tensor(ys)
            random.seed(42)
            random.shuffle(words)
            Xtr, Ytr = contexts(words[:int(0.8 * len(words))])
            Xdev, Ydev = contexts(words[int(0.8 * len(words)):int(0.9 * len(words))])
            class Dense:
                def __init__(self, n_in, n_out):
                    self.weight = torch.randn((n_in, n_out), generator=g) / n_in**0.5
                def __call__(self, x):
                    self.out = x @ self.weight
                    return self.out
                def parameters(self):
                    return [self.weight]
            class Norm:
                def __init__(self, dim):
                    self.training = True
                    self.gamma, self.beta = torch.ones(dim), torch.zeros(dim)
                    self.running_mean, self.running_var = torch.zeros(dim), torch.ones(dim)
                def __call__(self, x):
                    mean = x.mean(0, keepdim=True) if self.training else self.running_mean
                    var = x.var(0, keepdim=True) if self.training else self.running_var
                    self.out = self.gamma * (x - mean) / torch.sqrt(var + 1e-5) + self.beta
                    if self.training:
                        with torch.no_grad():
                            self.running_mean = 0.9 * self.running_mean + 0.1 * mean
                            self.running_var = 0.9 * self.running_var + 0.1 * var
                    return self.out
                def parameters(self):
                    return [self.gamma, self.beta]
            class Squash:
                def __call__(self, x):
                    self.out = torch.tanh(x)
                    return self.out
                def parameters(self):
                    return []
            g = torch.Generator().manual_seed(2147483647)
            C = torch.randn((27, 10), generator=g)
            layers = [Dense(30, 100), Norm(100), Squash()]
            for _ in range(4):
                layers += [Dense(100, 100), Norm(100), Squash()]
            layers += [Dense(100, 27), Norm(27)]
            with torch.no_grad():
                layers[-1].gamma *= 0.1
            parameters = [C] + [p for layer in layers for p in layer.parameters()]
            for p in parameters:
                p.requires_grad = True
            print(sum(p.nelement() for p in parameters))
            for step in range(1001):
                ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
                x = C[Xtr[ix]].view(32, -1)
                for layer in layers:
                    x = layer(x)
                loss = F.cross_entropy(x, Ytr[ix])
                for p in parameters:
                    p.grad = None
                loss.backward()
                for p in parameters:
                    p.data += -0.1 * p.grad
            for layer in layers:
                layer.training = False
            @torch.no_grad()
            def evaluate(X, Y):
                x = C[X].view(X.shape[0], -1)
                for layer in layers:
                    x = layer(x)
                return F.cross_entropy(x, Y).item()
            print(evaluate(Xtr, Ytr), evaluate(Xdev, Ydev))
            g = torch.Generator().manual_seed(2147483647 + 10)
            for _ in range(20):
                out, window = [], [0, 0, 0]
                while True:
                    x = C[torch.tensor([window])].view(1, -1)
                    for layer in layers:
                        x = layer(x)
                    ix = torch.multinomial(F.softmax(x, dim=1), num_samples=1, generator=g).item()
                    window = window[1:] + [ix]
                    out.append(itos[ix])
                    if ix == 0:
                        break
                print(''.join(out))
            """
        let (session, output) = makeSession()
        session.execute(cells)
        let lines = output.text.split(separator: "\n").map(String.init)
        #expect(lines.first == "47024", "\(output.text)")
        let losses = lines.dropFirst().first?.split(separator: " ").compactMap { Double($0) } ?? []
        #expect(losses.count == 2 && abs(losses[0] - 2.4002976417541504) < 2e-6, "\(output.text)")
        #expect(losses.count == 2 && abs(losses[1] - 2.3982467651367188) < 2e-6, "\(output.text)")
        #expect(
            Array(lines.suffix(20)) == [
                "carpah.", "qarlileif.", "jmrix.", "thty.", "sacansa.", "jazhnte.", "dpn.", "arciigqeiunellaia.",
                "chriiv.", "kalein.", "dhlm.", "join.", "qhinn.", "sroin.", "arian.", "quiqaelogiearyxix.",
                "kaeklinsan.", "ed.", "ecoia.", "gtleley."
            ], "\(output.text)")
    }
}

@Suite("torch.nn and torch.optim")
struct TorchNNTests {
    /// Layers made after torch.manual_seed draw PyTorch's initial weights (kaiming-uniform for Linear,
    /// normal for Embedding), print as PyTorch prints modules and parameters, and a Module subclass
    /// finds its parameters through its attributes (a buffer is not one). Expected texts: PyTorch 2.x.
    @Test func modulesAsPyTorchMakesAndPrintsThem() {
        let model = """
            class Tiny(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.emb = nn.Embedding(10, 4)
                    self.ln = nn.LayerNorm(4)
                    self.head = nn.Linear(4, 10)
                    self.register_buffer('tril', torch.tril(torch.ones(3, 3)))
                def forward(self, idx, targets=None):
                    logits = self.head(self.ln(self.emb(idx)))
                    if targets is None:
                        return logits, None
                    B, T, C = logits.shape
                    return logits, F.cross_entropy(logits.view(B*T, C), targets.view(B*T))
            """
        let text = transcript([
            "import torch\nimport torch.nn as nn\nfrom torch.nn import functional as F\n_ = torch.manual_seed(1337)",
            "lin = nn.Linear(3, 2)\nlin", "lin.weight", "lin.bias", "nn.Embedding(5, 3).weight[0]",
            "seq = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))\nseq", "len(list(seq.parameters()))",
            model, "m = Tiny()\nm", "sum(p.numel() for p in m.parameters())", "m.tril",
            "idx = torch.randint(0, 10, (2, 3))\nlogits, loss = m(idx, idx)\nloss", "m.eval().training, m.ln.training"
        ])
        #expect(
            text == """
                Linear(in_features=3, out_features=2, bias=True)
                Parameter containing:
                tensor([[-0.4869, -0.0051,  0.1421],
                        [-0.0896, -0.3460, -0.5443]], requires_grad=True)
                Parameter containing:
                tensor([0.0983, 0.2271], requires_grad=True)
                tensor([-1.2502,  0.8032, -0.2071], grad_fn=<SelectBackward0>)
                Sequential(
                  (0): Linear(in_features=2, out_features=4, bias=True)
                  (1): ReLU()
                  (2): Linear(in_features=4, out_features=1, bias=True)
                )
                4
                Tiny(
                  (emb): Embedding(10, 4)
                  (ln): LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)
                  (head): Linear(in_features=4, out_features=10, bias=True)
                )
                98
                tensor([[1., 0., 0.],
                        [1., 1., 0.],
                        [1., 1., 1.]])
                tensor(2.7370, grad_fn=<NllLossBackward0>)
                (False, False)

                """)
    }

    /// torch.nn's own references stay out of sight (vars, dir) and survive reset; a user's own `iter`
    /// or `Linear` does not reach inside the built-in modules.
    @Test func theModulesKeepToThemselves() {
        let output = transcript([
            "import torch", "iter = 3", "class Linear:\n    pass", "dir()", "reset", "import torch", "iter = 5",
            "l = torch.nn.ModuleList([torch.nn.Linear(2, 1)])\n[type(m).__name__ for m in l]"
        ])
        #expect(output.hasPrefix("['Linear', 'iter', 'torch']\n"), "\(output)")
        #expect(output.hasSuffix("['Linear']\n"), "\(output)")
        #expect(!output.contains("__gb_"))
    }

    /// AdamW on a Module's parameters, with zero_grad and step: the loss PyTorch reaches after the
    /// same 20 steps (1.3187790), to within float rounding; bad settings are one line each.
    @Test func optimizersTrainAndRefuseBadSettings() {
        let (session, output) = makeSession()
        session.execute(
            "import torch\nimport torch.nn as nn\nfrom torch.nn import functional as F\n_ = torch.manual_seed(1337)")
        session.execute(
            """
            emb = nn.Embedding(10, 4)
            ln = nn.LayerNorm(4)
            head = nn.Linear(4, 10)
            model = nn.Sequential(emb, ln, head)
            idx = torch.randint(0, 10, (2, 3))
            opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
            for step in range(20):
                logits = model(idx)
                loss = F.cross_entropy(logits.view(6, 10), idx.view(6))
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
            print(loss.item())
            """)
        let loss = Double(output.take().trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(abs(loss - 1.3187789916992188) < 1e-5, "\(loss)")
        session.execute("torch.optim.SGD(model.parameters(), lr=0.1, momentum=-1)")
        #expect(output.take().hasSuffix("error: ValueError: Invalid momentum value: -1.0\n"))
        session.execute("torch.optim.AdamW(model.parameters(), betas=(1.5, 0.9))")
        #expect(
            output.take().hasSuffix("error: ValueError: Invalid beta parameters: (1.5, 0.9); each must be in [0, 1)\n"))
        session.execute("torch.optim.Adam([])")
        #expect(output.take().hasSuffix("error: ValueError: optimizer got an empty parameter list\n"))
    }
}

@Suite("torch: the GPT lecture's model in tensor code")
struct TorchGPTTests {
    /// "Let's build GPT"'s model in the lecture's forms (a Module per head, multi-head attention over
    /// a ModuleList, the feed-forward Sequential, pre-norm blocks, token and position embeddings,
    /// weights initialised by apply, AdamW, generation), small, on the names as text: every loss it
    /// estimates and every character it samples are what PyTorch 2.x prints for the same cells.
    @Test func trainsAndSamplesAsPyTorch() {
        let cells = """
            import torch
            import torch.nn as nn
            from torch.nn import functional as F
            batch_size = 4
            block_size = 8
            max_iters = 25
            eval_interval = 12
            learning_rate = 1e-3
            device = 'cuda' if torch.cuda.is_available() else 'cpu'
            eval_iters = 5
            n_embd = 16
            n_head = 2
            n_layer = 2
            dropout = 0.0
            _ = torch.manual_seed(1337)
            with open('\(Reference.lectureNames.path)', 'r', encoding='utf-8') as f:
                text = f.read()
            chars = sorted(list(set(text)))
            vocab_size = len(chars)
            stoi = { ch:i for i,ch in enumerate(chars) }
            itos = { i:ch for i,ch in enumerate(chars) }
            encode = lambda s: [stoi[c] for c in s]
            decode = lambda l: ''.join([itos[i] for i in l])
            data = torch.tensor(encode(text), dtype=torch.long)
            n = int(0.9*len(data))
            train_data = data[:n]
            val_data = data[n:]
            def batch(split):
                data = train_data if split == 'train' else val_data
                ix = torch.randint(len(data) - block_size, (batch_size,))
                x = torch.stack([data[i:i+block_size] for i in ix])
                y = torch.stack([data[i+1:i+block_size+1] for i in ix])
                x, y = x.to(device), y.to(device)
                return x, y
            @torch.no_grad()
            def losses_now():
                out = {}
                model.eval()
                for split in ['train', 'val']:
                    losses = torch.zeros(eval_iters)
                    for k in range(eval_iters):
                        X, Y = batch(split)
                        logits, loss = model(X, Y)
                        losses[k] = loss.item()
                    out[split] = losses.mean()
                model.train()
                return out
            class AttentionHead(nn.Module):
                def __init__(self, head_size):
                    super().__init__()
                    self.key = nn.Linear(n_embd, head_size, bias=False)
                    self.query = nn.Linear(n_embd, head_size, bias=False)
                    self.value = nn.Linear(n_embd, head_size, bias=False)
                    self.register_buffer('tril', torch.tril(torch.ones(block_size, block_size)))
                    self.dropout = nn.Dropout(dropout)
                def forward(self, x):
                    B,T,C = x.shape
                    k = self.key(x)
                    q = self.query(x)
                    wei = q @ k.transpose(-2,-1) * k.shape[-1]**-0.5
                    wei = wei.masked_fill(self.tril[:T, :T] == 0, float('-inf'))
                    wei = F.softmax(wei, dim=-1)
                    wei = self.dropout(wei)
                    v = self.value(x)
                    out = wei @ v
                    return out
            class SelfAttention(nn.Module):
                def __init__(self, num_heads, head_size):
                    super().__init__()
                    self.heads = nn.ModuleList([AttentionHead(head_size) for _ in range(num_heads)])
                    self.proj = nn.Linear(head_size * num_heads, n_embd)
                    self.dropout = nn.Dropout(dropout)
                def forward(self, x):
                    out = torch.cat([h(x) for h in self.heads], dim=-1)
                    out = self.dropout(self.proj(out))
                    return out
            class MLPPart(nn.Module):
                def __init__(self, n_embd):
                    super().__init__()
                    self.net = nn.Sequential(
                        nn.Linear(n_embd, 4 * n_embd),
                        nn.ReLU(),
                        nn.Linear(4 * n_embd, n_embd),
                        nn.Dropout(dropout),
                    )
                def forward(self, x):
                    return self.net(x)
            class Layer(nn.Module):
                def __init__(self, n_embd, n_head):
                    super().__init__()
                    head_size = n_embd // n_head
                    self.sa = SelfAttention(n_head, head_size)
                    self.ffwd = MLPPart(n_embd)
                    self.ln1 = nn.LayerNorm(n_embd)
                    self.ln2 = nn.LayerNorm(n_embd)
                def forward(self, x):
                    x = x + self.sa(self.ln1(x))
                    x = x + self.ffwd(self.ln2(x))
                    return x
            class TinyGPT(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.token_embedding_table = nn.Embedding(vocab_size, n_embd)
                    self.position_embedding_table = nn.Embedding(block_size, n_embd)
                    self.blocks = nn.Sequential(*[Layer(n_embd, n_head=n_head) for _ in range(n_layer)])
                    self.ln_f = nn.LayerNorm(n_embd)
                    self.lm_head = nn.Linear(n_embd, vocab_size)
                    self.apply(self._init_weights)
                def _init_weights(self, module):
                    if isinstance(module, nn.Linear):
                        torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
                        if module.bias is not None:
                            torch.nn.init.zeros_(module.bias)
                    elif isinstance(module, nn.Embedding):
                        torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
                def forward(self, idx, targets=None):
                    B, T = idx.shape
                    tok_emb = self.token_embedding_table(idx)
                    pos_emb = self.position_embedding_table(torch.arange(T, device=device))
                    x = tok_emb + pos_emb
                    x = self.blocks(x)
                    x = self.ln_f(x)
                    logits = self.lm_head(x)
                    if targets is None:
                        loss = None
                    else:
                        B, T, C = logits.shape
                        logits = logits.view(B*T, C)
                        targets = targets.view(B*T)
                        loss = F.cross_entropy(logits, targets)
                    return logits, loss
                def generate(self, idx, max_new_tokens):
                    for _ in range(max_new_tokens):
                        idx_cond = idx[:, -block_size:]
                        logits, loss = self(idx_cond)
                        logits = logits[:, -1, :]
                        probs = F.softmax(logits, dim=-1)
                        idx_next = torch.multinomial(probs, num_samples=1)
                        idx = torch.cat((idx, idx_next), dim=1)
                    return idx
            model = TinyGPT()
            m = model.to(device)
            print(sum(p.numel() for p in m.parameters())/1e6, 'M parameters')
            optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate)
            for iter in range(max_iters):
                if iter % eval_interval == 0 or iter == max_iters - 1:
                    losses = losses_now()
                    print(f"step {iter}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")
                xb, yb = batch('train')
                logits, loss = model(xb, yb)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
            context = torch.zeros((1, 1), dtype=torch.long, device=device)
            print(decode(m.generate(context, max_new_tokens=40)[0].tolist()))
            """
        #expect(
            transcript([cells]) == """
                0.007515 M parameters
                step 0: train loss 3.2866, val loss 3.2934
                step 12: train loss 3.1661, val loss 3.1914
                step 24: train loss 3.0657, val loss 3.1109

                pncavuqe
                qwicutnnmfwbahjwdnhyrqrrkohyr
                w

                """)
    }
}

@Suite("bytes, regex and unicodedata, as minbpe uses them")
struct BytesAndRegexTests {
    /// Each cell and what CPython 3.11 printed for it.
    @Test(arguments: [
        ("b\"abc\"", "b'abc'"),
        ("\"héllo\".encode(\"utf-8\")", "b'h\\xc3\\xa9llo'"),
        ("list(\"hé\".encode(\"utf-8\"))", "[104, 195, 169]"),
        ("bytes([104, 105]) + b\"!\"", "b'hi!'"),
        ("b\"\".join([b\"a\", bytes([0xc3, 0xa9])]).decode(\"utf-8\")", "'aé'"),
        ("bytes([0xff, 0x61]).decode(\"utf-8\", errors=\"replace\")", "'\u{FFFD}a'"),
        ("len(b\"ab\\x00\"), b\"abc\"[1], b\"abc\"[1:]", "(3, 98, b'bc')"),
        ("{b\"a\": 1}[b\"a\"]", "1"),
        ("isinstance(b\"x\", bytes), b\"a\" == b\"a\", b\"a\" < b\"b\"", "(True, True, True)"),
        ("b'it\\'s'", "b\"it's\""),
        (
            "re.findall(re.compile(GPT4), \"Hello've world123 how's    it going!!!?\\n\\n  ok\")",
            "['Hello', \"'ve\", ' world', '123', ' how', \"'s\", '   ', ' it', ' going', '!!!?\\n\\n', ' ', ' ok']"
        ),
        ("re.escape('<|endoftext|>')", "'<\\\\|endoftext\\\\|>'"),
        (
            "re.split('(' + re.escape('<|endoftext|>') + ')', 'hi<|endoftext|>there<|endoftext|>')",
            "['hi', '<|endoftext|>', 'there', '<|endoftext|>', '']"
        ),
        ("unicodedata.category('a'), unicodedata.category('\\n'), unicodedata.category('€')", "('Ll', 'Cc', 'Sc')"),
        (
            "bytearray(b\"hi\"), bytearray(3), bytearray(\"é\", \"utf-8\")",
            "(bytearray(b'hi'), bytearray(b'\\x00\\x00\\x00'), bytearray(b'\\xc3\\xa9'))"
        ),
        (
            "b = bytearray(b\"hi\")\nb.append(33)\nb += b\" ok\"\nb[0] = 72\nb, len(b), bytes(b), list(b)[:3]",
            "(bytearray(b'Hi! ok'), 6, b'Hi! ok', [72, 105, 33])"
        ),
        (
            "b = bytearray([104, 105])\nb.extend(b\"!\")\nb.decode(\"utf-8\"), b[1:], b.hex(), b.pop(), b",
            "('hi!', bytearray(b'i!'), '686921', 33, bytearray(b'hi'))"
        ),
        (
            "bytearray([1, 2]) == bytearray(b\"\\x01\\x02\"), bytearray(b\"a\") == b\"a\", isinstance(bytearray(), bytearray)",
            "(True, True, True)"
        ),
        (
            "try:\n    {bytearray(b\"a\"): 1}\nexcept TypeError as e:\n    print(str(e).split(' (')[0])",
            "unhashable type: 'bytearray'"
        ),
        ("try:\n    bytearray([300])\nexcept ValueError as e:\n    print(e)", "byte must be in range(0, 256)")
    ])
    func printsAsCPython(_ cell: String, _ expected: String) {
        let setup = """
            import regex as re
            import unicodedata
            GPT4 = r\"\"\"'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+\"\"\"
            """
        #expect(lastOutput([setup, cell]) == expected + "\n")
    }

    /// `open(path, 'w')` as minbpe's `save` uses it: the text written whole when the `with` block ends,
    /// then read back line by line as its `load` reads it (`readline`, then iterating the rest).
    @Test func writesAFileWholeAndReadsItBackByLines() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gb-\(UUID()).model").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = lastOutput([
            """
            with open('\(path)', 'w') as f:
                _ = f.write("minbpe v1\\n")
                _ = f.write(f"{3}\\n")
                for a, b in [(97, 97), (256, 98)]:
                    _ = f.write(f"{a} {b}\\n")
            """,
            """
            with open('\(path)', 'r', encoding="utf-8") as f:
                version = f.readline().strip()
                count = int(f.readline().strip())
                merges = [tuple(map(int, line.split())) for line in f]
            print(version, count, merges)
            """
        ])
        #expect(output == "minbpe v1 3 [(97, 97), (256, 98)]\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "minbpe v1\n3\n97 97\n256 98\n")
        // A folder cannot be written; a closed file takes no more text; other modes are refused.
        let folder = FileManager.default.temporaryDirectory.path
        #expect(lastOutput(["open('\(folder)', 'w')"]).contains("PermissionError: cannot write '\(folder)'"))
        #expect(
            lastOutput(["f = open('\(path)', 'w')", "f.close()", "f.write('x')"]).contains(
                "ValueError: I/O operation on closed file."))
        #expect(lastOutput(["open('\(path)', 'a')"]).contains("not 'a'"))
        // A file never closed is written when it is dropped (here, when the function returns).
        _ = transcript(["def note():\n    f = open('\(path)', 'w')\n    f.write('kept')\n", "note()"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "kept")
    }

    /// Byte-pair merges written as minbpe writes them, on Wikipedia's example.
    @Test func byteLevelMerges() {
        let cell = """
            def pairs(ids):
                counts = {}
                for pair in zip(ids, ids[1:]):
                    counts[pair] = counts.get(pair, 0) + 1
                return counts
            def replace(ids, pair, idx):
                out, i = [], 0
                while i < len(ids):
                    if i < len(ids) - 1 and (ids[i], ids[i + 1]) == pair:
                        out.append(idx)
                        i += 2
                    else:
                        out.append(ids[i])
                        i += 1
                return out
            ids = list("aaabdaaabac".encode("utf-8"))
            vocab = {idx: bytes([idx]) for idx in range(256)}
            for i in range(3):
                stats = pairs(ids)
                pair = max(stats, key=stats.get)
                ids = replace(ids, pair, 256 + i)
                vocab[256 + i] = vocab[pair[0]] + vocab[pair[1]]
                print(f"merge {i+1}/3: {pair} -> {256 + i} ({vocab[256 + i]}) had {stats[pair]} occurrences")
            print(ids, b"".join(vocab[idx] for idx in ids).decode("utf-8", errors="replace"))
            """
        #expect(
            transcript([cell]) == """
                merge 1/3: (97, 97) -> 256 (b'aa') had 4 occurrences
                merge 2/3: (256, 97) -> 257 (b'aaa') had 2 occurrences
                merge 3/3: (257, 98) -> 258 (b'aaab') had 2 occurrences
                [258, 100, 258, 97, 99] aaabdaaabac

                """)
    }

    /// A pattern that backtracks without end stops with one line (here at the time limit's check,
    /// made cheap by Ctrl-C's flag).
    @Test func aRunawayPatternStops() {
        let output = Interrupt.$simulated.withValue(true) {
            lastOutput(["import re", "re.findall('(a+)+$', 'a' * 40 + 'b')"])
        }
        #expect(output.hasSuffix("error: KeyboardInterrupt: the pattern was stopped\n"), "\(output)")
    }
}
