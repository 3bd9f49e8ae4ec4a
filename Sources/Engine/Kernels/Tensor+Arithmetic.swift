// Broadcasting add, sub, mul, div between tensors, and the same with a scalar on either side.
// Backward sums the output gradient over the dims an operand was broadcast along.
//
// Shapes: a (…A), b (…B) → out = broadcast(A, B); dinp buffers have their input's shape.

extension Tensor {
    /// `self + other` with NumPy broadcasting. ∂/∂a = 1, ∂/∂b = 1.
    public func add(_ other: Tensor) throws(ShapeError) -> Tensor {
        let out = try broadcastOutput(other, op: "add", symbol: "+")  // (…)
        if isContiguous, other.isContiguous, shape == other.shape {  // a residual: vector loops, both cores
            Tensor.add(pointer, other.pointer, into: out.pointer, count, adding: false)
            out.onBackward { out in
                for inp in [self, other] where inp.requiresGrad {
                    let (dinp, fresh) = inp.gradBufferToWrite()
                    Tensor.add(out.gradBuffer(), nil, into: dinp, out.count, adding: !fresh)
                }
            }
            return out
        }
        forEachBroadcast(self, other, out) { $0 + $1 }
        out.onBackward { out in
            if self.requiresGrad { accumulateBroadcast(into: self, out) { g, _, _ in g } }
            if other.requiresGrad { accumulateBroadcast(into: other, out) { g, _, _ in g } }
        }
        return out
    }

    /// z[i] = x[i] + y[i], or z[i] += x[i] (+ y[i]) when `adding`; a nil `y` is left out. Sixteen
    /// at a time, on both cores when n is large.
    static func add(
        _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>?, into z: UnsafeMutablePointer<Float>, _ n: Int,
        adding: Bool
    ) {
        WorkerPool.shared.forEachRange(n) { r in
            var i = r.lowerBound
            while i + 16 <= r.upperBound {
                var v = Vec16.load(x + i)
                if let y { v += Vec16.load(y + i) }
                Vec16.store(adding ? Vec16.load(z + i) + v : v, z + i)
                i += 16
            }
            while i < r.upperBound {
                var v = x[i]
                if let y { v += y[i] }
                z[i] = adding ? z[i] + v : v
                i += 1
            }
        }
    }

    /// `self - other` with broadcasting. ∂/∂a = 1, ∂/∂b = -1.
    public func sub(_ other: Tensor) throws(ShapeError) -> Tensor {
        let out = try broadcastOutput(other, op: "sub", symbol: "-")  // (…)
        forEachBroadcast(self, other, out) { $0 - $1 }
        out.onBackward { out in
            if self.requiresGrad { accumulateBroadcast(into: self, out) { g, _, _ in g } }
            if other.requiresGrad { accumulateBroadcast(into: other, out) { g, _, _ in -g } }
        }
        return out
    }

    /// `self * other` elementwise with broadcasting. ∂/∂a = b, ∂/∂b = a.
    public func mul(_ other: Tensor) throws(ShapeError) -> Tensor {
        let out = try broadcastOutput(other, op: "mul", symbol: "*")  // (…)
        forEachBroadcast(self, other, out) { $0 * $1 }
        out.onBackward { out in
            if self.requiresGrad { accumulateBroadcast(into: self, out, self, other) { g, _, b in g * b } }
            if other.requiresGrad { accumulateBroadcast(into: other, out, self, other) { g, a, _ in g * a } }
        }
        return out
    }

    /// `self / other` elementwise with broadcasting. ∂/∂a = 1/b, ∂/∂b = -a/b².
    public func div(_ other: Tensor) throws(ShapeError) -> Tensor {
        let out = try broadcastOutput(other, op: "div", symbol: "/")  // (…)
        forEachBroadcast(self, other, out) { $0 / $1 }
        out.onBackward { out in
            if self.requiresGrad { accumulateBroadcast(into: self, out, self, other) { g, _, b in g / b } }
            if other.requiresGrad { accumulateBroadcast(into: other, out, self, other) { g, a, b in -g * a / (b * b) } }
        }
        return out
    }

    /// `self · scale + shift`, the one op behind every tensor–scalar `+ - *` and `/ scalar`.
    /// ∂/∂x = scale.
    public func affine(scale: Float, shift: Float) -> Tensor {
        let inp = dense()
        let out = Tensor(uninitializedShape: shape, op: "affine", inputs: self)  // (…)
        let x = inp.pointer
        let y = out.pointer
        withExtendedLifetime(inp) { for i in 0..<count { y[i] = x[i] * scale + shift } }
        out.onBackward { out in
            let dinp = self.gradBuffer()
            let dout = out.gradBuffer()
            for i in 0..<out.count { dinp[i] += dout[i] * scale }
        }
        return out
    }

    /// `numerator / self`, elementwise. ∂/∂x = -numerator/x², i.e. -out/x.
    public func reciprocal(scaledBy numerator: Float = 1) -> Tensor {
        let inp = dense()
        let out = Tensor(uninitializedShape: shape, op: "reciprocal", inputs: self)  // (…)
        let x = inp.pointer
        let y = out.pointer
        withExtendedLifetime(inp) { for i in 0..<count { y[i] = numerator / x[i] } }
        out.onBackward { out in
            let dinp = self.gradBuffer()
            let dout = out.gradBuffer()
            let x = inp.pointer
            let y = out.pointer
            for i in 0..<out.count { dinp[i] -= dout[i] * y[i] / x[i] }
        }
        return out
    }

    /// The output of a broadcasting binary op, in the graph with both inputs.
    private func broadcastOutput(_ other: Tensor, op: String, symbol: String) throws(ShapeError) -> Tensor {
        let shape = try Tensor.broadcastShape(self.shape, other.shape, op: op, symbol: symbol)
        return Tensor(uninitializedShape: shape, op: op, inputs: self, other)  // (…)
    }
}

/// `out[i] = f(a[i'], b[i''])` where `i'`, `i''` are `i` broadcast back into each input (strided
/// views are read in place).
@inline(__always)
private func forEachBroadcast(_ a: Tensor, _ b: Tensor, _ out: Tensor, _ f: (Float, Float) -> Float) {
    let x1 = a.pointer
    let x2 = b.pointer
    let y = out.pointer
    if a.isContiguous, b.isContiguous, a.shape == b.shape {
        for i in 0..<out.count { y[i] = f(x1[i], x2[i]) }
        return
    }
    let loop = StridedLoop(
        shape: out.shape,
        strides: [
            out.strides,
            StridedLoop.broadcastStrides(a.shape, a.strides, to: out.shape),
            StridedLoop.broadcastStrides(b.shape, b.strides, to: out.shape)
        ])
    loop.forEachRun { o, n, s in
        let y = y + o[0]
        let x1 = x1 + o[1]
        let x2 = x2 + o[2]
        switch (s[1], s[2]) {
        case (1, 1): for j in 0..<n { y[j] = f(x1[j], x2[j]) }
        case (1, 0):
            let c = x2[0]
            for j in 0..<n { y[j] = f(x1[j], c) }
        case (0, 1):
            let c = x1[0]
            for j in 0..<n { y[j] = f(c, x2[j]) }
        default: for j in 0..<n { y[j] = f(x1[j * s[1]], x2[j * s[2]]) }
        }
    }
}

/// `dinp += f(dout, a, b)` summed over the dims `inp` was broadcast along, where `dout` is `out`'s
/// gradient and `a`, `b` the op's inputs broadcast to `out`'s shape. A broadcast input's gradient is
/// the full-shape gradient summed as `sum` sums (PyTorch's `sum_to_size`), so it equals a hand-written
/// `dout.sum(0)` to the last bit.
@inline(__always)
private func accumulateBroadcast(
    into inp: Tensor, _ out: Tensor, _ a: Tensor? = nil, _ b: Tensor? = nil,
    _ f: (Float, Float, Float) -> Float
) {
    let dout = out.gradBuffer()
    let a = a ?? out
    let b = b ?? out
    let x1 = a.pointer
    let x2 = b.pointer
    if inp.shape == out.shape, a.shape == out.shape, b.shape == out.shape, a.isContiguous, b.isContiguous {
        let (dinp, fresh) = inp.gradBufferToWrite()
        if fresh {
            for i in 0..<out.count { dinp[i] = f(dout[i], x1[i], x2[i]) }
        } else {
            for i in 0..<out.count { dinp[i] += f(dout[i], x1[i], x2[i]) }
        }
        return
    }
    let dinp = inp.gradBuffer()
    let full = UnsafeMutablePointer<Float>.allocate(capacity: max(out.count, 1))
    defer { full.deallocate() }
    let loop = StridedLoop(
        shape: out.shape,
        strides: [
            Tensor.contiguousStrides(out.shape),
            StridedLoop.broadcastStrides(a.shape, a.strides, to: out.shape),
            StridedLoop.broadcastStrides(b.shape, b.strides, to: out.shape)
        ])
    loop.forEachRun { o, n, s in
        let g = dout + o[0]
        let y = full + o[0]
        let x1 = x1 + o[1]
        let x2 = x2 + o[2]
        for j in 0..<n { y[j] = f(g[j], x1[j * s[1]], x2[j * s[2]]) }
    }
    if inp.shape == out.shape {
        for i in 0..<out.count { dinp[i] += full[i] }
        return
    }
    let padded = [Int](repeating: 1, count: out.shape.count - inp.shape.count) + inp.shape
    let totals = Tensor.reducedTotals(
        full, shape: out.shape, strides: Tensor.contiguousStrides(out.shape), kept: padded)
    for i in 0..<inp.count { dinp[i] += Float(totals[i]) }
}

// MARK: Operators for model code (shape mistakes trap; use `add`, `sub`, … for user input)

infix operator ⊗ : MultiplicationPrecedence

extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor { trusted { () throws(ShapeError) in try a.add(b) } }
    public static func - (a: Tensor, b: Tensor) -> Tensor { trusted { () throws(ShapeError) in try a.sub(b) } }
    public static func * (a: Tensor, b: Tensor) -> Tensor { trusted { () throws(ShapeError) in try a.mul(b) } }
    public static func / (a: Tensor, b: Tensor) -> Tensor { trusted { () throws(ShapeError) in try a.div(b) } }

    public static func + (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: s) }
    public static func + (s: Float, a: Tensor) -> Tensor { a.affine(scale: 1, shift: s) }
    public static func - (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: -s) }
    public static func - (s: Float, a: Tensor) -> Tensor { a.affine(scale: -1, shift: s) }
    public static func * (a: Tensor, s: Float) -> Tensor { a.affine(scale: s, shift: 0) }
    public static func * (s: Float, a: Tensor) -> Tensor { a.affine(scale: s, shift: 0) }
    public static func / (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1 / s, shift: 0) }
    public static func / (s: Float, a: Tensor) -> Tensor { a.reciprocal(scaledBy: s) }
    public static prefix func - (a: Tensor) -> Tensor { a.affine(scale: -1, shift: 0) }
}
