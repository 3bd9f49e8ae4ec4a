// softmax, log_softmax along a dim, and the fused cross-entropy of the lectures' losses, all with
// the max subtracted first so large logits do not overflow.
//
// Shapes: N = rows (examples), V = classes (vocabulary). Along `dim` of size n, a contiguous tensor
// is (outer, n, inner): element [o, j, i] sits at (o·n + j)·inner + i.
import Foundation

extension Tensor {
    /// softmax(x)ⱼ = e^(xⱼ - max x) / Σₖ e^(xₖ - max x) along `dim`.
    /// Backward: dxⱼ += yⱼ·(dyⱼ - Σₖ dyₖ·yₖ).
    public func softmax(dim: Int) throws(ShapeError) -> Tensor {
        let (out, outer, n, inner) = try softmaxForward(dim: dim, log: false, op: "softmax")
        out.onBackward { out in
            let dinp = self.gradBuffer()
            let dout = out.gradBuffer()
            let y = out.pointer
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * n * inner + i
                    var dot: Float = 0
                    for j in 0..<n { dot += dout[base + j * inner] * y[base + j * inner] }
                    for j in 0..<n {
                        let at = base + j * inner
                        dinp[at] += y[at] * (dout[at] - dot)
                    }
                }
            }
        }
        return out
    }

    /// log softmax(x)ⱼ = xⱼ - max x - log Σₖ e^(xₖ - max x) along `dim`.
    /// Backward: dxⱼ += dyⱼ - e^(yⱼ)·Σₖ dyₖ.
    public func logSoftmax(dim: Int) throws(ShapeError) -> Tensor {
        let (out, outer, n, inner) = try softmaxForward(dim: dim, log: true, op: "log_softmax")
        out.onBackward { out in
            let dinp = self.gradBuffer()
            let dout = out.gradBuffer()
            let y = out.pointer
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * n * inner + i
                    var total: Float = 0
                    for j in 0..<n { total += dout[base + j * inner] }
                    for j in 0..<n {
                        let at = base + j * inner
                        dinp[at] += dout[at] - Foundation.exp(y[at]) * total
                    }
                }
            }
        }
        return out
    }

    /// The shared forward pass: the output and the (outer, n, inner) split around `dim`.
    private func softmaxForward(dim: Int, log: Bool, op: String) throws(ShapeError) -> (Tensor, Int, Int, Int) {
        let d = try Tensor.normalizedDim(dim, rank: shape.count, op: op)
        let (outer, n, inner) = splitAround(d)
        let inp = dense()
        let out = Tensor(uninitializedShape: shape, op: op, inputs: self)  // (…)
        let x = inp.pointer
        let y = out.pointer
        withExtendedLifetime(inp) {
            if inner == 1 {  // the usual case, softmax over the last dim: rows are contiguous
                for o in 0..<outer { Tensor.softmaxRow(x + o * n, y + o * n, n, log: log) }
                return
            }
            var row = [Float](repeating: 0, count: n)
            var result = [Float](repeating: 0, count: n)  // (n,)
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * n * inner + i
                    for j in 0..<n { row[j] = x[base + j * inner] }
                    Tensor.softmaxRow(row, &result, n, log: log)
                    for j in 0..<n { y[base + j * inner] = result[j] }
                }
            }
        }
        return (out, outer, n, inner)
    }

    /// softmax (or log softmax) of one contiguous row of `n` values; returns log Σ e^x.
    @discardableResult
    static func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, log: Bool) -> Float {
        softmaxRowParts(x, y, n, log: log).lse
    }

    /// The same, also giving the max and log Σ e^(x - max), which log_softmax subtracts one after the other.
    static func softmaxRowParts(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, log: Bool)
        -> (lse: Float, max: Float, logTotal: Float)
    {
        var m = -Float.infinity
        for j in 0..<n { m = Swift.max(m, x[j]) }
        if m == -.infinity { m = 0 }  // an all -∞ row: keep NaN out of x - m
        Vec8.map(x, y, n) { FastMath.exp($0 - m) }  // e^(x - max)
        let total = Vec8.sum(y, n)
        let logTotal = Foundation.log(total)
        let lse = m + logTotal
        if log {
            for j in 0..<n { y[j] = x[j] - lse }
        } else {
            let scale = 1 / total
            for j in 0..<n { y[j] *= scale }
        }
        return (lse, m, logTotal)
    }

    /// Σ values as PyTorch's `nll_loss` sums a batch's losses: a cascade of 8 float partial sums,
    /// each level carried up every 2^k rows, so that 182,625 rows do not drift and a batch of 32 gives
    /// PyTorch's float to the last bit. `skip` rows are left out (ignore_index) without a carry.
    static func cascadeSum(_ count: Int, skip: (Int) -> Bool, _ value: (Int) -> Float) -> (sum: Float, counted: Int) {
        let levels = 8
        let ceilLog2 = count <= 1 ? 0 : Int.bitWidth - (count - 1).leadingZeroBitCount
        let levelPower = Swift.max(4, ceilLog2 / levels)
        let levelMask = (1 << levelPower) - 1
        var partial = [Float](repeating: 0, count: levels)
        var counted = 0
        for b in 0..<count {
            if skip(b) { continue }
            partial[0] += value(b)
            counted += 1
            for j in 0..<(levels - 1) {
                if b & (levelMask << (j * levelPower)) != 0 { break }
                partial[j + 1] += partial[j]
                partial[j] = 0
            }
        }
        return (partial.reduce(0, +), counted)
    }

    /// Cross-entropy of logits (N, V) against class indices (N,), averaged over the rows whose
    /// target is not `ignoreIndex`: -(1/N') Σᵢ log softmax(logitsᵢ)[targetᵢ], as `F.cross_entropy`.
    /// makemore pads targets with -1 and passes `ignoreIndex: -1`.
    ///
    /// Backward, fused: dlogitsᵢ += dloss · (softmax(logitsᵢ) - onehot(targetᵢ)) / N'.
    public func crossEntropy(targets: IndexTensor, ignoreIndex: Int? = nil) throws(ShapeError) -> Tensor {
        guard shape.count == 2 else {
            throw ShapeError(
                "cross_entropy",
                "logits must be 2-D (N, classes), got \(formatShape(shape)); flatten with view(-1, \(shape.last ?? 0))")
        }
        let (N, V) = (shape[0], shape[1])
        guard targets.shape == [N] else {
            throw ShapeError(
                "cross_entropy",
                "targets \(formatShape(targets.shape)) must be (\(N),), one class per row of logits \(formatShape(shape))"
            )
        }
        let ignored = ignoreIndex.flatMap { Int32(exactly: $0) }
        try targets.checkRange(below: V, ignoring: ignored, op: "cross_entropy", what: "classes")

        let inp = dense()
        let out = Tensor(uninitializedShape: [], op: "cross_entropy", inputs: self)  // ()
        let probs = Tensor(uninitializedShape: [N, V])  // (N, V)
        let t = targets.values
        // Each row's -log softmax(x)[t] as log_softmax computes it, (x[t] - max) - log Σ e^(x - max),
        // then nll_loss's cascade sum and mean.
        var losses = [Float](repeating: 0, count: N)  // (N,)
        withExtendedLifetime(inp) {
            for r in 0..<N {
                let row = inp.pointer + r * V
                let p = probs.pointer + r * V
                let parts = Tensor.softmaxRowParts(row, p, V, log: false)
                if t[r] != ignored { losses[r] = -((row[Int(t[r])] - parts.max) - parts.logTotal) }
            }
        }
        let (total, counted) = Tensor.cascadeSum(N, skip: { t[$0] == ignored }, { losses[$0] })
        out.pointer[0] = total / Float(counted)  // NaN when every target is ignored, as PyTorch
        out.onBackward { out in
            let dlogits = self.gradBuffer()
            let scale = out.gradBuffer()[0] / Float(counted)
            for r in 0..<N where t[r] != ignored {
                let d = dlogits + r * V
                let p = probs.pointer + r * V
                for j in 0..<V { d[j] += scale * p[j] }
                d[Int(t[r])] -= scale
            }
        }
        return out
    }
}
