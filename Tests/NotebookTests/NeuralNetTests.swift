// The neural-net lesson in the notebook: the lecture's code typed as is, and the commands that make,
// describe, train and draw networks, each against its transcript.
import Foundation
import Testing

@testable import Notebook
@testable import NotebookLanguage

@Suite("Neural nets")
struct NeuralNetTests {
    static let lecture = [
        "xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]",
        "ys = [1.0, -1.0, -1.0, 1.0]",
        "n = MLP(3, [4, 4, 1])"
    ]

    /// The lecture's second half, line by line as typed there (its loop body one line at a time).
    @Test func theLecturesCodeRunsAsTyped() {
        let (session, output) = makeSession()
        for line in Self.lecture { session.execute(line) }
        session.execute("n")
        #expect(
            output.take() == "MLP of [Layer of [TanhNeuron(3), TanhNeuron(3), TanhNeuron(3), TanhNeuron(3)], "
                + "Layer of [TanhNeuron(4), TanhNeuron(4), TanhNeuron(4), TanhNeuron(4)], Layer of [TanhNeuron(4)]]\n")
        session.execute("len(n.parameters()); n.layers[2]; n.layers[0].neurons[0].w[1]")
        #expect(output.take().hasPrefix("41\nLayer of [TanhNeuron(4)]\nValue(data="))
        var losses: [Double] = []
        for _ in 0..<20 {
            for line in [
                "ypred = [n(x) for x in xs]",
                "loss = sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))",
                "for p in n.parameters(): p.grad = 0.0",
                "loss.backward()",
                "for p in n.parameters(): p.data += -0.1 * p.grad"
            ] { #expect(session.execute(line), "\(line)") }
            _ = output.take()
            session.execute("loss.data")
            losses.append(Double(output.take().trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan)
        }
        #expect(
            losses[0] > 4 && losses[19] < 0.05 && zip(losses.dropFirst(), losses.dropFirst(2)).allSatisfy { $0 > $1 },
            "\(losses)")
        // The same network and data through the command: the same numbers.
        let (fresh, freshOutput) = makeSession()
        for line in Self.lecture { fresh.execute(line) }
        fresh.execute("train n xs ys --steps 20 --loss squared --alpha 0 --lr 0.1 --every 19")
        #expect(freshOutput.text.contains("  19  \(String(format: "%9.4f", losses[19]))    100.0%\n"))
    }

    @Test func theNetworkAnswersMicrogradsCalls() {
        let out = transcript(
            Self.lecture + [
                "n([2.0, 3.0, -1.0]).op", "len(n.layers[0].neurons)", "n.layers[1].neurons[3]",
                "n.layers[0].neurons[0].b.label",
                "Layer(2, 3)([1.0, 2.0])[2].op", "Neuron(2, nonlin='relu')", "MLP(2, [3, 2])([1.0, 1.0])",
                "n.zero_grad()", "MLP", "moons"
            ])
        let lines = out.split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(5)) == ["'tanh'", "4", "TanhNeuron(4)", "'b'", "'tanh'"])
        #expect(lines[5] == "ReLUNeuron(2)")
        #expect(lines[6].hasPrefix("[Value(data=") && lines[6].components(separatedBy: "Value(").count == 3)
        #expect(Array(lines.suffix(2)) == ["<class 'MLP'>", "<function moons>"])
    }

    @Test func mlpAndNetDescribeTheNetwork() {
        let table = """
            layer  inputs  neurons  nonlinearity  parameters
            ─────  ──────  ───────  ────────────  ──────────
                0       3        4  tanh                  16
                1       4        4  tanh                  20
                2       4        1  tanh                   5

            """
        #expect(
            transcript(["mlp n 3 4 4 1"]) == "n = MLP(3, [4, 4, 1]): MLP(3 → 4 → 4 → 1), tanh, 41 parameters\n" + table)
        #expect(
            lastOutput(Self.lecture + ["net n xs ys --loss squared"]) == "n: MLP(3 → 4 → 4 → 1), tanh, 41 parameters\n"
                + table + """
                    one loss evaluation on xs ys (4 examples, squared loss) builds a graph of 140 nodes, depth 11;
                    micrograd's unfused neurons would build 360 nodes, depth 22

                    """)
        #expect(
            lastOutput(["mlp model 2 16 16 1 --nonlin relu", "data d moons --n 100", "net model d --alpha 1e-4"])
                .hasSuffix(
                    """
                    one loss evaluation on d (100 examples, hinge loss + 0.0001·Σp²) builds a graph of 7,642 nodes, depth 109;
                    micrograd's unfused neurons would build 65,142 nodes, depth 143

                    """))
    }

    /// `mlp` and `MLP()` draw from the session's generator: the same seed, the same weights.
    @Test func networksDrawFromTheSessionsGenerator() {
        let a = transcript(["seed 42", "n = MLP(2, [2, 1])", "[p.data for p in n.parameters()]"])
        let b = transcript(["seed 42", "mlp n 2 2 1", "[p.data for p in n.parameters()]"])
        let c = transcript(["seed 43", "n = MLP(2, [2, 1])", "[p.data for p in n.parameters()]"])
        #expect(a.split(separator: "\n").last == b.split(separator: "\n").last)
        #expect(a.split(separator: "\n").last != c.split(separator: "\n").last)
        #expect(
            transcript(["d = moons(10, seed=3)", "e = moons(10, seed=3)", "d.xs == e.xs", "d"])
                == "True\nmoons: 10 points in 2-D, labels ±1 (5 of -1, 5 of 1), noise 0.1\n")
    }

    @Test func trainPrintsLossAndAccuracyAndKeepsCount() {
        let out = lastOutput(Self.lecture + ["train n xs ys --steps 60 --loss squared --alpha 0 --lr 0.1"])
        let lines = out.split(separator: "\n").map(String.init)
        #expect(
            Array(lines.prefix(4)) == [
                "training n: MLP(3 → 4 → 4 → 1), tanh, 41 parameters",
                "on xs ys: 4 points in 3-D, labels ±1 (2 of -1, 2 of 1)",
                "loss: squared error (Σ (score − y)²); lr: constant(0.1); 60 steps",
                "step       loss  accuracy"
            ])
        #expect(lines.count == 4 + 11 + 1)
        #expect(lines.last == "after 60 steps: loss 0.0100, accuracy 100.0% (4 of 4)")  // 0.00997
        #expect(
            lastOutput(Self.lecture + ["train n xs ys --steps 2 --loss squared --lr 0.1", "net n"]).hasPrefix(
                "n: MLP(3 → 4 → 4 → 1), tanh, 41 parameters (trained 2 steps)\n"))
    }

    @Test func theDemosScheduleIsTheDefault() {
        let out = lastOutput(["mlp m 2 4 1 --nonlin relu", "data d moons --n 20", "train m d --steps 10 --every 5"])
        #expect(
            out.contains(
                "loss: hinge loss (mean of relu(1 − y·score)) + 0.0001 · Σp²; lr: linear(1 × 1 → 0.1 over 10 steps); 10 steps\n"
            ))
        #expect(out.contains("step       loss  accuracy       lr\n"))
        #expect(out.contains("   5 ") && out.contains("0.5500\n") && out.contains("0.1900\nafter 10 steps"))
    }

    /// Ctrl-C between steps stops the run and keeps what the steps so far learned.
    @Test func ctrlCStopsBetweenStepsKeepingTheModel() {
        let (session, output) = makeSession()
        for line in Self.lecture { session.execute(line) }
        session.execute("before = [p.data for p in n.parameters()]")
        Interrupt.$simulated.withValue(true) {
            _ = session.execute("train n xs ys --steps 50 --loss squared --alpha 0 --lr 0.1")
        }
        #expect(output.take().hasSuffix("interrupted (Ctrl-C) after step 0: n keeps its 1 step of training\n"))
        session.execute("before == [p.data for p in n.parameters()]; net n")
        #expect(output.take().hasPrefix("False\nn: MLP(3 → 4 → 4 → 1), tanh, 41 parameters (trained 1 step)\n"))
    }

    @Test func predictOnePointSeveralOrADataSet() {
        #expect(lastOutput(Self.lecture + ["predict n [2.0, 3.0, -1.0]"]).hasPrefix("n([2.0, 3.0, -1.0]) = "))
        let table = lastOutput(Self.lecture + ["predict n xs"]).split(separator: "\n")
        #expect(table.count == 6 && table[0] == "#  x                    score  class")
        let data = lastOutput(["mlp m 2 3 1", "data d blobs --n 30", "predict m d"]).split(separator: "\n")
        #expect(data[0] == " #  x              score  class  label")
        #expect(data.count == 2 + 12 + 2 && data[14] == "… 18 more" && data[15].hasPrefix("accuracy "))
        // The graph of one neuron's output: the renderer draws it (until it is wired, a node list).
        let neuron = lastOutput(Self.lecture + ["predict n [2.0, 3.0, -1.0] --graph --layer 0 --neuron 1"])
        #expect(neuron.hasPrefix("n.layers[0].neurons[1] (TanhNeuron(3)) on [2.0, 3.0, -1.0] = "))
        #expect(neuron.split(separator: "\n").count > 2)
    }

    /// As micrograd builds it, a neuron's sum is a chain of `*` and `+` nodes, stepped one at a time.
    @Test func theBackwardStepWalksMicrogradsChainOfSums() {
        let out = lastOutput(Self.lecture + ["o = n([2.0, 3.0, -1.0])", "step o 3"])
        #expect(out.hasPrefix("backward pass from o: 117 nodes, grads set to 0\n"))
        #expect(out.contains("step 2/117  (+) = (+) + (*)\n"))
        #expect(out.contains("step 3/117  (*) = w3 * (tanh)\n"))
        #expect(out.contains("  → (tanh): do/d(tanh) += (*).grad * w3.data = "))
        let check = lastOutput(Self.lecture + ["o = n([2.0, 3.0, -1.0])", "check o"]).split(separator: "\n")
        #expect(check.count == 3 + 41 && check.dropFirst(3).allSatisfy { $0.hasSuffix("ok") })
    }

    @Test func dataDrawsTheDataSet() {
        let out = transcript(["data d moons --n 20 --seed 1 --width 30"])
        #expect(
            out == """
                d = moons: 20 points in 2-D, labels ±1 (10 of -1, 10 of 1), noise 0.1
                 1.25 ┌──────────────────────────────┐
                      │                              │
                      │     x  x x    x              │
                      │   x            x          o  │
                      │          o       x           │
                      │   x       o      x        o  │
                      │  x                       o   │
                      │           o  o   oo    o     │
                      │                              │
                -0.69 └──────────────────────────────┘
                      -1.13                       2.32
                o label 1 (10)   x label -1 (10)

                """)
        #expect(
            transcript(["data xy lecture"]).hasPrefix(
                "xy = the lecture's examples: 4 points in 3-D, labels ±1 (2 of -1, 2 of 1)\n  2.0, 3.0, -1.0  →  1.0\n")
        )
    }

    /// micrograd's demo, small: the trained boundary puts every point on its side, in plain text,
    /// in colour, and in an SVG file written atomically.
    @Test func boundaryShowsTheRegionsAndWritesSVG() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gradbook-boundary-\(UUID().uuidString).svg"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (session, output) = makeSession()
        for line in ["data d blobs --n 30 --noise 0.3", "m = MLP(2, [4, 1], nonlin='relu')", "train m d --steps 30"] {
            session.execute(line)
        }
        _ = output.take()
        session.execute("boundary m d --width 40 --svg \(path)")
        let lines = output.take().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains("o label 1 (15)   x label -1 (15)   · where the model says 1, blank where it says -1"))
        #expect(lines.contains("accuracy 100.0% (30 of 30)") && lines.contains("wrote \(path)"))
        let plot = lines.filter { $0.contains("│") }
        #expect(plot.allSatisfy { $0.count == plot[0].count } && plot.joined().contains("·"))
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.hasPrefix("<?xml") && svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<circle").count == 31)
        let folder = (path as NSString).deletingLastPathComponent
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy {
                !$0.hasSuffix(".tmp") || !$0.contains("gradbook-boundary")
            })

        session.style = TextStyle(color: true, width: 100)
        session.execute("boundary m d --width 40")
        #expect(output.take().contains("\u{1B}[48;2;"))
    }
}

@Suite("micrograd's demo typed as commands")
struct MicrogradDemoCommandTests {
    @Test func theDemosDataAndWeightsGiveItsFirstRow() {
        let out = transcript([
            "data d moons --numpy-seed 1337", "mlp m 2 16 16 1 --nonlin relu --python-seed 1337",
            "train m d --alpha 1e-4 --steps 1"
        ])
        #expect(out.contains("scikit-learn's after np.random.seed(1337)"))
        #expect(out.contains("   0     0.8958     50.0%"), "\(out)")
        #expect(
            transcript(["data d blobs --numpy-seed 1"]).contains(
                "error: data: --numpy-seed makes scikit-learn's make_moons"))
        #expect(transcript(["mlp m 2 1 --python-seed -1"]).contains("error: mlp: --python-seed must be from 0 to"))
    }
}
