// The notebook's Python against CPython, side by side in one run: a loop of 1,000,000 iterations of
// scalar arithmetic, and micrograd's training loop typed in the notebook (a Value class with
// operator methods, Neuron, Layer and MLP, the lecture's nested loops). Each program runs in the
// notebook's interpreter in-process and in `python3` (when it is on the PATH), each with its own
// timer around the same source, parsed (compiled) before the timer starts, so neither side counts
// its start-up. Rounds alternate between the two (5 of the scalar loop, 15 of micrograd's short
// loop), the best round of each is kept, and both must print the same last line. The goal is at
// least 3× faster than CPython for both. For scale, micrograd's program compiled, and both programs
// in Lua when Lua 5.4 or LuaJIT is installed, run in the same rounds (ScaleRuns).
import Engine
import Foundation
import NotebookLanguage

enum InterpreterBenchmarks {
    static let interpreter = Benchmark(
        name: "interpreter",
        summary: "the notebook's Python against CPython: a 1,000,000-step scalar loop, micrograd's training loop"
    ) {
        programs.map { name, source, rounds in compare(name, source, rounds: rounds) }
    }

    /// A scalar loop: float and int arithmetic, a comparison and a branch per step.
    static let loop = """
        x = 0.0
        hits = 0
        for i in range(1000000):
            x = x * 0.999 + 1.0
            if i % 3 == 0:
                hits += 1
        print(round(x, 6), hits)
        """

    /// micrograd as the lecture builds it, in cells written for this benchmark: the class, the
    /// network, and 20 steps of the training loop on the lecture's four examples.
    static let micrograd = """
        import math
        import random
        class Scalar:
            def __init__(self, data, _children=(), _op=''):
                self.data = data
                self.grad = 0.0
                self._backward = lambda: None
                self._prev = set(_children)
                self._op = _op
            def __add__(self, other):
                other = other if isinstance(other, Scalar) else Scalar(other)
                out = Scalar(self.data + other.data, (self, other), '+')
                def back():
                    self.grad += out.grad
                    other.grad += out.grad
                out._backward = back
                return out
            def __mul__(self, other):
                other = other if isinstance(other, Scalar) else Scalar(other)
                out = Scalar(self.data * other.data, (self, other), '*')
                def back():
                    self.grad += other.data * out.grad
                    other.grad += self.data * out.grad
                out._backward = back
                return out
            def __pow__(self, k):
                out = Scalar(self.data ** k, (self,), f'**{k}')
                def back():
                    self.grad += k * self.data ** (k - 1) * out.grad
                out._backward = back
                return out
            def __radd__(self, other):
                return self + other
            def __rmul__(self, other):
                return self * other
            def __neg__(self):
                return self * -1
            def __sub__(self, other):
                return self + (-other)
            def tanh(self):
                t = (math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1)
                out = Scalar(t, (self,), 'tanh')
                def back():
                    self.grad += (1 - t ** 2) * out.grad
                out._backward = back
                return out
            def backward(self):
                order, seen = [], set()
                def visit(v):
                    if v not in seen:
                        seen.add(v)
                        for child in v._prev:
                            visit(child)
                        order.append(v)
                visit(self)
                self.grad = 1.0
                for v in reversed(order):
                    v._backward()
        class Unit:
            def __init__(self, nin):
                self.w = [Scalar(random.uniform(-1, 1)) for _ in range(nin)]
                self.b = Scalar(random.uniform(-1, 1))
            def __call__(self, x):
                return sum((wi * xi for wi, xi in zip(self.w, x)), self.b).tanh()
            def parameters(self):
                return self.w + [self.b]
        class Row:
            def __init__(self, nin, nout):
                self.units = [Unit(nin) for _ in range(nout)]
            def __call__(self, x):
                out = [u(x) for u in self.units]
                return out[0] if len(out) == 1 else out
            def parameters(self):
                return [p for u in self.units for p in u.parameters()]
        class Net:
            def __init__(self, nin, nouts):
                sizes = [nin] + nouts
                self.rows = [Row(sizes[i], sizes[i + 1]) for i in range(len(nouts))]
            def __call__(self, x):
                for row in self.rows:
                    x = row(x)
                return x
            def parameters(self):
                return [p for row in self.rows for p in row.parameters()]
        random.seed(42)
        net = Net(3, [4, 4, 1])
        xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
        ys = [1.0, -1.0, -1.0, 1.0]
        for k in range(20):
            preds = [net(x) for x in xs]
            loss = sum((p - y)**2 for y, p in zip(ys, preds))
            for p in net.parameters():
                p.grad = 0.0
            loss.backward()
            for p in net.parameters():
                p.data += -0.1 * p.grad
        print(round(loss.data, 10))
        """

    /// Each program with its rounds: micrograd's loop runs for about 20 ms, short enough that a
    /// slow stretch of this shared machine can cover a whole round, so it gets more of them.
    static let programs = [
        ("scalar loop (1,000,000 steps)", loop, 5), ("micrograd training loop (20 steps)", micrograd, 15)
    ]

    /// One program in both interpreters, side by side: the rounds alternate, a run in the notebook
    /// and a run in a CPython harness kept running between them (so that a stretch of a slow machine
    /// lands on both sides of a round, not on one side of the comparison). Each side's best round is
    /// kept; both must print the same last line.
    static func compare(_ name: String, _ source: String, rounds: Int) -> String {
        let peer = Benchmark.python().flatMap { PeerSession(python: $0, harness: harness(source)) }
        let scale = ScaleRuns(program: name)
        var (mine, theirs, theirProcessor) = ([Double](), [Double](), [Double]())
        var (printed, theirPrinted) = ("", "")
        for _ in 0..<rounds {
            let host = QuietHost()
            let interpreter = Interpreter(host: host)
            let clock = ContinuousClock()
            // Parsed before the timer starts, as the CPython side compiles before its timer.
            let statements: [Statement]
            do {
                statements = try Parser.parse(source)
            } catch {
                return "interpreter: \(name): \(error.message)"
            }
            let start = clock.now
            do {
                try interpreter.run(statements)
            } catch {
                return "interpreter: \(name): \(error.message)"
            }
            let duration = clock.now - start
            mine.append(Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18)
            printed = host.lastLine
            guard let peer, let reply = peer.ask("run") else { continue }
            let parts = reply.split(separator: "\t", maxSplits: 2).map(String.init)
            guard parts.count == 3, let seconds = Double(parts[0]), let processor = Double(parts[1]) else { continue }
            theirs.append(seconds)
            theirProcessor.append(processor)
            theirPrinted = parts[2]
            scale.runRound()
        }
        let best = mine.min()!
        var line = "interpreter: \(name): \(String(format: "%.1f", best * 1e3)) ms"
        guard theirs.count == rounds else {
            return line + "  (python3 not found or its harness failed: no CPython time to compare with)"
        }
        let ratio = theirs.min()! / best
        let pairs = zip(theirs, mine).map { $0 / $1 }.sorted()
        line += String(
            format: "; CPython %.1f ms: %.2f× %@ (round by round %.2f–%.2f×, median %.2f×)", theirs.min()! * 1e3, ratio,
            ratio >= 1 ? "faster" : "(slower)", pairs.first!, pairs.last!, pairs[pairs.count / 2])
        if theirPrinted != printed {
            line += "  — OUTPUT DIFFERS: notebook \(printed), CPython \(theirPrinted)"
        }
        line += "  (goal: 3× faster)"
        return
            ([line]
            + scale.report(cpython: theirs.min()!, cpythonProcessor: theirProcessor.min()!, printed: theirPrinted))
            .joined(separator: "\n")
    }

    /// The CPython side: the program compiled once; each `run` request executes it in fresh globals
    /// with its output caught, and answers its seconds, its processor seconds and its last printed
    /// line, tab-separated.
    static func harness(_ source: String) -> String {
        let hex = Data(source.utf8).map { String(format: "%02x", $0) }.joined()
        return """
            import io, sys, time
            code = compile(bytes.fromhex('\(hex)').decode(), 'benchmark', 'exec')
            print('ready', flush=True)
            for request in sys.stdin:
                out, sys.stdout = sys.stdout, io.StringIO()
                start, processor = time.perf_counter(), time.process_time()
                exec(code, {'__name__': '__main__'})
                elapsed, processor = time.perf_counter() - start, time.process_time() - processor
                printed, sys.stdout = sys.stdout.getvalue(), out
                last = (printed.strip().splitlines() or [''])[-1]
                print(f'{elapsed}\\t{processor}\\t{last}', flush=True)
            """
    }
}

/// A host that keeps only the last line printed.
private final class QuietHost: InterpreterHost {
    var lastLine = ""
    private var pending = ""
    func write(_ text: String) {
        pending += text
        if let end = pending.lastIndex(of: "\n") {
            lastLine = String(pending[..<end]).split(separator: "\n").last.map(String.init) ?? lastLine
            pending = String(pending[pending.index(after: end)...])
        }
    }
    func warn(_ message: String) {}
    var otherNames: [String] { [] }
    let generator = TorchGenerator(seed: 2_147_483_647)
    func backwardDidRun(from output: Value) {}
}
