// The fused ops behind makemore.py's Transformer and bag of words (Tensor+Attention.swift,
// Tensor+Linear.swift): each against the composite of engine ops it replaces (values and gradients
// within 1e-5 absolute + 1e-5 relative) and against central finite differences (h = 1e-2, tolerance
// 5e-3·max(|numeric|, |autograd|) + 2e-4, as TensorGradientCheckTests).
//
// Shapes: B = batch, T = time, C = channels, nh = heads, hs = C / nh.
import Engine
import TestSupport
import Testing

@Suite("Fused attention ops")
struct TensorAttentionTests {
    /// makemore.py's CausalSelfAttention between c_attn and c_proj, op by op.
    static func compositeAttention(_ qkv: Tensor, heads nh: Int) throws -> Tensor {
        let (B, T, C) = (qkv.shape[0], qkv.shape[1], qkv.shape[2] / 3)
        func heads(_ i: Int) throws -> Tensor {  // (B, nh, T, hs)
            try qkv.slice(i * C..<(i + 1) * C, dim: 2).reshape(B, T, nh, C / nh).transpose(1, 2)
        }
        let (q, k, v) = (try heads(0), try heads(1), try heads(2))
        let causal = try Tensor.ones([T, T]).tril().eq(0)  // (T, T)
        let att = try ((q ⊗ k.transposed()) * (1 / Float(C / nh).squareRoot()))
            .maskedFill(causal, value: -.infinity).softmax(dim: -1)  // (B, nh, T, T)
        return try (att ⊗ v).transpose(1, 2).reshape(B, T, C)  // (B, T, C)
    }

    /// Values and the gradient of Σ mix·f(x) of `fused` and `composite` agree.
    static func expectSame(_ x: Tensor, _ fused: (Tensor) throws -> Tensor, _ composite: (Tensor) throws -> Tensor)
        throws
    {
        let g = TorchGenerator(seed: 9)
        let a = try fused(x)
        let mix = try Tensor.randn(a.shape, generator: g)
        try a.mul(mix).sum().backward()
        let da = try #require(x.grad).scalars
        x.zeroGrad()
        let b = try composite(x)
        try b.mul(mix).sum().backward()
        let db = try #require(x.grad).scalars
        x.zeroGrad()
        #expect(a.shape == b.shape)
        for (u, v) in zip(a.scalars, b.scalars) { #expect(abs(u - v) <= 1e-5 + 1e-5 * abs(v), "value \(u) vs \(v)") }
        for (u, v) in zip(da, db) { #expect(abs(u - v) <= 1e-5 + 1e-5 * abs(v), "gradient \(u) vs \(v)") }
    }

    /// From T = 32 on, the rows before the split skip the upper-right block: T = 40 (split at 16),
    /// 37 (padded to 40), 64 (at 32).
    @Test(arguments: [
        (2, 5, 8, 2), (3, 16, 64, 4), (1, 1, 6, 3), (2, 7, 12, 1), (2, 40, 16, 2), (1, 37, 12, 3), (1, 64, 32, 4)
    ])
    func attentionEqualsTheComposite(_ B: Int, _ T: Int, _ C: Int, _ nh: Int) throws {
        let qkv = try Tensor.randn([B, T, 3 * C], generator: TorchGenerator(seed: 4)).requiringGrad()  // (B, T, 3C)
        try Self.expectSame(
            qkv, { try $0.causalSelfAttention(heads: nh) }, { try Self.compositeAttention($0, heads: nh) })
    }

    /// "Let's build GPT"'s heads drop attention weights out (`wei = self.dropout(wei)`): the fused op
    /// with dropout equals the composite with the same keep mask (one uniform per (B, nh, T, T)
    /// element, kept at ≥ p, scaled by 1/(1 − p)) applied after the softmax. The last two are large
    /// enough that one core draws the mask row by row while the other computes the rows drawn (at
    /// T = 37 into rows padded to 40).
    @Test(arguments: [(2, 5, 8, 2), (1, 9, 12, 3), (1, 48, 8, 2), (8, 64, 64, 4), (12, 37, 48, 3)])
    func attentionDropoutEqualsTheCompositeWithItsMask(_ B: Int, _ T: Int, _ C: Int, _ nh: Int) throws {
        let p: Float = 0.3
        let qkv = try Tensor.randn([B, T, 3 * C], generator: TorchGenerator(seed: 6)).requiringGrad()  // (B, T, 3C)
        let uniforms = TorchGenerator(seed: 21).rand(B * nh * T * T)
        let mask = try Tensor(shape: [B, nh, T, T], values: uniforms.map { $0 >= p ? 1 / (1 - p) : 0 })
        #expect(mask.scalars.contains(0) && mask.scalars.contains(1 / (1 - p)), "some weights dropped, some kept")
        try Self.expectSame(
            qkv, { try $0.causalSelfAttention(heads: nh, dropout: (p, TorchGenerator(seed: 21))) },
            { qkv in
                let (hs, C) = (C / nh, C)
                func heads(_ i: Int) throws -> Tensor {  // (B, nh, T, hs)
                    try qkv.slice(i * C..<(i + 1) * C, dim: 2).reshape(B, T, nh, hs).transpose(1, 2)
                }
                let (q, k, v) = (try heads(0), try heads(1), try heads(2))
                let causal = try Tensor.ones([T, T]).tril().eq(0)  // (T, T)
                let att = try ((q ⊗ k.transposed()) * (1 / Float(hs).squareRoot()))
                    .maskedFill(causal, value: -.infinity).softmax(dim: -1).mul(mask)  // (B, nh, T, T)
                return try (att ⊗ v).transpose(1, 2).reshape(B, T, C)  // (B, T, C)
            })
        // p = 0 draws nothing and is the plain op.
        let g = TorchGenerator(seed: 1)
        let plain = try qkv.causalSelfAttention(heads: nh).scalars
        #expect(try qkv.causalSelfAttention(heads: nh, dropout: (0, g)).scalars == plain)
        #expect(g.nextUInt32() == TorchGenerator(seed: 1).nextUInt32(), "dropout 0 draws nothing")
    }

    /// Work given to run `alongside` runs once, after the op's own draws: what it draws from the same
    /// generator is what the next draws after the op would be, and the op's output is unchanged;
    /// on one core (small) and with the mask drawn by one core while the other computes (large).
    @Test(arguments: [(2, 5, 8, 2), (8, 64, 64, 4)])
    func workAlongsideRunsOnceAfterTheMask(_ B: Int, _ T: Int, _ C: Int, _ nh: Int) throws {
        let qkv = try Tensor.randn([B, T, 3 * C], generator: TorchGenerator(seed: 7))  // (B, T, 3C)
        let (g1, g2) = (TorchGenerator(seed: 22), TorchGenerator(seed: 22))
        var runs = 0
        var drawnAlongside: [Float] = []
        let y1 = try qkv.causalSelfAttention(heads: nh, dropout: (0.25, g1)) {
            runs += 1
            drawnAlongside = g1.rand(100)
        }
        let y2 = try qkv.causalSelfAttention(heads: nh, dropout: (0.25, g2))
        #expect(runs == 1)
        #expect(drawnAlongside == g2.rand(100))
        #expect(y1.scalars.map(\.bitPattern) == y2.scalars.map(\.bitPattern))
        var plainRuns = 0
        _ = try qkv.causalSelfAttention(heads: nh) { plainRuns += 1 }
        #expect(plainRuns == 1, "without dropout too")
    }

    @Test func attentionDropoutGradientsMatchFiniteDifferences() throws {
        let x = try Tensor.randn([2, 4, 12], generator: TorchGenerator(seed: 13)).requiringGrad()  // (B, T, 3C)
        let mix = try Tensor.randn([2, 4, 4], generator: TorchGenerator(seed: 14))
        let mismatches = try centralDifferenceMismatches(
            [x], label: { "attention with dropout, input \($0)" },
            loss: {
                // The same mask at every evaluation: a generator seeded the same.
                try x.causalSelfAttention(heads: 2, dropout: (0.25, TorchGenerator(seed: 15))).mul(mix).sum()  // ()
            })
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func linearEqualsMatmulPlusBias() throws {
        let g = TorchGenerator(seed: 5)
        let x = try Tensor.randn([3, 4, 5], generator: g).requiringGrad()  // (B, T, C)
        let w = try Tensor.randn([5, 7], generator: g).requiringGrad()
        let b = try Tensor.randn([7], generator: g).requiringGrad()
        for bias in [b, nil] {
            try Self.expectSame(
                x, { try $0.linear(w, bias: bias) },
                { x in try bias.map { b in try x.matmul(w).add(b) } ?? x.matmul(w) })
        }
        // The weight's and bias's gradients too.
        let mix = try Tensor.randn([3, 4, 7], generator: g)
        w.zeroGrad()
        b.zeroGrad()
        try x.linear(w, bias: b).mul(mix).sum().backward()
        let (dw, db) = (try #require(w.grad).scalars, try #require(b.grad).scalars)
        w.zeroGrad()
        b.zeroGrad()
        try x.matmul(w).add(b).mul(mix).sum().backward()
        for (u, v) in zip(dw + db, try #require(w.grad).scalars + #require(b.grad).scalars) {
            #expect(abs(u - v) <= 1e-5 + 1e-5 * abs(v))
        }
    }

    /// Large enough that backward cuts dW and dx into parts for the cores: dW by rows when x is the
    /// wider operand (C > D, a feed-forward's second layer), by columns otherwise. The parts' bits
    /// are the composite's, whose products are cut by the GEMM's own rule.
    @Test(arguments: [(512, 96, 40), (512, 40, 96)])
    func largeLinearGradientsAreMatmulsBits(_ shape: (Int, Int, Int)) throws {
        let (N, C, D) = shape
        let g = TorchGenerator(seed: 6)
        let x = try Tensor.randn([N, C], generator: g).requiringGrad()
        let w = try Tensor.randn([C, D], generator: g).requiringGrad()
        let mix = try Tensor.randn([N, D], generator: g)
        try x.linear(w, bias: nil).mul(mix).sum().backward()
        let (dx, dw) = (try #require(x.grad).scalars, try #require(w.grad).scalars)
        x.zeroGrad()
        w.zeroGrad()
        try x.matmul(w).mul(mix).sum().backward()
        #expect(dx.map(\.bitPattern) == (try #require(x.grad).scalars.map(\.bitPattern)))
        #expect(dw.map(\.bitPattern) == (try #require(w.grad).scalars.map(\.bitPattern)))
    }

    @Test(arguments: ["attention", "average", "linear"])
    func gradientsMatchFiniteDifferences(_ op: String) throws {
        let g = TorchGenerator(seed: 12)
        let x = try Tensor.randn(op == "attention" ? [2, 4, 12] : [2, 4, 3], generator: g).requiringGrad()
        let w = try Tensor.randn([3, 5], generator: g).requiringGrad()
        let b = try Tensor.randn([5], generator: g).requiringGrad()
        let f: (Tensor) throws -> Tensor =
            switch op {
            case "attention": { try $0.causalSelfAttention(heads: 2) }
            case "average": { try $0.causalAverage() }
            default: { try $0.linear(w, bias: b) }
            }
        let mix = try Tensor.randn(try f(x).shape, generator: g)
        let mismatches = try centralDifferenceMismatches(
            op == "linear" ? [x, w, b] : [x], label: { "\(op) input \($0)" },
            loss: {
                try f(x).mul(mix).sum()  // ()
            })
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func badShapesThrow() throws {
        let x = try Tensor.zeros([2, 3, 8])
        #expect(throws: ShapeError.self) { try x.causalSelfAttention(heads: 2) }  // 8 is not 3C
        // 3 channels, 2 heads
        #expect(throws: ShapeError.self) { try Tensor.zeros([2, 3, 9]).causalSelfAttention(heads: 2) }
        #expect(throws: ShapeError.self) { try Tensor.zeros([6, 9]).causalSelfAttention(heads: 1) }
        #expect(throws: ShapeError.self) { try Tensor.zeros([6, 9]).causalAverage() }
        #expect(throws: ShapeError.self) { try x.linear(Tensor.zeros([7, 2]), bias: nil) }
        #expect(throws: ShapeError.self) { try x.linear(Tensor.zeros([8, 2]), bias: Tensor.zeros([3])) }
    }
}
