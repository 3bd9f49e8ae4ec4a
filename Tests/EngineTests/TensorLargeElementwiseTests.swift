// Ops on tensors large enough to be split between the cores (ReLU, same-shape add, dropout, a linear
// layer's bias rows and bias gradient) against the same arithmetic done here one element at a time:
// every bit must match, with fresh gradients and with gradients that are added to.
//
// Shapes: N rows × D columns, N·D above the size at which the work is split.
import Engine
import Testing

@Suite("Large elementwise ops, split between cores")
struct TensorLargeElementwiseTests {
    static let (N, D) = (300, 257)  // 77,100 elements: two parts, neither a multiple of 16

    /// Values with exact zeros and negative zeros among them, as ReLU's edge cases.
    static func values(seed: UInt64) throws -> Tensor {
        let t = try Tensor.randn([N, D], generator: TorchGenerator(seed: seed))
        var v = t.scalars
        for i in stride(from: 0, to: v.count, by: 97) { v[i] = i % 2 == 0 ? 0 : -0.0 }
        return try Tensor(shape: [N, D], values: v)
    }

    @Test func reluForwardAndBackwardTwice() throws {
        let x = try Self.values(seed: 1).requiringGrad()
        let up1 = try Self.values(seed: 2)
        let up2 = try Self.values(seed: 3)
        let y = x.relu()
        // Two uses: the first writes the gradient fresh, the second adds to it.
        try y.mul(up1).sum().add(y.mul(up2).sum()).backward()
        let (xs, a, b) = (x.scalars, up1.scalars, up2.scalars)
        let expectedY = xs.map { $0 < 0 ? 0 : $0 }  // negative values to 0, the rest (-0 too) kept
        let forwardMatches = y.scalars.map(\.bitPattern) == expectedY.map(\.bitPattern)
        #expect(forwardMatches)
        let expected = xs.indices.map { i -> Float in xs[i] > 0 ? Float(0) + a[i] + b[i] : 0 }
        let grad = try #require(x.grad).scalars
        let backwardMatches = grad.map(\.bitPattern) == expected.map(\.bitPattern)
        #expect(backwardMatches)
    }

    @Test func addForwardAndBackward() throws {
        let x = try Self.values(seed: 4).requiringGrad()
        let z = try Self.values(seed: 5).requiringGrad()
        let up = try Self.values(seed: 6)
        let y = try x.add(z)
        try y.mul(up).sum().add(x.mul(up).sum()).backward()  // x's gradient: up + up
        let (xs, zs, us) = (x.scalars, z.scalars, up.scalars)
        let forwardMatches = y.scalars.map(\.bitPattern) == zip(xs, zs).map { ($0 + $1).bitPattern }
        let zGradMatches = try #require(z.grad).scalars.map(\.bitPattern) == us.map(\.bitPattern)
        let xGradMatches = try #require(x.grad).scalars.map(\.bitPattern) == us.map { ($0 + $0).bitPattern }
        #expect(forwardMatches && zGradMatches && xGradMatches)
    }

    @Test func dropoutForwardAndBackward() throws {
        let p: Float = 0.2
        let x = try Self.values(seed: 7).requiringGrad()
        let up = try Self.values(seed: 8)
        let y = x.dropout(p, generator: TorchGenerator(seed: 9))
        try y.mul(up).sum().backward()
        let u = TorchGenerator(seed: 9).rand(Self.N * Self.D)
        let mask = u.map { $0 >= p ? 1 / (1 - p) : Float(0) }
        let (xs, us) = (x.scalars, up.scalars)
        let forwardMatches = y.scalars.map(\.bitPattern) == xs.indices.map { (xs[$0] * mask[$0]).bitPattern }
        let backwardMatches =
            try #require(x.grad).scalars.map(\.bitPattern) == us.indices.map { (us[$0] * mask[$0]).bitPattern }
        #expect(forwardMatches && backwardMatches)
    }

    @Test func linearBiasRowsAndGradient() throws {
        let (N, D, C) = (Self.N, Self.D, 3)
        let x = try Tensor.randn([N, C], generator: TorchGenerator(seed: 10))
        let w = try Tensor.randn([C, D], generator: TorchGenerator(seed: 11)).requiringGrad()
        let b = try Tensor.randn([D], generator: TorchGenerator(seed: 12)).requiringGrad()
        let up = try Self.values(seed: 13)
        let y = try x.linear(w, bias: b)
        try y.mul(up).sum().backward()  // b's gradient: Σ rows of up, written fresh
        let first = try #require(b.grad).scalars
        try x.linear(w, bias: b).mul(up).sum().backward()  // a second pass adds the same sums to it
        let second = try #require(b.grad).scalars
        // Forward: each row is b + x·W.
        let (xs, ws, bs, us) = (x.scalars, w.scalars, b.scalars, up.scalars)
        for r in [0, N / 2, N - 1] {
            for j in [0, 100, D - 1] {
                var expected = bs[j]
                for c in 0..<C { expected += xs[r * C + c] * ws[c * D + j] }
                #expect(abs(y.scalars[r * D + j] - expected) <= 1e-5, "y[\(r), \(j)]")
            }
        }
        // Backward: each column summed down the rows in order, from 0 and then from the first sums.
        for j in 0..<D {
            var total: Float = 0
            for r in 0..<N { total += us[r * D + j] }
            var again = total
            for r in 0..<N { again += us[r * D + j] }
            #expect(first[j].bitPattern == total.bitPattern, "column \(j)")
            #expect(second[j].bitPattern == again.bitPattern, "column \(j)")
        }
    }

    @Test func layerNormWeightAndBiasGradients() throws {
        let (N, D) = (Self.N, Self.D)
        let x = try Self.values(seed: 14)
        let w = try Tensor.randn([D], generator: TorchGenerator(seed: 15)).requiringGrad()
        let b = try Tensor.randn([D], generator: TorchGenerator(seed: 16)).requiringGrad()
        let up = try Self.values(seed: 17)
        try x.layerNorm(weight: w, bias: b).mul(up).sum().backward()
        let (xs, us) = (x.scalars, up.scalars)
        let (dw, db) = (try #require(w.grad).scalars, try #require(b.grad).scalars)
        // db: each column of the upstream gradient summed down the rows in order, exactly.
        // dw: Σ over rows of x̂·g, with x̂ recomputed here in double (a tolerance for the statistics).
        var dbMatches = true
        var dwWorst = 0.0
        for j in 0..<D {
            var total: Float = 0
            for r in 0..<N { total += us[r * D + j] }
            dbMatches = dbMatches && db[j].bitPattern == total.bitPattern
        }
        var expectedDw = [Double](repeating: 0, count: D)
        for r in 0..<N {
            let row = (0..<D).map { Double(xs[r * D + $0]) }
            let mean = row.reduce(0, +) / Double(D)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(D)
            let rstd = 1 / (variance + 1e-5).squareRoot()
            for j in 0..<D { expectedDw[j] += (row[j] - mean) * rstd * Double(us[r * D + j]) }
        }
        for j in 0..<D { dwWorst = max(dwWorst, abs(Double(dw[j]) - expectedDw[j]) / max(1, abs(expectedDw[j]))) }
        #expect(dbMatches)
        #expect(dwWorst <= 1e-4, "worst relative error of dw \(dwWorst)")
    }

    /// With weight 1 and bias 0 the output is x̂ itself, so dw can be checked to the bit: each column
    /// of x̂·g summed down the rows in order, as the kernel sums it (32 columns at a time in registers,
    /// the columns past the last 32 one by one).
    @Test(arguments: [257, 128, 40])
    func layerNormWeightGradientIsExact(columns D: Int) throws {
        let N = Self.N
        let x = try Tensor.randn([N, D], generator: TorchGenerator(seed: 18))
        let w = try Tensor.ones([D]).requiringGrad()
        let b = try Tensor.zeros([D]).requiringGrad()
        let up = try Tensor.randn([N, D], generator: TorchGenerator(seed: 19))
        let y = try x.layerNorm(weight: w, bias: b)
        try y.mul(up).sum().backward()
        let (norm, us, dw) = (y.scalars, up.scalars, try #require(w.grad).scalars)
        var matches = true
        for j in 0..<D {
            var total: Float = 0
            for r in 0..<N { total += norm[r * D + j] * us[r * D + j] }
            matches = matches && dw[j].bitPattern == total.bitPattern
        }
        #expect(matches)
    }

    /// Large enough that dx and dW are cut into parts shared by the cores: each equals the product
    /// computed alone on one thread, bit for bit, fresh and then added to by a second pass (β = 1).
    /// D = 130 and 65 leave a narrow right part of dW; N = 301 an uneven bottom of dx.
    @Test(arguments: [(300, 64, 130), (301, 48, 65), (256, 128, 384)])
    func linearInputAndWeightGradientsInParts(_ shape: (Int, Int, Int)) throws {
        let (N, C, D) = shape
        let x = try Tensor.randn([N, C], generator: TorchGenerator(seed: 20)).requiringGrad()
        let w = try Tensor.randn([C, D], generator: TorchGenerator(seed: 21)).requiringGrad()
        let up = try Tensor.randn([N, D], generator: TorchGenerator(seed: 22))
        let (xs, ws, us) = (x.scalars, w.scalars, up.scalars)
        var dx = [Float](repeating: 0, count: N * C)
        var dW = [Float](repeating: 0, count: C * D)
        for pass in 1...2 {
            let beta: Float = pass == 1 ? 0 : 1
            Gemm.sgemm(
                transA: false, transB: true, m: N, n: C, k: D, a: us, lda: D, b: ws, ldb: D, beta: beta, c: &dx,
                ldc: C, threads: 1)
            Gemm.sgemm(
                transA: true, transB: false, m: C, n: D, k: N, a: xs, lda: C, b: us, ldb: D, beta: beta, c: &dW,
                ldc: D, threads: 1)
            try x.linear(w, bias: nil).mul(up).sum().backward()
            let dxMatches = try #require(x.grad).scalars.map(\.bitPattern) == dx.map(\.bitPattern)
            let dWMatches = try #require(w.grad).scalars.map(\.bitPattern) == dW.map(\.bitPattern)
            #expect(dxMatches, "dx, pass \(pass)")
            #expect(dWMatches, "dW, pass \(pass)")
        }
    }

    /// The ReLU done by the GEMM as it writes each tile gives the bits of the linear op followed by
    /// `relu()`: the output, and the gradients of x, W and b. Shapes: one small enough for one core,
    /// one split between the cores, one whose K (300) takes two blocks, so that only the finished
    /// sums are clamped.
    @Test(arguments: [(5, 3, 7), (300, 64, 130), (64, 300, 40)])
    func linearWithReLUIsLinearThenReLU(_ shape: (Int, Int, Int)) throws {
        let (N, C, D) = shape
        func leaves() throws -> (Tensor, Tensor, Tensor) {
            (
                try Tensor.randn([N, C], generator: TorchGenerator(seed: 30)).requiringGrad(),
                try Tensor.randn([C, D], generator: TorchGenerator(seed: 31)).requiringGrad(),
                try Tensor.randn([D], generator: TorchGenerator(seed: 32)).requiringGrad()
            )
        }
        let up = try Tensor.randn([N, D], generator: TorchGenerator(seed: 33))
        let (x1, w1, b1) = try leaves()
        let (x2, w2, b2) = try leaves()
        let fused = try x1.linear(w1, bias: b1, relu: true)
        let separate = try x2.linear(w2, bias: b2).relu()
        try fused.mul(up).sum().backward()
        try separate.mul(up).sum().backward()
        func same(_ a: Tensor?, _ b: Tensor?) -> Bool {
            guard let a, let b else { return false }
            return a.scalars.map(\.bitPattern) == b.scalars.map(\.bitPattern)
        }
        let zeros = fused.scalars.filter { $0 == 0 }.count
        #expect(zeros > 0 && zeros < N * D, "some outputs clamped, not all")
        #expect(same(fused, separate), "output")
        #expect(same(x1.grad, x2.grad), "dx")
        #expect(same(w1.grad, w2.grad), "dW")
        #expect(same(b1.grad, b2.grad), "db")
    }

    /// A residual plus a dropped branch in one op gives the bits of `add(branch.dropout(…))`: the
    /// output, both gradients (fresh, then added to by a second pass), and the generator left at the
    /// same place. Small and split between the cores; a broadcast falls back to the two ops.
    @Test(arguments: [[3, 7], [300, 257], [4, 1]])
    func residualWithDropoutIsAddOfDropout(_ branchShape: [Int]) throws {
        let shape = branchShape == [4, 1] ? [4, 5] : branchShape
        func leaves() throws -> (Tensor, Tensor) {
            (
                try Tensor.randn(shape, generator: TorchGenerator(seed: 40)).requiringGrad(),
                try Tensor.randn(branchShape, generator: TorchGenerator(seed: 41)).requiringGrad()
            )
        }
        let up = try Tensor.randn(shape, generator: TorchGenerator(seed: 42))
        let (x1, b1) = try leaves()
        let (x2, b2) = try leaves()
        let (g1, g2) = (TorchGenerator(seed: 43), TorchGenerator(seed: 43))
        func same(_ a: Tensor?, _ b: Tensor?) -> Bool {
            guard let a, let b else { return false }
            return a.scalars.map(\.bitPattern) == b.scalars.map(\.bitPattern)
        }
        for pass in 1...2 {
            let fused = try x1.addingDropout(of: b1, 0.2, generator: g1)
            let separate = try x2.add(b2.dropout(0.2, generator: g2))
            try fused.mul(up).sum().backward()
            try separate.mul(up).sum().backward()
            #expect(same(fused, separate), "output, pass \(pass)")
            #expect(same(x1.grad, x2.grad) && same(b1.grad, b2.grad), "gradients, pass \(pass)")
            #expect(g1.rand(1) == g2.rand(1), "generators, pass \(pass)")
        }
    }

    /// A layer norm's row statistics read eight rows eight columns at a time, transposed in
    /// registers: every column handed over is the one gathered element by element, in order, for
    /// widths under, at and past a multiple of eight and for short last groups of rows.
    @Test(arguments: [5, 8, 37, 128], [8, 5])
    func columnsOfEightRows(columns C: Int, rows: Int) {
        let stride = C + 3
        let x = (0..<(8 * stride)).map { Float($0) * 0.5 - 7 }
        let y = (0..<(8 * stride)).map { Float($0) * -0.25 + 3 }
        var seen: [(Int, SIMD8<Float>, SIMD8<Float>)] = []
        Tensor.forEachColumn(x, y, rows: rows, stride: stride, columns: C) { seen.append(($0, $1, $2)) }
        var xOnly: [SIMD8<Float>] = []
        Tensor.forEachColumn(x, nil, rows: rows, stride: stride, columns: C) { _, xj, yj in
            xOnly.append(xj)
            #expect(yj == .zero)
        }
        #expect(seen.map(\.0) == Array(0..<C))
        for j in 0..<C {
            var (ex, ey) = (SIMD8<Float>(), SIMD8<Float>())
            for l in 0..<rows { (ex[l], ey[l]) = (x[l * stride + j], y[l * stride + j]) }
            #expect(seen[j].1 == ex && seen[j].2 == ey && xOnly[j] == ex, "column \(j)")
        }
    }

    /// Every tensor's floats start on a 64-byte boundary, whatever their count.
    @Test func storageIsCacheLineAligned() throws {
        for count in [1, 3, 16, 17, 1000, 100_003] {
            let t = try Tensor.ones([count])
            let address = t.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
            #expect(address % 64 == 0, "\(count) floats at \(address)")
            #expect(t.scalars.allSatisfy { $0 == 1 })
        }
    }
}
