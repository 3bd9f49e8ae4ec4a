// Indexing by integer tensors and by masks: embedding lookup `C[X]` (gradient: scatter-add into the
// looked-up rows), `maskedFill` for causal attention, `tril` and `eq` to build the mask.
//
// Shapes: V = rows of the table (vocabulary), D… = the row shape, S… = the index shape.
import Foundation

extension Tensor {
    /// Rows of this table picked by `indices`, as `C[X]` in the lecture and `nn.Embedding`:
    /// table (V, D…) and indices (S…) → (S…, D…). Backward adds each output row's gradient into
    /// the row it came from, so a row used twice gets both gradients.
    public func embedding(_ indices: IndexTensor) throws(ShapeError) -> Tensor {
        guard !shape.isEmpty else { throw ShapeError("embedding", "the table is 0-D; it needs rows to look up") }
        try indices.checkRange(below: shape[0], op: "embedding", what: "rows of the table")
        _ = try Tensor.elementCount(indices.shape + shape.dropFirst(), op: "embedding")
        return embedding(trusted: indices)
    }

    /// `C[X]`: the rows of `self` picked by `indices` (see ``embedding(_:)``).
    public subscript(indices: IndexTensor) -> Tensor {
        get throws(ShapeError) { try embedding(indices) }
    }

    /// `embedding` for indices already known to be in range.
    func embedding(trusted indices: IndexTensor) -> Tensor {
        let table = dense()
        let rowSize = shape.isEmpty || shape[0] == 0 ? 0 : count / shape[0]
        // (S…, D…)
        let out = Tensor(uninitializedShape: indices.shape + shape.dropFirst(), op: "embedding", inputs: self)
        let y = out.pointer
        withExtendedLifetime(table) {
            for (i, row) in indices.values.enumerated() {
                (y + i * rowSize).update(from: table.pointer + Int(row) * rowSize, count: rowSize)
            }
        }
        out.onBackward { out in
            let dtable = self.gradBuffer()
            let dout = out.gradBuffer()
            for (i, row) in indices.values.enumerated() {
                let d = dtable + Int(row) * rowSize
                let g = dout + i * rowSize
                for j in 0..<rowSize { d[j] += g[j] }
            }
        }
        return out
    }

    /// `value` wherever `mask` (broadcast to this shape) is non-zero, else `self`, as PyTorch's
    /// `masked_fill`. The mask is a constant: no gradient flows into it; the filled positions get
    /// none either.
    ///
    ///     att.maskedFill(tril.eq(0), value: -.infinity)   // causal attention, (B, nh, T, T)
    public func maskedFill(_ mask: Tensor, value: Float) throws(ShapeError) -> Tensor {
        let combined = try Tensor.broadcastShape(shape, mask.shape, op: "masked_fill", symbol: "masked by")
        guard combined == shape else {
            throw ShapeError(
                "masked_fill",
                "the mask \(formatShape(mask.shape)) must broadcast to the tensor's shape \(formatShape(shape)), not enlarge it"
            )
        }
        let out = Tensor(uninitializedShape: shape, op: "masked_fill", inputs: self)  // (…)
        let maskStrides = StridedLoop.broadcastStrides(mask.shape, mask.strides, to: shape)
        let y = out.pointer
        let x = pointer
        let m = mask.pointer
        StridedLoop(shape: shape, strides: [Tensor.contiguousStrides(shape), maskStrides, strides]).forEachRun {
            o, n, s in
            for j in 0..<n { y[o[0] + j] = m[o[1] + j * s[1]] != 0 ? value : x[o[2] + j * s[2]] }
        }
        out.onBackward { out in
            let dinp = self.gradBuffer()
            let dout = out.gradBuffer()
            let m = mask.pointer
            StridedLoop(shape: self.shape, strides: [Tensor.contiguousStrides(self.shape), maskStrides]).forEachRun {
                o, n, s in
                for j in 0..<n where m[o[1] + j * s[1]] == 0 { dinp[o[0] + j] += dout[o[0] + j] }
            }
        }
        return out
    }

    /// The lower triangle of the last two dims (elements with column ≤ row + `diagonal`), zeros above,
    /// as `torch.tril`. `Tensor.ones([T, T]).tril()` is the causal mask of self-attention.
    public func tril(diagonal: Int = 0) throws(ShapeError) -> Tensor {
        guard shape.count >= 2 else { throw ShapeError("tril", "needs at least 2 dims, got \(formatShape(shape))") }
        let (rows, cols) = (shape[shape.count - 2], shape[shape.count - 1])
        let keep = Tensor(uninitializedShape: [rows, cols])  // (rows, cols)
        for i in 0..<rows {
            for j in 0..<cols { keep.pointer[i * cols + j] = j - i <= diagonal ? 0 : 1 }
        }
        return try maskedFill(keep, value: 0)
    }

    /// 1 where the element equals `value`, else 0; a constant (no gradient), for building masks.
    public func eq(_ value: Float) -> Tensor {
        let x = dense()
        let out = Tensor(uninitializedShape: shape)  // (…)
        withExtendedLifetime(x) { for i in 0..<count { out.pointer[i] = x.pointer[i] == value ? 1 : 0 } }
        return out
    }
}
