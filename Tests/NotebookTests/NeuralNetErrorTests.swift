// Every mistake a user can make with the neural-net commands and built-ins: one clear line, and the
// session exactly as it was — the same variables and the same weights.
import Testing

@testable import Notebook

@Suite("Neural-net errors")
struct NeuralNetErrorTests {
    static let setup = [
        "xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]",
        "ys = [1.0, -1.0, -1.0, 1.0]; ys3 = [1.0, -1.0, 1.0]; half = [0.5, -1.0, -1.0, 1.0]; words = [1.0, 'a', -1.0, 1.0]",
        "empty = []; ragged = [[1.0, 2.0, 3.0], [1.0, 2.0]]; pair = [1.0, -1.0]",
        "n = MLP(3, [4, 4, 1]); m = MLP(2, [4, 1]); wide = MLP(2, [2, 2]); d = moons(20)"
    ]

    @Test(arguments: [
        // The network called on wrong inputs
        ("n([1.0, 2.0])", "error: MLP(3 → 4 → 4 → 1) takes 3 inputs, but x has 2"),
        ("n(['a', 2.0, 3.0])", "error: x[0] must be a number, not a str"),
        ("n(3)", "error: the input x must be a list of 3 numbers, not an int"),
        ("n.weights", "error: MLP attribute 'weights' is not defined; an MLP has layers, parameters() and zero_grad()"),
        ("n.layer", "error: MLP attribute 'layer' is not defined; did you mean 'layers'?"),
        // Making networks and data
        ("MLP(3)", "error: MLP() needs the layer sizes too, e.g. MLP(3, [4, 4, 1])"),
        ("MLP(3, [])", "error: MLP() needs at least one layer: nouts is empty"),
        ("MLP(3, [4, 0])", "error: MLP() layer size nouts[1] must be at least 1, not 0"),
        ("MLP('a', [1])", "error: TypeError: MLP() argument 'nin' must be a whole number (an int), not a str"),
        ("MLP(3, [4, 1], nonlin='rleu')", "error: MLP() nonlin 'rleu' is not defined; did you mean 'relu'?"),
        (
            "MLP(1000, [1000, 1000])",
            "error: MLP() would make 2,002,000 parameters; the scalar engine takes at most 100,000 (one Value each)"
        ),
        ("mlp n2 3", "error: mlp: give the number of inputs and at least one layer size, e.g. mlp n2 3 4 4 1"),
        ("mlp 2n 3 1", "error: mlp: '2n' is not a name to assign to; use letters, digits and _, e.g. d or model2"),
        ("moons(n=0)", "error: moons: n must be from 1 to 100,000 points, not 0"),
        (
            "circles(factor=2)",
            "error: circles: factor is the inner circle's radius, between 0 and 1 (not included), not 2.0"
        ),
        (
            "data e spiral",
            "error: data: 'spiral' is not a valid data set (choose lecture, moons, circles, xor or blobs)"
        ),
        (
            "data e moon",
            "error: data: 'moon' is not a valid data set; did you mean 'moons'? (choose lecture, moons, circles, xor or blobs)"
        ),
        (
            "data e moons --noise -1",
            "error: data: moons: noise must be a number from 0 to 1e6 (a standard deviation; the shapes are about 2 across), not -1.0"
        ),
        (
            "data e lecture --n 5",
            "error: data: the lecture's examples are fixed (4 points in 3-D); they take no n, noise, factor or seed"
        ),
        // Training on bad data
        ("train n xs ys3", "error: train: xs has 4 examples but ys3 has 3 targets; they must pair up"),
        ("train n empty empty", "error: train: empty is empty: there are no examples to use"),
        ("train n xs words", "error: train: words[1] must be a number, not a str"),
        (
            "train n ragged pair",
            "error: train: ragged[1] has 2 numbers but ragged[0] has 3; every input needs the same length"
        ),
        ("train n [[1, 2, 3]] [1, 2]", "error: train: xs has 1 example but ys has 2 targets; they must pair up"),
        ("train n d", "error: train: the examples of d have 2 numbers each, but the network takes 3 inputs"),
        (
            "train n xs",
            "error: train: 'xs' is a list, not a data set; give a data set, or the inputs and their targets: train … xs ys"
        ),
        (
            "train n xs half",
            "error: train: the hinge loss needs labels -1 or 1, but target 0 is 0.5; use --loss squared for other targets"
        ),
        ("train n xs ys --loss mae", "error: train: 'mae' is not a valid --loss (choose squared, hinge or bce)"),
        (
            "train n xs ys --loss hing",
            "error: train: 'hing' is not a valid --loss; did you mean 'hinge'? (choose squared, hinge or bce)"
        ),
        ("train n xs ys --steps 0", "error: train: --steps must be from 1 to 1,000,000, not 0"),
        ("train n xs ys --alpha -1", "error: train: --alpha must be a number ≥ 0, not -1.0"),
        (
            "train n xs ys --lr nonsense",
            "error: train: --lr nonsense: unknown schedule kind 'nonsense' (kinds: constant, step, multistep, exp, cosine, restarts, linear, warmup, factor, poly, onecycle, cyclic)"
        ),
        ("train ys xs ys", "error: train: 'ys' is a list, not an MLP; make one with ys = MLP(2, [16, 16, 1])"),
        (
            "train wide d",
            "error: train: the network has 2 outputs; a loss needs one score per example, so make its last layer 1 neuron"
        ),
        (
            "train nosuch d",
            "error: train: name 'nosuch' is not defined; assign it first (vars lists the names defined so far)"
        ),
        // Predicting and drawing
        ("predict n [2.0, 3.0]", "error: predict: n takes 3 inputs, but the input has 2"),
        ("predict n", "error: predict: give the inputs, e.g. predict n [1.0, 1.0, 1.0]"),
        ("predict n d", "error: predict: n takes 3 inputs, but the points have 2"),
        ("predict n [2.0, 3.0, -1.0] --graph --layer 3", "error: predict: --layer must be from 0 to 2, not 3"),
        (
            "boundary n d",
            "error: boundary: n takes 3 inputs and gives 1 output; a boundary in the plane needs 2 inputs and 1 output"
        ),
        ("boundary m d --width 5", "error: boundary: --width must be from 10 to 400 characters, not 5"),
        (
            "boundary m d --svg /nonexistent/folder/b.svg",
            "error: boundary: cannot write /nonexistent/folder/b.svg: no such file or folder; check that the folder exists"
        ),
        ("net n d", "error: net: the examples of d have 2 numbers each, but the network takes 3 inputs")
    ])
    func reportsClearlyAndKeepsState(_ input: String, _ message: String) {
        let (session, output) = makeSession()
        for line in Self.setup { #expect(session.execute(line), "\(line)") }
        let names = session.interpreter.variables.keys.sorted()
        _ = output.take()
        session.execute("before = [p.data for p in n.parameters() + m.parameters()]")
        let ok = session.execute(input)
        #expect(!ok, "\(input)")
        #expect(output.take().split(separator: "\n").last.map(String.init) == message, "\(input)")
        #expect(session.interpreter.variables.keys.sorted() == (names + ["before"]).sorted())
        session.execute("before == [p.data for p in n.parameters() + m.parameters()]")
        #expect(output.take() == "True\n", "\(input) changed the weights")
    }

    /// A learning rate so large that the scores overflow: training stops and keeps the last weights
    /// that gave a finite loss (here the first ones: step 0's update already overflows).
    @Test func divergenceStopsAndKeepsTheLastGoodWeights() {
        let (session, output) = makeSession()
        for line in Self.setup + ["r = MLP(2, [4, 1], nonlin='relu')", "before = [p.data for p in r.parameters()]"] {
            session.execute(line)
        }
        _ = output.take()
        session.execute("train r d --steps 5 --lr 1e300 --alpha 0")
        #expect(
            output.take().hasSuffix(
                """
                warning: training diverged at step 1: the scores became inf or nan. Stopped; r keeps its weights from before step 0, the last with a finite loss. Try a smaller --lr.

                """))
        session.execute("before == [p.data for p in r.parameters()]")
        #expect(output.take() == "True\n")
    }
}
