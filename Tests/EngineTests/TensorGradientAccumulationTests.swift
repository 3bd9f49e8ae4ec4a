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

/// `zeroGrad()` leaves a gradient nobody else holds to be zeroed when it is read, or overwritten by
/// an op that writes it whole: whatever way the gradient is then reached, it must read as the
/// zeros plus what the next backward pass adds, exactly as if the zeros had been written at once.
@Suite("zero_grad's deferred zeros")
struct DeferredZeroGradTests {
    /// A linear layer (weight and bias written whole by backward) and an embedding table (added to).
    struct Model {
        let table = try! Tensor.randn([7, 5], generator: TorchGenerator(seed: 21)).requiringGrad()
        let weight = try! Tensor.randn([10, 4], generator: TorchGenerator(seed: 22)).requiringGrad()
        let bias = try! Tensor.randn([4], generator: TorchGenerator(seed: 23)).requiringGrad()
        var parameters: [Tensor] { [table, weight, bias] }

        func backward(_ rows: [Int32]) throws {
            let x = try table.embedding(IndexTensor(rows, shape: [3, 2])).view([3, 10])
            try x.linear(weight, bias: bias, sumsBiasInDouble: true).tanh().sum().backward()
        }
    }

    /// The gradients of one pass on `rows`, computed from no gradient at all.
    static func fresh(_ rows: [Int32]) throws -> [[UInt32]] {
        let model = Model()
        try model.backward(rows)
        return try model.parameters.map { try #require($0.grad).scalars.map(\.bitPattern) }
    }

    @Test("after zeroGrad, a backward pass gives what it gives on no gradient, bit for bit")
    func zeroGradThenBackward() throws {
        let model = Model()
        try model.backward([1, 2, 3, 4, 5, 6])
        for p in model.parameters { p.zeroGrad() }
        try model.backward([0, 6, 6, 2, 1, 3])
        let grads = try model.parameters.map { try #require($0.grad).scalars.map(\.bitPattern) }
        #expect(grads == (try Self.fresh([0, 6, 6, 2, 1, 3])))
    }

    @Test("a gradient read after zeroGrad is zeros, before and after an op adds to it")
    func readAfterZeroGrad() throws {
        let model = Model()
        try model.backward([1, 2, 3, 4, 5, 6])
        for p in model.parameters { p.zeroGrad() }
        for p in model.parameters { #expect(try #require(p.grad).scalars.allSatisfy { $0 == 0 }) }
        try model.backward([0, 6, 6, 2, 1, 3])  // read zeros were written: backward adds to them
        let grads = try model.parameters.map { try #require($0.grad).scalars.map(\.bitPattern) }
        let fresh = try Self.fresh([0, 6, 6, 2, 1, 3])
        for (got, expected) in zip(grads, fresh) {
            #expect(got.map { Float(bitPattern: $0) } == expected.map { 0 + Float(bitPattern: $0) })
        }
    }

    @Test("a gradient held elsewhere, or viewed, is zeroed at once")
    func heldGradientsAreZeroedAtOnce() throws {
        let model = Model()
        try model.backward([1, 2, 3, 4, 5, 6])
        let held = try #require(model.weight.grad)
        let viewed = try #require(model.bias.grad).view([2, 2])
        #expect(held.scalars.contains { $0 != 0 } && viewed.scalars.contains { $0 != 0 })
        for p in model.parameters { p.zeroGrad() }
        #expect(held.scalars.allSatisfy { $0 == 0 })
        #expect(viewed.scalars.allSatisfy { $0 == 0 })
    }
}
