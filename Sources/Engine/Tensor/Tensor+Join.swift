// Joining tensors: `cat` along an existing dim (the GRU's `cat([x, h], dim: 1)`), `stack` along a
// new one (collecting RNN hidden states). Backward hands each input its block of the gradient.
//
// Shapes: along `dim`, the output is (outer, total, inner); input k fills columns
// start_k ..< start_k + n_k of the middle dim.

extension Tensor {
    /// The tensors joined along `dim`; all other sizes must match, as `torch.cat`.
    ///
    ///     Tensor.cat([x, h], dim: 1)     // (B, C) and (B, H) → (B, C + H)
    public static func cat(_ tensors: [Tensor], dim: Int) throws(ShapeError) -> Tensor {
        let (shape, d) = try catShape(tensors.map(\.shape), dim: dim)
        let out = Tensor(uninitializedShape: shape, op: "cat")  // (…, total, …)
        out.track(tensors)
        let (outer, total, inner) = out.splitAround(d)
        var starts: [Int] = []
        var start = 0
        for t in tensors {
            starts.append(start)
            let x = t.dense()
            let width = t.shape[d] * inner
            withExtendedLifetime(x) {
                for o in 0..<outer {
                    (out.pointer + (o * total + start) * inner).update(from: x.pointer + o * width, count: width)
                }
            }
            start += t.shape[d]
        }
        out.onBackward { out in
            let dout = out.gradBuffer()
            for (t, start) in zip(tensors, starts) where t.requiresGrad {
                let dinp = t.gradBuffer()
                let width = t.shape[d] * inner
                for o in 0..<outer {
                    let g = dout + (o * total + start) * inner
                    let dx = dinp + o * width
                    for j in 0..<width { dx[j] += g[j] }
                }
            }
        }
        return out
    }

    /// The tensors, all of one shape, stacked along a new dim `dim`, as `torch.stack`.
    ///
    ///     Tensor.stack(hiddens, dim: 1)  // T × (B, H) → (B, T, H)
    public static func stack(_ tensors: [Tensor], dim: Int) throws(ShapeError) -> Tensor {
        guard let first = tensors.first else { throw ShapeError("stack", "needs at least one tensor") }
        for (i, t) in tensors.enumerated() where t.shape != first.shape {
            throw ShapeError(
                "stack",
                "tensor \(i) has shape \(formatShape(t.shape)) but tensor 0 has \(formatShape(first.shape)); all must match"
            )
        }
        let d = try normalizedDim(dim, rank: first.shape.count + 1, op: "stack")
        var parts: [Tensor] = []
        for t in tensors { parts.append(try t.unsqueeze(d)) }  // (…, 1, …)
        return try cat(parts, dim: d)
    }
}
