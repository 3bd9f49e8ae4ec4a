// float64 tensors, as the micrograd lecture and micrograd's tests make them to check a `Value`
// against PyTorch. Each cell was written for these tests; what it must print is the lecture's number
// where the cell does the lecture's computation, and PyTorch 2.13's output (CPU) for the rest.
import Foundation
import Testing

@testable import Notebook
@testable import NotebookLanguage

@Suite("torch: float64 tensors")
struct DoubleTensorTests {
    /// The lecture's neuron in PyTorch: float32 inputs made float64 (so `b` is the float32 nearest
    /// 6.8813735870195432), `tanh`, and the gradients the lecture prints.
    @Test func theLecturesNeuronInFloat64() {
        let cell = """
            import torch
            leaves = {}
            for name, v in [('x1', 2.0), ('x2', 0.0), ('w1', -3.0), ('w2', 1.0), ('b', 6.8813735870195432)]:
                t = torch.Tensor([v]).double()
                t.requires_grad = True
                leaves[name] = t
            n = leaves['x1'] * leaves['w1'] + leaves['x2'] * leaves['w2'] + leaves['b']
            o = torch.tanh(n)
            print(o.data.item())
            o.backward()
            for name in ['x2', 'w2', 'x1', 'w1']:
                print(name, leaves[name].grad.item())
            """
        #expect(
            transcript([cell]) == """
                0.7071066904050358
                x2 0.5000001283844369
                w2 0.0
                x1 -1.5000003851533106
                w1 1.0000002567688737

                """)
    }

    /// Arithmetic, broadcasting, the elementwise functions, powers, sums and means, and the
    /// gradients back through them: PyTorch's values to the last bit. (`tanh` is left out here: its
    /// float64 kernel in PyTorch is SLEEF's, within one unit in the last place of the C library's,
    /// which the notebook uses; the lecture's neuron above gets the lecture's digits.)
    @Test func arithmeticAndGradientsAsPyTorch() {
        let cell = """
            import torch
            p = torch.tensor([[0.3, -1.7, 2.2], [1.1, 0.4, -0.9]], dtype=torch.float64, requires_grad=True)
            q = torch.tensor([0.5, -2.0, 3.0], dtype=torch.float64, requires_grad=True)
            s = ((p * q).sigmoid() + p / q - q ** 3 + 1.5 ** q).mean() * 7 - (p.exp().log() * 0.5).sum()
            s.backward()
            print(s.item())
            print(p.grad.tolist())
            print(q.grad.tolist())
            r = torch.tensor([0.7, 1.3, 2.9], dtype=torch.float64, requires_grad=True)
            u = (r ** 0.5 + r ** -1 + r ** -2 + r ** 3 + r ** 2.5 + r.sqrt() + r.abs() + 10.0 / r).sum()
            u.backward()
            print(u.item(), r.grad.tolist())
            """
        #expect(
            transcript([cell]) == """
                -24.928607326419467
                [[1.9783494205619003, -1.1562557578695105, -0.10636275080220493], [1.9686711252141071, -1.5824559585473539, 0.09541588258259218]]
                [-6.739867478263167, -27.16251053481189, -60.03395675938164]
                86.56748798278633 [-23.150499726155175, 3.233420139955242, 37.773554446296025]

                """)
    }

    /// `.T` of a matrix, and its gradient transposed back (PyTorch 2.13's output).
    @Test func transposesAsPyTorch() {
        let cell = """
            import torch
            m = torch.tensor([[2.0, 0.5, 1.5], [1.0, -3.0, 0.25]], dtype=torch.float64, requires_grad=True)
            scale = torch.tensor([1.0, 2.0], dtype=torch.float64)
            (m.T * scale).sum().backward()
            print(m.T, m.grad)
            """
        #expect(
            transcript([cell]) == """
                tensor([[ 2.0000,  1.0000],
                        [ 0.5000, -3.0000],
                        [ 1.5000,  0.2500]], dtype=torch.float64, grad_fn=<PermuteBackward0>) tensor([[1., 1., 1.],
                        [2., 2., 2.]], dtype=torch.float64)

                """)
    }

    /// A chain of tens of thousands of ops is walked back and freed without deep recursion, and a
    /// result too big for memory (9.6 GB while made; the limit is at most 8 GiB) is refused before
    /// anything is made.
    @Test func longChainsAndHugeResults() {
        let cell = """
            import torch
            x = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
            y = x
            for i in range(60000):
                y = y * 1.0 + 1
            y.backward()
            print(x.grad.item(), y.item())
            del y
            row = torch.tensor([list(range(20000))], dtype=torch.float64)
            row.T * row
            """
        let text = transcript([cell])
        #expect(text.hasPrefix("1.0 60001.0\n"), "\(text)")
        #expect(
            text.contains(
                "error: MemoryError: a float64 tensor of 400000000 elements would take the notebook past its limit"))
    }

    /// Indexing, iterating, comparing, and a one-element tensor as a Python number (`float`, `int`,
    /// `bool`, f-strings, `max`, `sorted`, `abs`): PyTorch 2.13's output for the same cell.
    @Test func indexingComparingAndNumbersAsPyTorch() {
        let cell = """
            import torch
            v = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64, requires_grad=True)
            m = torch.tensor([[1.0, 2.0], [3.0, -4.0]], dtype=torch.float64, requires_grad=True)
            z = torch.tensor(2.5, dtype=torch.float64)
            print(v[0], v[-1], m[1], m[1][0])
            (v[1] * 3 + m[0][1] * m[-1][1]).backward()
            print(v.grad, m.grad)
            print(v > 0, v == torch.tensor([1.0, 0.0, 0.5], dtype=torch.float64), 0.5 <= v, m < z)
            print(float(z), int(z), bool(z), f'{z:.3f}', f'{z}', abs(v), abs(torch.tensor([-1.5, 2.0])))
            print(max(v), min(v), sorted(v))
            try:
                bool(v)
            except Exception as e:
                print(type(e).__name__)
            for i in [3, -4]:
                try:
                    v[i]
                except IndexError as e:
                    print(type(e).__name__)
            """
        #expect(
            transcript([cell]) == """
                tensor(1., dtype=torch.float64, grad_fn=<SelectBackward0>) tensor(0.5000, dtype=torch.float64, grad_fn=<SelectBackward0>) tensor([ 3., -4.], dtype=torch.float64, grad_fn=<SelectBackward0>) tensor(3., dtype=torch.float64, grad_fn=<SelectBackward0>)
                tensor([0., 3., 0.], dtype=torch.float64) tensor([[ 0., -4.],
                        [ 0.,  2.]], dtype=torch.float64)
                tensor([ True, False,  True]) tensor([ True, False,  True]) tensor([ True, False,  True]) tensor([[ True,  True],
                        [False,  True]])
                2.5 2 True 2.500 2.5 tensor([1.0000, 2.0000, 0.5000], dtype=torch.float64, grad_fn=<AbsBackward0>) tensor([1.5000, 2.0000])
                tensor(1., dtype=torch.float64, grad_fn=<UnbindBackward0>) tensor(-2., dtype=torch.float64, grad_fn=<UnbindBackward0>) [tensor(-2., dtype=torch.float64, grad_fn=<UnbindBackward0>), tensor(0.5000, dtype=torch.float64, grad_fn=<UnbindBackward0>), tensor(1., dtype=torch.float64, grad_fn=<UnbindBackward0>)]
                RuntimeError
                IndexError
                IndexError

                """)
    }

    /// What PyTorch prints for float64 tensors: the dtype suffix, `requires_grad=True` on a leaf,
    /// and the name of each op's backward (`y / x` is `x.reciprocal() * y`, hence `MulBackward0`).
    @Test func printsAsPyTorch() {
        let lines = [
            "import torch", "x = torch.Tensor([-4.0]).double()", "x", "x.requires_grad = True", "x", "x * 2 + 1",
            "((x * 2 + 1) ** 2).sum()", "10.0 / x", "1 - x", "2 ** x", "x.T", "-x",
            "torch.tensor([1, 2], dtype=torch.double)", "torch.tensor([1e-5, 1.0], dtype=torch.float64)",
            "torch.tensor([1.0000001, 2.0], dtype=torch.float64)", "x.dtype", "x.dtype == torch.float64",
            "isinstance(x, torch.Tensor)", "torch.tanh.__name__"
        ]
        #expect(
            transcript(lines) == """
                tensor([-4.], dtype=torch.float64)
                tensor([-4.], dtype=torch.float64, requires_grad=True)
                tensor([-7.], dtype=torch.float64, grad_fn=<AddBackward0>)
                tensor(49., dtype=torch.float64, grad_fn=<SumBackward0>)
                tensor([-2.5000], dtype=torch.float64, grad_fn=<MulBackward0>)
                tensor([5.], dtype=torch.float64, grad_fn=<RsubBackward1>)
                tensor([0.0625], dtype=torch.float64, grad_fn=<PowBackward2>)
                tensor([-4.], dtype=torch.float64, grad_fn=<PermuteBackward0>)
                tensor([4.], dtype=torch.float64, grad_fn=<NegBackward0>)
                tensor([1., 2.], dtype=torch.float64)
                tensor([1.0000e-05, 1.0000e+00], dtype=torch.float64)
                tensor([1.0000, 2.0000], dtype=torch.float64)
                torch.float64
                True
                True
                'tanh'

                """)
    }

    /// micrograd's way of checking its engine: a `Value` expression and the same expression on
    /// float64 tensors, compared value and gradient; `torch.Tensor.tanh` passed around as a function.
    @Test func aValueAgreesWithAFloat64Tensor() {
        let cell = """
            import torch
            def both(make):
                v = Value(-1.5)
                out = make(v)
                out.backward()
                t = torch.Tensor([-1.5]).double()
                t.requires_grad = True
                tout = make(t)
                tout.backward()
                return out.data - tout.data.item(), v.grad - t.grad.item()
            print(both(lambda a: (a * 3 + a ** 2 - 1).relu() + a * a / 4.0))
            print(both(lambda a: 2 / a - (a + 7).relu() * a))
            for v_fn, t_fn in [(Value.exp, torch.Tensor.exp), (Value.relu, torch.Tensor.relu)]:
                v = Value(0.25)
                v_fn(v).backward()
                t = torch.tensor([0.25], dtype=torch.float64, requires_grad=True)
                t_fn(t).backward()
                print(v_fn.__name__, v.grad == t.grad.item())
            """
        #expect(
            transcript([cell]) == """
                (0.0, 0.0)
                (0.0, 0.0)
                exp True
                relu True

                """)
    }

    /// Mistakes, each answered in PyTorch's words or with what the notebook can do instead.
    @Test func mistakesSayWhatToDo() {
        let lines = [
            "import torch", "x = torch.tensor([2.0], dtype=torch.float64, requires_grad=True)", "y = (x * x).sum()",
            "y.backward()", "y.backward()", "y.requires_grad = False",
            "torch.tensor([[1.0], [2.0, 3.0]], dtype=torch.float64)",
            "torch.zeros(3, dtype=torch.float64)", "x.std()", "x.float()", "x.detach().float()",
            "torch.ones(2).double() @ x",
            "torch.Tensor.tanh(1.0)", "(x * torch.tensor([1.0, 2.0], dtype=torch.float64)).backward()",
            "torch.tensor([1.0], dtype=torch.float64).backward()",
            "x.grad"
        ]
        let text = transcript(lines)
        #expect(text.contains("error: RuntimeError: Trying to backward through the graph a second time"))
        #expect(text.contains("error: RuntimeError: you can only change requires_grad flags of leaf variables."))
        #expect(text.contains("error: ValueError: expected sequence of length 1 at dim 1 (got 2)"))
        #expect(text.contains("torch.tensor(data, dtype=torch.float64) and x.double()"))
        #expect(text.contains("'Tensor' object has no attribute 'std': the notebook's float64 tensors have"))
        #expect(text.contains("the notebook cannot carry a float64 tensor's gradient into float32"))
        #expect(text.contains("tensor([2.])\n"))
        #expect(text.contains("unsupported operand type(s) for @ with a float64 tensor"))
        #expect(
            text.contains("error: TypeError: descriptor 'tanh' of 'Tensor' needs a tensor first, not a 'float' object"))
        #expect(text.contains("error: RuntimeError: grad can be implicitly created only for scalar outputs"))
        #expect(
            text.contains("error: RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn")
        )
        // The first backward's gradient is kept through the errors that followed it.
        #expect(text.hasSuffix("tensor([4.], dtype=torch.float64)\n"))
    }
}
