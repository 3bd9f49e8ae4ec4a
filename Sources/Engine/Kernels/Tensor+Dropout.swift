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
        let scale = 1 / (1 - p)
        let uniforms = generator.rand(n)  // (n,)
        var mask = [Float](repeating: 0, count: n)  // (n,), 0 or 1/(1-p)
        for i in 0..<n where uniforms[i] >= p { mask[i] = scale }
        let out = Tensor(uninitializedShape: shape, op: "dropout", inputs: self)  // (…)
        let x = inp.pointer
        let y = out.pointer
        withExtendedLifetime(inp) { for i in 0..<n { y[i] = x[i] * mask[i] } }
        out.onBackward { out in
            let (dinp, fresh) = self.gradBufferToWrite()
            let dout = out.gradBuffer()
            mask.withUnsafeBufferPointer { mask in
                if fresh {
                    for i in 0..<out.count { dinp[i] = dout[i] * mask[i] }
                } else {
                    for i in 0..<out.count { dinp[i] += dout[i] * mask[i] }
                }
            }
        }
        return out
    }
}
