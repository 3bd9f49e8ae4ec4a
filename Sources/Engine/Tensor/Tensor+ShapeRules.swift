// The shape rules: for each way of combining tensors, the output shape or a `ShapeError` saying
// why there is none. Ops call these before touching data, so a bad shape never reaches a kernel.

extension Tensor {
    /// The most elements one tensor may have (4 GiB of floats): beyond it a typed shape is refused
    /// rather than allowed to exhaust memory.
    public static let maximumElementCount = 1 << 30

    /// The number of elements of `shape`; every size must be zero or more.
    public static func elementCount(_ shape: [Int], op: String = "shape") throws(ShapeError) -> Int {
        var count = 1
        for size in shape {
            guard size >= 0 else { throw ShapeError(op, "size \(size) in \(formatShape(shape)) is negative") }
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow, product <= maximumElementCount else {
                throw ShapeError(op, "\(formatShape(shape)) has more than \(maximumElementCount) elements")
            }
            count = product
        }
        return count
    }

    /// `dim` counted from the front (`-1` is the last dim) for a tensor of `rank` dims.
    public static func normalizedDim(_ dim: Int, rank: Int, op: String) throws(ShapeError) -> Int {
        let d = dim < 0 ? dim + rank : dim
        guard d >= 0, d < Swift.max(rank, 1) else {
            throw ShapeError(
                op,
                "dim \(dim) is out of range for a \(rank)-D tensor (expected \(-Swift.max(rank, 1))...\(Swift.max(rank, 1) - 1))"
            )
        }
        return d
    }

    /// NumPy broadcasting: align the shapes on the right; each pair of sizes must match or one be 1.
    ///
    ///     (4, 5) + (5,)  → (4, 5)        (4, 5) * (4, 1) → (4, 5)        (4, 5) + (4,) → error
    public static func broadcastShape(_ a: [Int], _ b: [Int], op: String = "broadcast", symbol: String = "with")
        throws(ShapeError) -> [Int]
    {
        if a == b { return a }
        let rank = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let sa = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let sb = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard sa == sb || sa == 1 || sb == 1 else {
                throw ShapeError(
                    op,
                    "\(formatShape(a)) \(symbol) \(formatShape(b)): sizes \(sa) and \(sb) differ at dim \(i - rank) (each pair must match or one be 1)"
                )
            }
            out[i] = sa == 1 ? sb : sa
        }
        _ = try elementCount(out, op: op)
        return out
    }

    /// `torch.matmul`'s rule: the last dim of `a` meets the second-to-last of `b`; leading (batch)
    /// dims broadcast; a 1-D operand is a row (left) or a column (right) that is dropped again.
    ///
    ///     (32, 30) @ (30, 200) → (32, 200)      (B, T, C) @ (C, D) → (B, T, D)
    ///     (B, H, T, D) @ (B, H, D, T) → (B, H, T, T)
    public static func matmulShape(_ a: [Int], _ b: [Int]) throws(ShapeError) -> [Int] {
        guard !a.isEmpty, !b.isEmpty else {
            throw ShapeError(
                "matmul",
                "\(formatShape(a)) @ \(formatShape(b)): both operands need at least 1 dim (use * to scale by a scalar)")
        }
        let ka = a[a.count - 1]
        let kb = b.count == 1 ? b[0] : b[b.count - 2]
        guard ka == kb else {
            throw ShapeError("matmul", "\(formatShape(a)) @ \(formatShape(b)): inner dimensions \(ka) and \(kb) differ")
        }
        let batchA = Array(a.dropLast(a.count >= 2 ? 2 : 1))
        let batchB = Array(b.dropLast(b.count >= 2 ? 2 : 1))
        var batch: [Int]
        do { batch = try broadcastShape(batchA, batchB) } catch {
            throw ShapeError(
                "matmul",
                "\(formatShape(a)) @ \(formatShape(b)): batch dims \(formatShape(batchA)) and \(formatShape(batchB)) do not broadcast"
            )
        }
        if a.count >= 2 { batch.append(a[a.count - 2]) }
        if b.count >= 2 { batch.append(b[b.count - 1]) }
        _ = try elementCount(batch, op: "matmul")
        return batch
    }

    /// The shape `view`/`reshape` produce: the same number of elements, at most one `-1` inferred.
    ///
    ///     (32, 3, 10).view(-1, 30) → (32, 30)
    public static func viewShape(_ requested: [Int], from shape: [Int], op: String = "view") throws(ShapeError) -> [Int]
    {
        let count = shape.reduce(1, *)
        var known = 1
        var inferred: Int? = nil
        for (i, size) in requested.enumerated() {
            if size == -1 {
                guard inferred == nil else { throw ShapeError(op, "\(formatShape(requested)) has more than one -1") }
                inferred = i
            } else if size < 0 {
                throw ShapeError(
                    op, "size \(size) in \(formatShape(requested)) is negative (only -1, meaning 'infer', is allowed)")
            } else {
                known = known.multipliedReportingOverflow(by: size).overflow ? Int.max : known * size
            }
        }
        var out = requested
        if let i = inferred {
            guard known > 0, count % known == 0 else {
                throw ShapeError(
                    op,
                    "cannot view \(formatShape(shape)) (\(count) elements) as \(formatShape(requested)): \(count) is not a multiple of \(known)"
                )
            }
            out[i] = count / known
        } else if known != count {
            throw ShapeError(
                op,
                "cannot view \(formatShape(shape)) (\(count) elements) as \(formatShape(requested)) (\(known) elements)"
            )
        }
        return out
    }

    /// `torch.cat`'s rule: same rank, same sizes everywhere except along `dim`, which add up.
    public static func catShape(_ shapes: [[Int]], dim: Int, op: String = "cat") throws(ShapeError) -> (
        shape: [Int], dim: Int
    ) {
        guard let first = shapes.first else { throw ShapeError(op, "needs at least one tensor") }
        let d = try normalizedDim(dim, rank: first.count, op: op)
        guard !first.isEmpty else { throw ShapeError(op, "cannot join 0-D tensors (use stack)") }
        var out = first
        for (i, s) in shapes.enumerated().dropFirst() {
            guard s.count == first.count else {
                throw ShapeError(
                    op, "tensor \(i) has shape \(formatShape(s)) but tensor 0 has \(formatShape(first)): ranks differ")
            }
            for j in 0..<s.count where j != d && s[j] != first[j] {
                throw ShapeError(
                    op,
                    "tensor \(i) has shape \(formatShape(s)) but tensor 0 has \(formatShape(first)): sizes differ at dim \(j) (only dim \(d) may differ)"
                )
            }
            out[d] += s[d]
        }
        return (out, d)
    }

    /// A permutation of `0..<rank` (negative dims allowed), or an error naming the repeated or bad dim.
    public static func permutation(_ dims: [Int], rank: Int, op: String = "permute") throws(ShapeError) -> [Int] {
        guard dims.count == rank else {
            throw ShapeError(op, "\(dims.count) dims given for a \(rank)-D tensor; give each dim once")
        }
        var seen = [Bool](repeating: false, count: rank)
        var out: [Int] = []
        for dim in dims {
            let d = try normalizedDim(dim, rank: rank, op: op)
            guard !seen[d] else { throw ShapeError(op, "dim \(dim) appears twice in \(dims)") }
            seen[d] = true
            out.append(d)
        }
        return out
    }

    /// `index` counted from the front (`-1` is the last) along a dim of `size`.
    public static func normalizedIndex(_ index: Int, size: Int, dim: Int, op: String) throws(ShapeError) -> Int {
        let i = index < 0 ? index + size : index
        guard i >= 0, i < size else {
            throw ShapeError(op, "index \(index) is out of range for dim \(dim) of size \(size)")
        }
        return i
    }

    /// Checks that this tensor has `shape`, for ops whose operands must match exactly.
    func expectShape(_ expected: [Int], _ what: String, op: String) throws(ShapeError) {
        guard shape == expected else {
            throw ShapeError(op, "\(what) has shape \(formatShape(shape)) but \(formatShape(expected)) is needed")
        }
    }
}
