// Autograd against finite differences on composite expressions: an MLP with tanh and cross-entropy,
// causal self-attention with layer norm, batch norm with GELU, an unrolled RNN, and elementwise mixes.
//
// Central differences (f(x+h) - f(x-h)) / 2h with h = 1e-2 on the float32 forward pass, computed in
// Double. Tolerance for float32: |numeric - autograd| ≤ 5e-3·max(|numeric|, |autograd|) + 2e-4.
import Engine
import TestSupport
import Testing

/// A scalar expression of some parameters, to check its gradient.
struct GradientCheckCase: Sendable, CustomTestStringConvertible {
    let name: String
    /// Makes the parameters (deterministically) and the loss as a function of them.
    let build: @Sendable () throws -> (parameters: [Tensor], loss: () throws -> Tensor)
    var testDescription: String { name }
}

/// Normal values from the lecture's seed, scaled.
func gradientCheckParameter(_ shape: [Int], _ g: TorchGenerator, scale: Float = 1) throws -> Tensor {
    try (Tensor.randn(shape, generator: g) * scale).detach().requiringGrad()
}

let gradientCheckCases: [GradientCheckCase] = [
    GradientCheckCase(name: "MLP: embedding, tanh, cross-entropy with an ignored target") {
        let g = TorchGenerator(seed: 2_147_483_647)
        let C = try gradientCheckParameter([7, 4], g)  // (V, E)
        let W1 = try gradientCheckParameter([12, 10], g, scale: 0.3)  // (3E, H)
        let b1 = try gradientCheckParameter([10], g, scale: 0.1)  // (H,)
        let W2 = try gradientCheckParameter([10, 7], g, scale: 0.3)  // (H, V)
        let b2 = try gradientCheckParameter([7], g, scale: 0.1)  // (V,)
        let X = try IndexTensor([1, 2, 3, 0, 0, 5, 6, 6, 1, 2, 4, 3, 5, 1, 0, 3, 3, 3], shape: [6, 3])
        let Y = try IndexTensor([4, 0, -1, 6, 2, 2], shape: [6])
        return (
            [C, W1, b1, W2, b2],
            {
                let h = (try C[X].view(-1, 12) ⊗ W1 + b1).tanh()  // (6, H)
                return try (h ⊗ W2 + b2).crossEntropy(targets: Y, ignoreIndex: -1)  // ()
            }
        )
    },
    GradientCheckCase(name: "causal self-attention with strided heads and layer norm") {
        let g = TorchGenerator(seed: 42)
        let (B, T, C, nh) = (2, 5, 8, 2)
        let x = try gradientCheckParameter([B, T, C], g)  // (B, T, C)
        let wqkv = try gradientCheckParameter([C, 3 * C], g, scale: 0.4)  // (C, 3C)
        let wproj = try gradientCheckParameter([C, C], g, scale: 0.4)  // (C, C)
        let lnw = try gradientCheckParameter([C], g)
        let lnb = try gradientCheckParameter([C], g)
        let mix = try Tensor.randn([B, T, C], generator: g)  // (B, T, C)
        return (
            [x, wqkv, wproj, lnw, lnb],
            {
                let y = try TensorAttentionTests.compositeAttention(x ⊗ wqkv, heads: nh) ⊗ wproj  // (B, T, C)
                return try (y + x).layerNorm(weight: lnw, bias: lnb).mul(mix).sum()  // ()
            }
        )
    },
    GradientCheckCase(name: "3-D batch norm, GELU, log-softmax, std, max, cat and stack") {
        let g = TorchGenerator(seed: 7)
        let x = try gradientCheckParameter([6, 3, 4], g)  // (N, L, C)
        let gain = try gradientCheckParameter([4], g)
        let bias = try gradientCheckParameter([4], g)
        let mix = try Tensor.randn([6, 3, 4], generator: g)  // (N, L, C)
        return (
            [x, gain, bias],
            {
                let h = try x.batchNorm(gain: gain, bias: bias, runningMean: nil, runningVar: nil, training: true)
                    .gelu()
                let a = try h.logSoftmax(dim: 1).std(dim: 0)  // (3, 4)
                let b = try h.max(dim: 2).variance(dims: [0], unbiased: false)  // (3,)
                let c = try Tensor.stack([b, b * b], dim: 1)  // (3, 2)
                return try Tensor.cat([a, c], dim: 1).pow(2).mean() + h.mul(mix).sum()  // ()
            }
        )
    },
    GradientCheckCase(name: "RNN unrolled over time with select, stack and permute") {
        let g = TorchGenerator(seed: 3)
        let x = try gradientCheckParameter([3, 4, 2], g)  // (B, T, E)
        let wx = try gradientCheckParameter([2, 5], g, scale: 0.5)  // (E, H)
        let wh = try gradientCheckParameter([5, 5], g, scale: 0.5)  // (H, H)
        let h0 = try gradientCheckParameter([1, 5], g)  // (1, H)
        return (
            [x, wx, wh, h0],
            {
                var h = h0
                var states: [Tensor] = []
                for t in 0..<4 {
                    h = (try x.select(t, dim: 1) ⊗ wx + h ⊗ wh).tanh()  // (B, H)
                    states.append(h)
                }
                let hs = try Tensor.stack(states, dim: 1).permute([2, 0, 1])  // (H, B, T)
                return try (hs.mean(dims: [1, 2]) * hs.sum(dims: [0, 1]).sum()).sum()  // ()
            }
        )
    },
    GradientCheckCase(name: "broadcasting div, pow, sqrt, sigmoid, exp, log, scalar ops") {
        let g = TorchGenerator(seed: 11)
        let a = try gradientCheckParameter([3, 4], g)
        let b = try gradientCheckParameter([4], g)
        let c = try gradientCheckParameter([3, 1], g)
        return (
            [a, b, c],
            {
                let p = (a.sigmoid() / (b.exp() + 1)).pow(2)  // (3, 4)
                let q = (a * a + c * c + 1).log().sqrt() - 2 / (b * b + 1)  // (3, 4)
                let r = (1 - a / 3).pow(1.5) * c - (-b).relu() * 0  // (3, 4)
                return (p + q - r * 0.5).mean()  // ()
            }
        )
    }
]

@Suite("Tensor gradients against finite differences")
struct TensorGradientCheckTests {
    @Test(arguments: gradientCheckCases)
    func autogradMatchesCentralDifferences(_ check: GradientCheckCase) throws {
        let (parameters, loss) = try check.build()
        let mismatches = try centralDifferenceMismatches(
            parameters,
            elements: { parameter in
                Set(stride(from: 0, to: parameter.count, by: max(1, parameter.count / 12)) + [parameter.count - 1])
                    .sorted()
            }, label: { "parameter \($0)" }, loss: loss)
        #expect(mismatches.isEmpty, "\(mismatches)")
    }
}
