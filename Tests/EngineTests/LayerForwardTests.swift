// Each layer's forward pass against a hand computation or the same math from composite tensor ops,
// FlattenConsecutive's shapes, the lectures' models as Sequential, descriptions and shape errors.
//
// Tolerance: float32 results agree with hand values and composites to 1e-5 absolute.
import Engine
import Testing

/// Every value of `ours` within `tolerance` of `expected`, same count.
func expectValues(
    _ ours: [Float], _ expected: [Float], tolerance: Float = 1e-5, _ what: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        ours.count == expected.count, "\(what): \(ours.count) values, expected \(expected.count)",
        sourceLocation: sourceLocation)
    let worst = zip(ours, expected).map { abs($0 - $1) }.max() ?? 0
    #expect(
        worst <= tolerance, "\(what): differs by up to \(worst): \(ours.prefix(8)) vs \(expected.prefix(8))",
        sourceLocation: sourceLocation)
}

/// Writes `values` into a parameter (tests set γ, β and weights by hand).
func setValues(_ tensor: Tensor, _ values: [Float]) {
    tensor.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = values[i] } }
}

/// A layer and how it prints.
struct DescribedLayer: Sendable, CustomTestStringConvertible {
    let expected: String
    let make: @Sendable () -> any TensorLayer
    init(_ expected: String, _ make: @escaping @Sendable () -> any TensorLayer) {
        self.expected = expected
        self.make = make
    }
    var testDescription: String { expected }
}

@Suite("Layers: forward passes")
struct LayerForwardTests {
    @Test("Linear is x·W + b, by hand, on (N, C) and (B, T, C) input")
    func linearByHand() throws {
        let layer = Linear(weight: try Tensor(rows: [[1, 2], [3, 4], [5, 6]]), bias: Tensor([0.5, -1]))  // (3, 2)
        let x = try Tensor(rows: [[1, 0, -1], [2, 1, 0]])  // (2, 3)
        let y = layer(x)  // (2, 2)
        #expect(y.shape == [2, 2])
        expectValues(y.scalars, [-3.5, -5, 5.5, 7])
        let y3 = layer(try x.view(1, 2, 3))  // (1, 2, 2)
        #expect(y3.shape == [1, 2, 2])
        expectValues(y3.scalars, [-3.5, -5, 5.5, 7])
        let noBias = Linear(weight: layer.weight, bias: nil)
        expectValues(noBias(x).scalars, [-4, -4, 5, 8])
    }

    @Test("Embedding picks rows; float input must hold whole numbers")
    func embeddingLooksUpRows() throws {
        let g = TorchGenerator(seed: 2_147_483_647)
        let emb = Embedding(5, 3, generator: g)
        let table = emb.weight.scalars
        let X = try IndexTensor([4, 0, 4, 2], shape: [2, 2])
        let out = emb(X)  // (2, 2, 3)
        #expect(out.shape == [2, 2, 3])
        let expected = [4, 0, 4, 2].flatMap { table[$0 * 3..<$0 * 3 + 3] }
        #expect(out.scalars == expected)
        #expect(emb(try Tensor(shape: [2, 2], values: [4, 0, 4, 2])).scalars == expected)
        #expect(throws: ShapeError.self) { try emb.forward(Tensor([1.5])) }
        let error = #expect(throws: ShapeError.self) { try emb.forward(indices: IndexTensor([5])) }
        #expect(error?.op == "Embedding(5 × 3)")
    }

    @Test(
        "BatchNorm1d in training normalises each channel over the batch (2-D) and over batch and time (3-D)",
        arguments: [[6, 3], [4, 3, 3]])
    func batchNormMatchesComposite(shape: [Int]) throws {
        let g = TorchGenerator(seed: 5)
        let x = try Tensor.randn(shape, generator: g) * 2 + 1  // (…, 3)
        let bn = BatchNorm1d(3)
        setValues(bn.gamma, [1.5, -0.5, 2])
        setValues(bn.beta, [0.1, 0.2, -0.3])
        let dims = Array(0..<(shape.count - 1))
        let mean = try x.mean(dims: dims, keepdim: true)  // (1…, 3)
        let variance = try x.variance(dims: dims, unbiased: false, keepdim: true)  // (1…, 3)
        let expected = (x - mean) / (variance + 1e-5).sqrt() * bn.gamma + bn.beta  // (…, 3)
        expectValues(bn(x).scalars, expected.scalars, tolerance: 2e-5)
    }

    @Test("BatchNorm1d keeps PyTorch's running statistics in training and uses them in evaluation")
    func batchNormRunningStatistics() throws {
        let bn = BatchNorm1d(2, momentum: 0.1)
        let batches = [
            try Tensor(rows: [[1, 10], [2, 20], [3, 60], [6, 30]]), try Tensor(rows: [[0, 1], [4, 3], [2, 2]])
        ]
        var runningMean: [Double] = [0, 0]
        var runningVar: [Double] = [1, 1]
        for x in batches {
            _ = bn(x)
            let rows = x.shape[0]
            let values = x.scalars.map(Double.init)
            for c in 0..<2 {
                let column = (0..<rows).map { values[$0 * 2 + c] }
                let mean = column.reduce(0, +) / Double(rows)
                let unbiased = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(rows - 1)
                runningMean[c] = 0.9 * runningMean[c] + 0.1 * mean
                runningVar[c] = 0.9 * runningVar[c] + 0.1 * unbiased
            }
        }
        expectValues(bn.runningMean.scalars, runningMean.map(Float.init))
        expectValues(bn.runningVar.scalars, runningVar.map(Float.init), tolerance: 1e-4)

        let model = Sequential([Sequential([bn])])  // the mode reaches nested layers
        model.training = false
        #expect(!bn.training)
        let x = try Tensor(rows: [[5, 7]])  // one example: only possible in evaluation
        let expected = (0..<2).map { c in
            Float((Double(x.scalars[c]) - runningMean[c]) / (runningVar[c] + 1e-5).squareRoot())
        }
        expectValues(model(x).scalars, expected, tolerance: 1e-4)
        expectValues(bn.runningMean.scalars, runningMean.map(Float.init))  // evaluation leaves them alone
        model.training = true
        #expect(throws: ShapeError.self) { try model.forward(x) }  // one row has no batch variance
    }

    @Test("LayerNorm normalises each position over its channels, as composite ops")
    func layerNormMatchesComposite() throws {
        let g = TorchGenerator(seed: 9)
        let x = try Tensor.randn([2, 3, 4], generator: g) * 3 - 1  // (B, T, C)
        let ln = LayerNorm(4)
        setValues(ln.weight, [1, 2, -1, 0.5])
        setValues(ln.bias, [0, 0.1, 0.2, 0.3])
        let mean = try x.mean(dim: -1, keepdim: true)  // (B, T, 1)
        let variance = try x.variance(dim: -1, unbiased: false, keepdim: true)  // (B, T, 1)
        let expected = (x - mean) / (variance + 1e-5).sqrt() * ln.weight + ln.bias  // (B, T, C)
        expectValues(ln(x).scalars, expected.scalars)
    }

    @Test("activations are their ops")
    func activations() throws {
        let x = Tensor([-2, -0.5, 0, 0.5, 2])
        #expect(Tanh()(x).scalars == x.tanh().scalars)
        #expect(ReLU()(x).scalars == [0, 0, 0, 0.5, 2])
        #expect(GELU()(x).scalars == x.gelu().scalars)
    }

    @Test(
        "FlattenConsecutive: (B, T, C) → (B, T/n, C·n), squeezing T when it becomes 1",
        arguments: [
            ([4, 8, 10], 2, [4, 4, 20]), ([4, 8, 10], 4, [4, 2, 40]), ([4, 8, 10], 8, [4, 80]),
            ([4, 8, 10], 1, [4, 8, 10]), ([3, 1, 5], 1, [3, 5]), ([2, 6, 1], 3, [2, 2, 3])
        ])
    func flattenConsecutiveShapes(input: [Int], n: Int, output: [Int]) throws {
        let x = try Tensor.arange(Float(input.reduce(1, *))).view(input)  // (B, T, C)
        let y = FlattenConsecutive(n)(x)
        #expect(y.shape == output)
        #expect(y.scalars == x.scalars)  // row-major order is unchanged: neighbours are joined, not moved
    }

    @Test("FlattenConsecutive refuses time steps that do not split, and non-3-D input")
    func flattenConsecutiveErrors() throws {
        let error = #expect(throws: ShapeError.self) { try FlattenConsecutive(2).forward(Tensor.zeros([4, 7, 10])) }
        #expect(
            error?.description
                == "FlattenConsecutive(2): input (4, 7, 10) has 7 time steps, which do not split into groups of 2")
        #expect(throws: ShapeError.self) { try FlattenConsecutive(2).forward(Tensor.zeros([4, 8])) }
    }

    @Test("Linear names itself when the input does not fit")
    func linearShapeError() throws {
        let layer = Linear(30, 200, generator: TorchGenerator())
        let error = #expect(throws: ShapeError.self) { try layer.forward(Tensor.zeros([32, 20])) }
        #expect(
            error?.description
                == "Linear(30 → 200): input (32, 20) has 20 features in its last dim; this layer takes 30")
        let model = Sequential([Embedding(27, 10, generator: TorchGenerator()), FlattenConsecutive(3), layer])
        #expect(throws: ShapeError.self) { try model.forward(indices: IndexTensor([1, 2, 3, 4], shape: [2, 2])) }
    }

    @Test("makemore part 5's WaveNet is a few lines: 76,579 parameters, (B, 8) → (B, 27)")
    func lectureFiveModel() throws {
        let g = TorchGenerator(seed: 42)
        let (embed, hidden) = (24, 128)
        let model = Sequential([
            Embedding(27, embed, generator: g),
            FlattenConsecutive(2), Linear(embed * 2, hidden, bias: false, generator: g), BatchNorm1d(hidden), Tanh(),
            FlattenConsecutive(2), Linear(hidden * 2, hidden, bias: false, generator: g), BatchNorm1d(hidden), Tanh(),
            FlattenConsecutive(2), Linear(hidden * 2, hidden, bias: false, generator: g), BatchNorm1d(hidden), Tanh(),
            Linear(hidden, 27, generator: g)
        ])
        let last = try #require(model[-1] as? Linear)
        let before = last.weight.scalars
        (model.layers.last as? Linear)?.weight *= 0.1  // make the last layer less confident
        expectValues(last.weight.scalars, before.map { $0 * 0.1 }, tolerance: 1e-7)
        #expect(model.parameterCount == 76_579)
        #expect(model.parameters().count == 1 + 3 * 3 + 2)
        #expect(model.buffers().count == 6)
        let X = try IndexTensor((0..<32).map { Int32($0 % 27) }, shape: [4, 8])
        let logits = model(X)  // (4, 27)
        #expect(logits.shape == [4, 27])
        let loss = try logits.crossEntropy(targets: IndexTensor([1, 2, 3, 4]))
        #expect(abs(try loss.item() - 3.2958) < 0.2)  // near ln 27: the scaled last layer is unsure
    }

    @Test(
        "descriptions",
        arguments: [
            DescribedLayer("Linear(30 → 200), 6,200 parameters") { Linear(30, 200, generator: TorchGenerator()) },
            DescribedLayer("Linear(48 → 128, no bias), 6,144 parameters") {
                Linear(48, 128, bias: false, generator: TorchGenerator())
            },
            DescribedLayer("Embedding(27 × 10), 270 parameters") { Embedding(27, 10, generator: TorchGenerator()) },
            DescribedLayer("BatchNorm1d(200), 400 parameters") { BatchNorm1d(200) },
            DescribedLayer("LayerNorm(64), 128 parameters") { LayerNorm(64) },
            DescribedLayer("Tanh()") { Tanh() },
            DescribedLayer("FlattenConsecutive(2)") { FlattenConsecutive(2) },
            DescribedLayer("Sequential of 2 layers, 3 parameters\n  Linear(2 → 1), 3 parameters\n  Tanh()") {
                Sequential([Linear(2, 1, generator: TorchGenerator()), Tanh()])
            }
        ])
    func descriptions(_ described: DescribedLayer) {
        #expect(described.make().description == described.expected)
    }

    @Test("the lecture's MLP prints its layers and 11,897 parameters; evaluation mode shows")
    func sequentialDescription() {
        let g = TorchGenerator()
        let model = Sequential([
            Embedding(27, 10, generator: g), FlattenConsecutive(3), Linear(30, 200, generator: g),
            BatchNorm1d(200), Tanh(), Linear(200, 27, generator: g)
        ])
        model.training = false
        #expect(
            model.description == """
                Sequential of 6 layers, 12,297 parameters (eval)
                  Embedding(27 × 10), 270 parameters
                  FlattenConsecutive(3)
                  Linear(30 → 200), 6,200 parameters
                  BatchNorm1d(200, eval), 400 parameters
                  Tanh()
                  Linear(200 → 27), 5,427 parameters
                """)
    }
}
