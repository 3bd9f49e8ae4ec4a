// Inverted dropout (Srivastava et al. 2014, in PyTorch's `F.dropout` form): during training each element
// is kept with probability 1 - p and scaled by 1/(1 - p), so its expected value is unchanged and
// evaluation needs no rescaling:
//
//     mask[i] = rand(g) >= p ? 1/(1-p) : 0         # one uniform per element, in row-major order
//     out[i]  = x[i] · mask[i]                     # (…) → (…)
//     dx[i]  += dout[i] · mask[i]
//
// Shapes: (…) → (…); n = number of elements.
import Foundation

extension Tensor {
    /// Zeroes each element with probability `p` and scales the others by 1/(1 - p) (inverted dropout).
    ///
    /// The keep mask takes one uniform in [0, 1) per element from `generator`, in row-major order
    /// (as `TorchGenerator.rand`); an element is kept when its uniform is at least `p`. Backward
    /// multiplies the upstream gradient by the same mask and scale. With `p == 0` this returns `self`
    /// and draws nothing. The caller decides when to drop: models apply it in training mode only.
    ///
    ///     let y = x.dropout(0.1, generator: g)    // (B, T, C) → (B, T, C), ~10% zeros, the rest × 1/0.9
    ///
    /// - Precondition: 0 ≤ `p` < 1.
    public func dropout(_ p: Float, generator: TorchGenerator) -> Tensor {
        precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), not \(p)")
        guard p > 0 else { return self }
        let inp = dense()
        let n = count
        let mask = Tensor.dropoutMask(shape: [n], p, generator)  // (n,), 0 or 1/(1-p)
        let out = Tensor(uninitializedShape: shape, op: "dropout", inputs: self)  // (…)
        withExtendedLifetime(inp) { Tensor.multiply(inp.pointer, mask.pointer, into: out.pointer, n, adding: false) }
        out.onBackward { out in
            let (dinp, fresh) = self.gradBufferToWrite()
            Tensor.multiply(out.gradBuffer(), mask.pointer, into: dinp, n, adding: !fresh)
        }
        return out
    }

    /// `self + branch.dropout(p, generator:)` in one op, for a residual connection whose branch ends
    /// in dropout (the gpt's blocks): one pass writes `self + branch·mask`, and backward hands dout to
    /// `self` and dout·mask to `branch`, without the dropped branch as a tensor of its own. The same
    /// uniforms are drawn, and every bit is that of the two ops. Shapes must match (else the two
    /// ops run, broadcasting as `add` does).
    ///
    /// - Precondition: 0 ≤ `p` < 1.
    public func addingDropout(of branch: Tensor, _ p: Float, generator: TorchGenerator) throws(ShapeError) -> Tensor {
        guard p > 0, shape == branch.shape else { return try add(branch.dropout(p, generator: generator)) }
        return try addingDropout(of: branch, mask: Tensor.dropoutMask(shape: [count], p, generator))
    }

    /// The same with the keep mask drawn beforehand (``dropoutKeepMask(count:_:generator:)``), so that
    /// a model can draw it alongside other work (the gpt's blocks draw theirs while attention runs).
    public func addingDropout(of branch: Tensor, mask: Tensor) throws(ShapeError) -> Tensor {
        guard shape == branch.shape, mask.count == count else {
            throw ShapeError(
                "add_dropout",
                "x \(formatShape(shape)), branch \(formatShape(branch.shape)) and a mask of \(mask.count) elements do not match"
            )
        }
        let n = count
        let (inp, other, keep) = (dense(), branch.dense(), mask.dense())
        let out = Tensor(uninitializedShape: shape, op: "add_dropout", inputs: self, branch)  // (…)
        let (x, b, m, y) = (inp.pointer, other.pointer, keep.pointer, out.pointer)
        withExtendedLifetime((inp, other, keep)) {
            WorkerPool.shared.forEachRange(n) { r in
                var i = r.lowerBound
                while i + 16 <= r.upperBound {
                    let dropped = Vec16.load(b + i) * Vec16.load(m + i)
                    Vec16.store(Vec16.load(x + i) + dropped, y + i)
                    i += 16
                }
                while i < r.upperBound {
                    let dropped = b[i] * m[i]
                    y[i] = x[i] + dropped
                    i += 1
                }
            }
        }
        out.onBackward { out in
            let dout = out.gradBuffer()
            if self.requiresGrad {
                let (dinp, fresh) = self.gradBufferToWrite()
                Tensor.add(dout, nil, into: dinp, n, adding: !fresh)
            }
            if branch.requiresGrad {
                let (dinp, fresh) = branch.gradBufferToWrite()
                Tensor.multiply(dout, keep.pointer, into: dinp, n, adding: !fresh)
            }
        }
        return out
    }

    /// The keep mask `dropout(p, generator:)` would draw for `count` elements: 1/(1 − p) where the
    /// element's uniform is at least `p`, else 0.
    ///
    /// - Precondition: 0 < `p` < 1.
    public static func dropoutKeepMask(count: Int, _ p: Float, generator: TorchGenerator) -> Tensor {
        precondition(p > 0 && p < 1, "dropout probability must be in (0, 1), not \(p)")
        return dropoutMask(shape: [count], p, generator)
    }

    /// The keep mask of a tensor of `shape`: one uniform u per element from `generator`, in row-major
    /// order; 1/(1 − p) where u ≥ p, else 0.
    static func dropoutMask(shape: [Int], _ p: Float, _ generator: TorchGenerator) -> Tensor {
        let mask = Tensor(uninitializedShape: shape)  // (…)
        generator.fillKeepMask(mask.pointer, count: mask.count, p: p, keep: 1 / (1 - p))
        return mask
    }

    /// z[i] = x[i] · y[i] (or z[i] += x[i] · y[i] when `adding`) for i in 0..<n, sixteen at a time, on
    /// both cores when n is large.
    static func multiply(
        _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, into z: UnsafeMutablePointer<Float>, _ n: Int,
        adding: Bool
    ) {
        WorkerPool.shared.forEachRange(n) { r in
            let i = r.lowerBound
            Vec16.accumulate(x + i, y + i, into: z + i, r.count, adding: adding) { $0 * $1 }
        }
    }
}
