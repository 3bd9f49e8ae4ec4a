// Each layer's backward pass against finite differences, on tiny configurations: the gradient of
// sum(layer(x) · mix) (a fixed random mix, so every output matters) with respect to the input and
// every parameter.
//
// Central differences (f(p+h) - f(p-h)) / 2h with h = 1e-2 on the float32 forward pass, in Double.
// Tolerance: |numeric - autograd| ≤ 5e-3·max(|numeric|, |autograd|) + 2e-4.
import Engine
import TestSupport
import Testing

/// A layer under test: the tensors to differentiate with respect to, and the loss.
struct LayerGradientCase: Sendable, CustomTestStringConvertible {
    let name: String
    let build: @Sendable () throws -> (tensors: [Tensor], loss: () throws -> Tensor)
    var testDescription: String { name }

    /// `layer` applied to an input of `shape` (which also gets a gradient), scored by a random mix.
    static func layer(
        _ name: String, input shape: [Int], seed: UInt64 = 1,
        _ make: @escaping @Sendable (TorchGenerator) -> any TensorLayer
    ) -> LayerGradientCase {
        LayerGradientCase(name: name) {
            let g = TorchGenerator(seed: seed)
            let layer = make(g)
            let x = try Tensor.randn(shape, generator: g).requiringGrad()  // (…)
            let out = try layer.forward(x)
            let mix = try Tensor.randn(out.shape, generator: g)  // like out
            return (layer.parameters() + [x], { try layer.forward(x).mul(mix).sum() })
        }
    }
}

/// Values of a fixed pattern for γ/β-like parameters, so they are not all ones and zeros.
private func perturbed(_ tensor: Tensor, base: Float) {
    setValues(tensor, (0..<tensor.count).map { base + 0.3 * Float($0 % 3) - 0.2 })
}

let layerGradientCases: [LayerGradientCase] = [
    .layer("Linear on (B, T, C) with bias", input: [2, 3, 4]) { g in Linear(4, 5, generator: g) },
    .layer("Linear without bias", input: [5, 3]) { g in
        Linear(3, 2, bias: false, initialization: .xavier(gain: 1), generator: g)
    },
    .layer("BatchNorm1d in training, (N, C)", input: [6, 3]) { _ in
        let bn = BatchNorm1d(3)
        perturbed(bn.gamma, base: 1.2)
        perturbed(bn.beta, base: 0.1)
        return bn
    },
    .layer("BatchNorm1d in training, (B, T, C): statistics over B and T", input: [3, 4, 2]) { _ in
        let bn = BatchNorm1d(2)
        perturbed(bn.gamma, base: 0.8)
        return bn
    },
    .layer("BatchNorm1d in evaluation, with running statistics", input: [4, 3]) { _ in
        let bn = BatchNorm1d(3)
        setValues(bn.runningMean, [0.5, -0.2, 0.1])
        setValues(bn.runningVar, [2, 0.5, 1.5])
        perturbed(bn.gamma, base: 1)
        bn.training = false
        return bn
    },
    .layer("LayerNorm", input: [2, 3, 4]) { _ in
        let ln = LayerNorm(4)
        perturbed(ln.weight, base: 0.9)
        perturbed(ln.bias, base: 0)
        return ln
    },
    .layer("Tanh", input: [3, 4]) { _ in Tanh() },
    .layer("GELU", input: [3, 4]) { _ in GELU() },
    .layer("FlattenConsecutive then Linear", input: [2, 4, 3]) { g in
        Sequential([FlattenConsecutive(2), Linear(6, 3, generator: g)])
    },
    LayerGradientCase(name: "Embedding with a repeated index") {
        let g = TorchGenerator(seed: 4)
        let emb = Embedding(5, 3, generator: g)
        let X = try IndexTensor([1, 3, 1, 0, 4, 1], shape: [2, 3])
        let mix = try Tensor.randn([2, 3, 3], generator: g)  // (B, T, C)
        return ([emb.weight], { try emb(X).mul(mix).sum() })
    },
    LayerGradientCase(name: "a tiny WaveNet: embedding, flatten, linear, batch norm, tanh, cross-entropy") {
        let g = TorchGenerator(seed: 8)
        let model = Sequential([
            Embedding(5, 3, generator: g), FlattenConsecutive(2), Linear(6, 4, bias: false, generator: g),
            BatchNorm1d(4), Tanh(), FlattenConsecutive(2), Linear(8, 5, generator: g)
        ])
        let X = try IndexTensor([0, 1, 2, 3, 4, 4, 3, 2, 1, 1, 0, 2], shape: [3, 4])
        let Y = try IndexTensor([2, 0, 4])
        return (model.parameters(), { try model(X).crossEntropy(targets: Y) })
    }
]

@Suite("Layers: gradients against finite differences")
struct LayerGradientTests {
    @Test(arguments: layerGradientCases)
    func autogradMatchesCentralDifferences(_ check: LayerGradientCase) throws {
        let (tensors, loss) = try check.build()
        let mismatches = try centralDifferenceMismatches(
            tensors,
            elements: { tensor in
                Set(stride(from: 0, to: tensor.count, by: max(1, tensor.count / 10)) + [tensor.count - 1]).sorted()
            }, loss: loss)
        #expect(mismatches.isEmpty, "\(mismatches)")
    }
}
