// Ops that store into a gradient they create (no zero fill) and add into one that exists: used twice
// in one graph, an input's gradient must be exactly twice the gradient of using it once (x + x is
// exact in floating point), whichever use backward reaches first.
import Engine
import Testing

@Suite("Gradients written whole, then added to")
struct TensorGradientAccumulationTests {
    /// x's gradient of Σ mix·f(x), and of Σ mix·f(x) + Σ mix·f(x) with f applied twice.
    static func onceAndTwice(_ shape: [Int], _ f: (Tensor) throws -> Tensor) throws -> (once: [Float], twice: [Float]) {
        let g = TorchGenerator(seed: 12)
        let x = try Tensor.randn(shape, generator: g).requiringGrad()
        let first = try f(x)
        let mix = try Tensor.randn(first.shape, generator: g)
        try first.mul(mix).sum().backward()
        let once = try #require(x.grad).scalars
        let y = try Tensor(shape: shape, values: x.scalars).requiringGrad()
        try f(y).mul(mix).sum().add(f(y).mul(mix).sum()).backward()
        return (once, try #require(y.grad).scalars)
    }

    static func expectDoubled(_ shape: [Int], _ f: (Tensor) throws -> Tensor) throws {
        let (once, twice) = try onceAndTwice(shape, f)
        #expect(once.contains { $0 != 0 })
        #expect(twice.map(\.bitPattern) == once.map { ($0 * 2).bitPattern })
    }

    @Test func linear() throws {
        let w = try Tensor.randn([24, 40], generator: TorchGenerator(seed: 3))
        let b = try Tensor.randn([40], generator: TorchGenerator(seed: 4))
        try Self.expectDoubled([3, 5, 24]) { try $0.linear(w, bias: b) }
    }

    @Test func gelu() throws { try Self.expectDoubled([70_000]) { $0.gelu() } }  // large: shared by both cores

    @Test func layerNorm() throws {
        let w = try Tensor.randn([20], generator: TorchGenerator(seed: 5))
        try Self.expectDoubled([6, 20]) { try $0.layerNorm(weight: w, bias: nil) }
    }

    @Test func add() throws {
        let other = try Tensor.randn([4, 9], generator: TorchGenerator(seed: 6))
        try Self.expectDoubled([4, 9]) { try $0.add(other) }
    }

    @Test func attention() throws { try Self.expectDoubled([2, 16, 3 * 32]) { try $0.causalSelfAttention(heads: 2) } }
}
