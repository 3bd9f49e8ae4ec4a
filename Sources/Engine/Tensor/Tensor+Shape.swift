// Views: the same storage seen with another shape, order or window. `view`/`reshape` of contiguous
// data, `transpose`, `permute`, `squeeze`/`unsqueeze`, `slice` and `select` copy nothing; ops that
// need row-major input copy a strided view once. Backward adds `dout` into the viewed positions.
//
// Shapes: the output shape is given per op; strides count elements.

extension Tensor {
    /// The same elements as `shape` (one size may be -1, inferred), sharing storage, as PyTorch's
    /// `view`. A strided view can be viewed when the new shape only splits or merges dims whose
    /// elements are evenly spaced (a head split after `slice`); otherwise call `reshape`.
    ///
    ///     let x = emb.view(-1, 30)     // (32, 3, 10) → (32, 30)
    public func view(_ shape: [Int]) throws(ShapeError) -> Tensor {
        let newShape = try Tensor.viewShape(shape, from: self.shape)
        if isContiguous { return contiguousView(newShape) }
        guard Tensor.viewStrides(self.shape, strides, as: newShape) != nil else {
            throw ShapeError(
                "view",
                "this \(formatShape(self.shape)) strided view (after transpose, permute or a slice) cannot be seen as \(formatShape(newShape)) without copying; use reshape, or call contiguous() first"
            )
        }
        return stridedView(newShape, op: "view") { strides in
            (Tensor.viewStrides(self.shape, strides, as: newShape)!, 0)
        }
    }

    /// The strides that show elements laid out as `shape` with `strides` as `newShape` in the same
    /// row-major order, or nil when some merged dims are not evenly spaced (PyTorch's `computeStride`:
    /// walk both shapes from the right in chunks of dims that are contiguous with each other).
    static func viewStrides(_ shape: [Int], _ strides: [Int], as newShape: [Int]) -> [Int]? {
        if shape.reduce(1, *) == 0 || shape.isEmpty { return contiguousStrides(newShape) }
        var newStrides = [Int](repeating: 0, count: newShape.count)
        var viewDim = newShape.count - 1
        var chunkStride = strides[shape.count - 1]
        var tensorCount = 1
        var viewCount = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            tensorCount *= shape[d]
            if d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorCount * chunkStride) {
                while viewDim >= 0 && (viewCount < tensorCount || newShape[viewDim] == 1) {
                    newStrides[viewDim] = viewCount * chunkStride
                    viewCount *= newShape[viewDim]
                    viewDim -= 1
                }
                guard viewCount == tensorCount else { return nil }
                if d > 0 {
                    chunkStride = strides[d - 1]
                    tensorCount = 1
                    viewCount = 1
                }
            }
        }
        return viewDim == -1 ? newStrides : nil
    }

    /// `view` with the sizes listed: `x.view(-1, 30)`.
    public func view(_ shape: Int...) throws(ShapeError) -> Tensor { try view(shape) }

    /// As `view`, copying first when the elements cannot be viewed in place.
    public func reshape(_ shape: [Int]) throws(ShapeError) -> Tensor {
        let newShape = try Tensor.viewShape(shape, from: self.shape, op: "reshape")
        let source = isContiguous || Tensor.viewStrides(self.shape, strides, as: newShape) != nil ? self : contiguous()
        return trusted { () throws(ShapeError) in try source.view(newShape) }
    }

    /// `reshape` with the sizes listed.
    public func reshape(_ shape: Int...) throws(ShapeError) -> Tensor { try reshape(shape) }

    /// A contiguous tensor with the same values: `self` when already contiguous, else a copy.
    public func contiguous() -> Tensor {
        if isContiguous { return self }
        let values = dense()
        let out = Tensor(storage: values.storage, shape: shape, count: count, op: "contiguous")  // (…)
        out.track([self])
        out.onBackward { out in
            let dinp = self.gradBuffer()
            let dout = out.gradBuffer()
            for i in 0..<out.count { dinp[i] += dout[i] }
        }
        return out
    }

    /// Dims `dim0` and `dim1` swapped, as a strided view: `(B, T, nh, hs).transpose(1, 2)` → `(B, nh, T, hs)`.
    public func transpose(_ dim0: Int, _ dim1: Int) throws(ShapeError) -> Tensor {
        let a = try Tensor.normalizedDim(dim0, rank: shape.count, op: "transpose")
        let b = try Tensor.normalizedDim(dim1, rank: shape.count, op: "transpose")
        guard !shape.isEmpty else { return self }
        var order = Array(shape.indices)
        order.swapAt(a, b)
        return permuted(order, op: "transpose")
    }

    /// The last two dims swapped (a matrix transpose, `W.T` for 2-D); 0-D and 1-D tensors unchanged.
    public func transposed() -> Tensor {
        guard shape.count >= 2 else { return self }
        var order = Array(shape.indices)
        order.swapAt(shape.count - 2, shape.count - 1)
        return permuted(order, op: "transpose")
    }

    /// The dims reordered: output dim `i` is input dim `dims[i]`.
    public func permute(_ dims: [Int]) throws(ShapeError) -> Tensor {
        permuted(try Tensor.permutation(dims, rank: shape.count), op: "permute")
    }

    /// A size-1 dim inserted at `dim` (`-1` appends one): `(T,)` → `(T, 1)` with `unsqueeze(1)`.
    public func unsqueeze(_ dim: Int) throws(ShapeError) -> Tensor {
        let d = dim < 0 ? dim + shape.count + 1 : dim
        guard d >= 0, d <= shape.count else {
            throw ShapeError(
                "unsqueeze",
                "dim \(dim) is out of range for a \(shape.count)-D tensor (expected \(-shape.count - 1)...\(shape.count))"
            )
        }
        var newShape = shape
        newShape.insert(1, at: d)
        return stridedView(newShape, op: "unsqueeze") { strides in
            var s = strides
            s.insert(0, at: d)
            return (s, 0)
        }
    }

    /// The size-1 dim `dim` removed; unchanged when that dim is not of size 1 (as PyTorch).
    public func squeeze(_ dim: Int) throws(ShapeError) -> Tensor {
        let d = try Tensor.normalizedDim(dim, rank: shape.count, op: "squeeze")
        guard !shape.isEmpty, shape[d] == 1 else { return self }
        var newShape = shape
        newShape.remove(at: d)
        return stridedView(newShape, op: "squeeze") { strides in
            var s = strides
            s.remove(at: d)
            return (s, 0)
        }
    }

    /// Elements `range` along `dim` (Python's `x[:, 2:5]` is `x.slice(2..<5, dim: 1)`), as a view.
    public func slice(_ range: Range<Int>, dim: Int) throws(ShapeError) -> Tensor {
        let d = try Tensor.normalizedDim(dim, rank: shape.count, op: "slice")
        guard !shape.isEmpty else { throw ShapeError("slice", "a 0-D tensor has no dims to slice") }
        guard range.lowerBound >= 0, range.upperBound <= shape[d] else {
            throw ShapeError(
                "slice",
                "range \(range.lowerBound)..<\(range.upperBound) is out of bounds for dim \(dim) of size \(shape[d])")
        }
        var newShape = shape
        newShape[d] = range.count
        return stridedView(newShape, op: "slice") { strides in (strides, range.lowerBound * strides[d]) }
    }

    /// Element `index` along `dim` with that dim removed (Python's `x[:, 3]` is `x.select(3, dim: 1)`);
    /// a negative index counts from the end.
    public func select(_ index: Int, dim: Int) throws(ShapeError) -> Tensor {
        let d = try Tensor.normalizedDim(dim, rank: shape.count, op: "select")
        guard !shape.isEmpty else { throw ShapeError("select", "a 0-D tensor has no dims to index") }
        let i = try Tensor.normalizedIndex(index, size: shape[d], dim: dim, op: "select")
        var newShape = shape
        newShape.remove(at: d)
        return stridedView(newShape, op: "select") { strides in
            var s = strides
            s.remove(at: d)
            return (s, i * strides[d])
        }
    }

    /// `x[i]`: element `i` along the first dim (negative counts from the end), as ``select(_:dim:)``.
    public subscript(index: Int) -> Tensor {
        get throws(ShapeError) { try select(index, dim: 0) }
    }

    /// The view with dims in `order` (already checked to be a permutation).
    private func permuted(_ order: [Int], op: String) -> Tensor {
        stridedView(order.map { shape[$0] }, op: op) { strides in (order.map { strides[$0] }, 0) }
    }

    /// A view of `shape` sharing storage. `layout` maps a tensor's strides to the view's strides and
    /// start offset; it is applied to the data (for the forward values) and to the contiguous gradient
    /// buffer (for backward, which adds `dout` into exactly the positions the view shows).
    /// A contiguous tensor seen as `shape` (the same count): backward copies or adds `dout` as it is,
    /// element for element (the general strided view's loop does the same, run by run).
    private func contiguousView(_ shape: [Int]) -> Tensor {
        let out = Tensor(storage: storage, shape: shape, count: count, offset: offset, op: "view")  // (…)
        out.track([self])
        out.onBackward { out in
            let (dinp, fresh) = self.gradBufferToWrite()
            let dout = out.gradBuffer()
            if fresh {
                dinp.update(from: dout, count: out.count)
            } else {
                Vec16.accumulate(dout, dout, into: dinp, out.count) { g, _ in g }
            }
        }
        return out
    }

    private func stridedView(_ shape: [Int], op: String, _ layout: ([Int]) -> (strides: [Int], offset: Int)) -> Tensor {
        let data = layout(strides)
        let gradient = layout(Tensor.contiguousStrides(self.shape))
        let count = shape.reduce(1, *)
        let isRowMajor =
            count == 0
            || zip(zip(shape, data.strides), Tensor.contiguousStrides(shape))
                .allSatisfy { pair, expected in pair.0 == 1 || pair.1 == expected }
        let out = Tensor(
            storage: storage, shape: shape, count: count, offset: offset + data.offset,
            strides: isRowMajor ? nil : data.strides, op: op)  // (…)
        out.track([self])
        out.onBackward { out in
            let dinp = self.gradBuffer() + gradient.offset
            let dout = out.gradBuffer()
            let loop = StridedLoop(shape: out.shape, strides: [Tensor.contiguousStrides(out.shape), gradient.strides])
            loop.forEachRun { o, n, s in
                let g = dout + o[0]
                let d = dinp + o[1]
                if s[1] == 1 {
                    for j in 0..<n { d[j] += g[j] }
                } else {
                    for j in 0..<n { d[j * s[1]] += g[j] }
                }
            }
        }
        return out
    }
}
