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
