// Reductions along dims, with PyTorch's `keepdim`: sum, mean, max, and variance / std (biased or
// unbiased). Backward spreads the output gradient back over the reduced dims.
//
// Shapes: x (…) → out with each reduced dim removed, or kept as size 1 when `keepdim`.

extension Tensor {
    /// The sum of all elements, a 0-D tensor.
    public func sum() -> Tensor { reduceSum(Set(0..<shape.count), keepdim: false, divisor: 1, op: "sum") }

    /// The sum along `dim`; `keepdim` keeps it as size 1, ready to broadcast against `self`.
    public func sum(dim: Int, keepdim: Bool = false) throws(ShapeError) -> Tensor {
        try sum(dims: [dim], keepdim: keepdim)
    }

    /// The sum along several dims at once, as `x.sum((0, 1))`.
    public func sum(dims: [Int], keepdim: Bool = false) throws(ShapeError) -> Tensor {
        reduceSum(try reducedDims(dims, op: "sum"), keepdim: keepdim, divisor: 1, op: "sum")
    }

    /// The mean of all elements, a 0-D tensor.
    public func mean() -> Tensor {
        reduceSum(Set(0..<shape.count), keepdim: false, divisor: Double(count), op: "mean")
    }

    /// The mean along `dim`.
    public func mean(dim: Int, keepdim: Bool = false) throws(ShapeError) -> Tensor {
        try mean(dims: [dim], keepdim: keepdim)
    }

    /// The mean along several dims, as the lecture's 3-D BatchNorm `x.mean((0, 1), keepdim=True)`.
    public func mean(dims: [Int], keepdim: Bool = false) throws(ShapeError) -> Tensor {
        let reduced = try reducedDims(dims, op: "mean")
        let n = reduced.reduce(1) { $0 * shape[$1] }
        return reduceSum(reduced, keepdim: keepdim, divisor: Double(n), op: "mean")
    }

    /// The variance along `dim`: Σ(x - mean)² / (n - 1) when `unbiased` (PyTorch's default and
    /// `running_var`'s), / n when not (BatchNorm's normalisation).
    public func variance(dim: Int, unbiased: Bool = true, keepdim: Bool = false) throws(ShapeError) -> Tensor {
        try variance(dims: [dim], unbiased: unbiased, keepdim: keepdim)
    }

    /// The variance along several dims. Built from `mean`, `-`, `*` and `sum`, so autograd derives
    /// its gradient, 2(x - mean)/(n - 1) · dout.
    public func variance(dims: [Int], unbiased: Bool = true, keepdim: Bool = false) throws(ShapeError) -> Tensor {
        let reduced = try reducedDims(dims, op: "variance")
        let n = reduced.reduce(1) { $0 * shape[$1] }
        let centered = self - reduceSum(reduced, keepdim: true, divisor: Double(n), op: "mean")  // (…)
        let divisor = Float(n - (unbiased ? 1 : 0))
        return (centered * centered).reduceSum(reduced, keepdim: keepdim, divisor: Double(divisor), op: "variance")
    }

    /// The standard deviation along `dim`, √variance.
    public func std(dim: Int, unbiased: Bool = true, keepdim: Bool = false) throws(ShapeError) -> Tensor {
        try variance(dims: [dim], unbiased: unbiased, keepdim: keepdim).sqrt()
    }

    /// The dims to reduce, counted from the front, each once.
    private func reducedDims(_ dims: [Int], op: String) throws(ShapeError) -> Set<Int> {
        var reduced = Set<Int>()
        for dim in dims {
            let d = try Tensor.normalizedDim(dim, rank: shape.count, op: op)
            guard reduced.insert(d).inserted else { throw ShapeError(op, "dim \(dim) is listed twice") }
        }
        return shape.isEmpty ? [] : reduced  // a 0-D tensor accepts dim 0 and -1 and reduces nothing
    }

    /// Each column's total of a contiguous (rows, columns) block at `x`, summed down the rows in
    /// double from 0 (the order of `sum(0)`), handed to `total(j, Σ)`: 32 columns at a time, their
    /// totals held in registers down all the rows, with no arrays made (a linear layer's bias
    /// gradient, twice per step of the lecture's MLP).
    @inline(__always)
    static func columnTotals(
        _ x: UnsafePointer<Float>, rows: Int, columns: Int, _ total: (Int, Double) -> Void
    ) {
        var j = 0
        while j + 32 <= columns {
            var (t0, t1, t2, t3) = (SIMD8<Double>(), SIMD8<Double>(), SIMD8<Double>(), SIMD8<Double>())
            for r in 0..<rows {
                let row = x + r * columns + j
                t0 += SIMD8<Double>(Vec8.load(row))
                t1 += SIMD8<Double>(Vec8.load(row + 8))
                t2 += SIMD8<Double>(Vec8.load(row + 16))
                t3 += SIMD8<Double>(Vec8.load(row + 24))
            }
            for lane in 0..<8 {
                total(j + lane, t0[lane])
                total(j + 8 + lane, t1[lane])
                total(j + 16 + lane, t2[lane])
                total(j + 24 + lane, t3[lane])
            }
            j += 32
        }
        while j < columns {
            var t = 0.0
            for r in 0..<rows { t += Double(x[r * columns + j]) }
            total(j, t)
            j += 1
        }
    }

    /// The sums of the values at `x` (laid out as `shape` with `strides`) over the dims where `kept`
    /// is 1, in double, row-major: the one summation order of `sum`, `mean` and of the gradients of
    /// broadcast ops, so that a gradient written by hand as `dout.sum(0)` equals autograd's exactly
    /// (as PyTorch's both go through its sum kernel).
    static func reducedTotals(_ x: UnsafePointer<Float>, shape: [Int], strides: [Int], kept: [Int]) -> [Double] {
        var totals = [Double](repeating: 0, count: kept.reduce(1, *))
        // Contiguous values summed over leading dims (a bias's gradient) or trailing dims (a row sum):
        // the same additions in the same order as the general loop below, without its bookkeeping.
        if strides == Tensor.contiguousStrides(shape),
            let split = (0...shape.count).first(where: { i in
                kept[..<i].allSatisfy { $0 == 1 } && zip(kept[i...], shape[i...]).allSatisfy { $0 == $1 }
            })
        {
            let rows = shape[..<split].reduce(1, *)
            let inner = shape[split...].reduce(1, *)
            totals.withUnsafeMutableBufferPointer { t in
                columnTotals(x, rows: rows, columns: inner) { j, total in t[j] = total }
            }
            return totals
        }
        if strides == Tensor.contiguousStrides(shape),
            let split = (0...shape.count).first(where: { i in
                zip(kept[..<i], shape[..<i]).allSatisfy { $0 == $1 } && kept[i...].allSatisfy { $0 == 1 }
            })
        {
            let rows = shape[..<split].reduce(1, *)
            let inner = shape[split...].reduce(1, *)
            totals.withUnsafeMutableBufferPointer { t in
                for r in 0..<rows {
                    let row = x + r * inner
                    var total = 0.0
                    for j in 0..<inner { total += Double(row[j]) }
                    t[r] += total
                }
            }
            return totals
        }
        let outStrides = StridedLoop.broadcastStrides(kept, Tensor.contiguousStrides(kept), to: shape)
        totals.withUnsafeMutableBufferPointer { totals in
            StridedLoop(shape: shape, strides: [outStrides, strides]).forEachRun { o, n, s in
                let t = totals.baseAddress! + o[0]
                let x = x + o[1]
                if s[0] == 0 {
                    var total = 0.0
                    for j in 0..<n { total += Double(x[j * s[1]]) }
                    t[0] += total
                } else {
                    for j in 0..<n { t[j] += Double(x[j * s[1]]) }
                }
            }
        }
        return totals
    }

    /// `Σ / divisor` over `reduced`. Forward adds each input run into its output element, accumulating
    /// in double (a float32 running sum over 182,625 losses drifts by 5e-4; PyTorch's cascade sum does
    /// not, and neither does this); backward adds `dout / divisor` back into every input element that fed it.
    private func reduceSum(_ reduced: Set<Int>, keepdim: Bool, divisor: Double, op: String) -> Tensor {
        let kept = shape.indices.map { reduced.contains($0) ? 1 : shape[$0] }  // (…) with 1s
        let outShape = keepdim ? kept : shape.indices.filter { !reduced.contains($0) }.map { shape[$0] }
        let out = Tensor(uninitializedShape: outShape, op: op, inputs: self)  // (…)
        let y = out.pointer
        let x = pointer
        let outStrides = StridedLoop.broadcastStrides(kept, Tensor.contiguousStrides(kept), to: shape)
        let totals = Tensor.reducedTotals(x, shape: shape, strides: strides, kept: kept)
        for i in 0..<out.count { y[i] = Float(totals[i] / divisor) }
        let denominator = Float(divisor)

        out.onBackward { out in
            let dinp = self.gradBuffer()
            let dout = out.gradBuffer()
            StridedLoop(shape: self.shape, strides: [Tensor.contiguousStrides(self.shape), outStrides]).forEachRun {
                o, n, s in
                let d = dinp + o[0]
                let g = dout + o[1]
                if s[1] == 0 {
                    let gj = g[0] / denominator
                    for j in 0..<n { d[j] += gj }
                } else {
                    for j in 0..<n { d[j] += g[j * s[1]] / denominator }
                }
            }
        }
        return out
    }

    /// The largest element, a 0-D tensor. Its gradient flows to the first largest element.
    public func max() throws(ShapeError) -> Tensor {
        try reshape([count]).max(dim: 0)
    }

    /// The largest values along `dim` (PyTorch's `x.max(dim).values`). The gradient flows to the
    /// position of each maximum (the first one on ties); NaN counts as largest.
    public func max(dim: Int, keepdim: Bool = false) throws(ShapeError) -> Tensor {
        let d = try Tensor.normalizedDim(dim, rank: shape.count, op: "max")
        guard shape.isEmpty || shape[d] > 0 else {
            throw ShapeError("max", "dim \(dim) is empty: a max of nothing is undefined")
        }
        let (outer, n, inner) = splitAround(d)
        let outShape =
            keepdim || shape.isEmpty
            ? shape.enumerated().map { $0.offset == d ? 1 : $0.element }
            : shape.enumerated().filter { $0.offset != d }.map(\.element)
        let inp = dense()
        let out = Tensor(uninitializedShape: outShape, op: "max", inputs: self)  // (…)
        var argmax = [Int32](repeating: 0, count: outer * inner)
        let x = inp.pointer
        let y = out.pointer
        withExtendedLifetime(inp) {
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = x[o * n * inner + i]
                    var at = 0
                    for j in 1..<Swift.max(n, 1) where !best.isNaN {
                        let v = x[(o * n + j) * inner + i]
                        if v > best || v.isNaN {
                            best = v
                            at = j
                        }
                    }
                    y[o * inner + i] = best
                    argmax[o * inner + i] = Int32(at)
                }
            }
        }
        out.onBackward { out in
            let dinp = self.gradBuffer()
            let dout = out.gradBuffer()
            for o in 0..<outer {
                for i in 0..<inner {
                    dinp[(o * n + Int(argmax[o * inner + i])) * inner + i] += dout[o * inner + i]
                }
            }
        }
        return out
    }

    /// The position of the largest value along `dim` (the first on ties), as `x.argmax(dim)`: for
    /// accuracy and greedy sampling. Not differentiable.
    public func argmax(dim: Int) throws(ShapeError) -> IndexTensor {
        let d = try Tensor.normalizedDim(dim, rank: shape.count, op: "argmax")
        guard shape.isEmpty || shape[d] > 0 else {
            throw ShapeError("argmax", "dim \(dim) is empty: an argmax of nothing is undefined")
        }
        let (outer, n, inner) = splitAround(d)
        let x = dense()
        var at = [Int32](repeating: 0, count: outer * inner)
        withExtendedLifetime(x) {
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = x.pointer[o * n * inner + i]
                    for j in 1..<Swift.max(n, 1) where x.pointer[(o * n + j) * inner + i] > best {
                        best = x.pointer[(o * n + j) * inner + i]
                        at[o * inner + i] = Int32(j)
                    }
                }
            }
        }
        return IndexTensor(trustedValues: at, shape: shape.enumerated().filter { $0.offset != d }.map(\.element))
    }

    /// `(outer, n, inner)`: the sizes before `dim`, of `dim`, and after it, so that element
    /// `[o, j, i]` of a contiguous tensor sits at `(o·n + j)·inner + i`.
    func splitAround(_ dim: Int) -> (outer: Int, n: Int, inner: Int) {
        guard !shape.isEmpty else { return (1, 1, 1) }
        let outer = shape[..<dim].reduce(1, *)
        let inner = shape[(dim + 1)...].reduce(1, *)
        return (outer, shape[dim], inner)
    }
}

extension Tensor {
    /// True when no element is infinite or nan: x - x is 0 for a finite x and nan otherwise, and a
    /// nan survives every sum, so one pass of 16-lane additions answers (four sums side by side, so
    /// that the pass runs at the speed of its loads rather than of one chain of additions).
    public var allFinite: Bool {
        withUnsafeBufferPointer { values in
            guard let x = values.baseAddress else { return true }
            var (a, b, c, d) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
            var i = 0
            while i + 64 <= values.count {
                let (v0, v1, v2, v3) = (
                    Vec16.load(x + i), Vec16.load(x + i + 16), Vec16.load(x + i + 32), Vec16.load(x + i + 48)
                )
                a += v0 - v0
                b += v1 - v1
                c += v2 - v2
                d += v3 - v3
                i += 64
            }
            var lanes = (a + b) + (c + d)
            while i + 16 <= values.count {
                let v = Vec16.load(x + i)
                lanes += v - v
                i += 16
            }
            var rest: Float = 0
            while i < values.count {
                rest += x[i] - x[i]
                i += 1
            }
            return !(lanes.sum() + rest).isNaN
        }
    }
}
