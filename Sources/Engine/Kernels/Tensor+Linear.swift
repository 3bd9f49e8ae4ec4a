// The affine map of a fully connected layer, x·W + b, as one op: the bias is written into the output
// before the GEMM adds x·W to it (β = 1), and backward sums the bias gradient in the same pass that
// hands dout to the two GEMMs. Equal to `x.matmul(W).add(b)`, with one output tensor instead of two
// and no broadcasting loops (the transformer makes 25 of these per step).
//
// Shapes: N = rows (every dim of x but the last, merged), C = input features, D = output features.
// x (…, C) · W (C, D) + b (D,) → out (…, D).

extension Tensor {
    /// `self · weight + bias` over the last dim, as `F.linear` with gradbook's (C, D) weight:
    /// (…, C) → (…, D). `bias` may be `nil`.
    ///
    /// Backward: dx += dout·Wᵀ, dW += xᵀ·dout, db += Σ_rows dout. With `sumsBiasInDouble`, db is
    /// summed as `sum` sums (each column in double, row by row), so that the op gives to the last bit
    /// what `x.matmul(W).add(b)` gives, the lectures' `h @ W + b`; otherwise in float, as llm.c does.
    ///
    /// With `relu`, the output is `relu(x·W + b)`, clamped by the GEMM as it writes each tile (a
    /// feed-forward layer's first half in one pass over its output instead of two), and backward
    /// first takes dout where the output is positive: the bits of `linear(…).relu()`.
    public func linear(
        _ weight: Tensor, bias: Tensor?, sumsBiasInDouble: Bool = false, relu: Bool = false
    ) throws(ShapeError) -> Tensor {
        guard weight.shape.count == 2, let C = shape.last, C == weight.shape[0] else {
            throw ShapeError(
                "linear",
                "input \(formatShape(shape)) and weight \(formatShape(weight.shape)) do not fit: the weight must be (C, D) with C the input's last dim"
            )
        }
        let D = weight.shape[1]
        if let bias, bias.shape != [D] {
            throw ShapeError(
                "linear", "bias has shape \(formatShape(bias.shape)); it needs (\(D),), one per output feature")
        }
        let N = shape.dropLast().reduce(1, *)
        let x = dense()
        let w = weight.dense()
        let b = bias?.dense()
        let op = relu ? "linear_relu" : "linear"
        let out = Tensor(uninitializedShape: Array(shape.dropLast()) + [D], op: op)  // (N, D)
        out.track([self, weight] + (bias.map { [$0] } ?? []))
        withExtendedLifetime((x, w, b)) {  // out = x·W + b, or relu(x·W + b)
            Gemm.gemm(
                m: N, n: D, k: C, a: .init(base: x.pointer, rowStride: C, colStride: 1),
                b: .init(base: w.pointer, rowStride: D, colStride: 1),
                beta: 0, c: out.pointer, ldc: D, bias: b.map { UnsafePointer($0.pointer) }, relu: relu)
        }
        out.onBackward { out in
            // With the ReLU, what the product's output receives: dout where the output is positive,
            // else 0 (0 + dout, as relu's backward into a fresh gradient writes it).
            let masked = relu ? Tensor(uninitializedShape: out.shape) : nil  // (N, D)
            let dout =
                masked.map { masked in
                    Tensor.reluGradient(out.gradBuffer(), out.pointer, into: masked.pointer, N * D, adding: false)
                    return masked.pointer
                } ?? out.gradBuffer()
            let dC = Gemm.Operand(base: dout, rowStride: D, colStride: 1)  // (N, D)
            let dx = self.requiresGrad ? self.gradBufferToWrite() : nil
            let dW = weight.requiresGrad ? weight.gradBufferToWrite() : nil
            // dx (N, C) += dout · Wᵀ and dW (C, D) += xᵀ · dout: as many flops each, but not as fast
            // (dW reads x transposed and sums over all N rows). When both are large they are cut into
            // parts, each run whole on one core: dW's halves first, then dx's rows in quarters,
            // claimed by whichever core is free, so that the cores finish within a quarter of dx of
            // each other. dW is halved so that each core reads half of the larger of x and dout: its
            // top and bottom rows when x is wider (a feed-forward's second layer, C = 4·D), else its
            // left and right columns. Wᵀ, small, is packed per quarter; a product's bits do not
            // depend on which thread runs which part, nor on how C is cut.
            let (dxC, dWC) = (UncheckedSendable(dx), UncheckedSendable(dW))
            let inParts = dx != nil && dW != nil && 2 * N * C * D >= Gemm.parallelThreshold
            let threads = inParts ? 1 : Gemm.defaultThreads
            let (dWParts, dxParts) = inParts ? (2, 4) : (1, 1)
            let (dWWidth, dWHeight, dxHeight) = (
                Gemm.roundUp((D + dWParts - 1) / dWParts, Gemm.nr), Gemm.roundUp((C + dWParts - 1) / dWParts, Gemm.mr),
                Gemm.roundUp((N + dxParts - 1) / dxParts, Gemm.mr)
            )
            let xT = Gemm.Operand(base: x.pointer, rowStride: 1, colStride: C)  // (C, N)
            let wT = Gemm.Operand(base: w.pointer, rowStride: 1, colStride: D)  // (D, C)
            WorkerPool.shared.run(inParts ? dWParts + dxParts : 1) { part in
                if let (dW, fresh) = dWC.value, part < dWParts, C > D {  // dW[i0..<i1, :]
                    let (i0, i1) = (Swift.min(C, part * dWHeight), Swift.min(C, (part + 1) * dWHeight))
                    if i0 < i1 {
                        Gemm.gemm(
                            m: i1 - i0, n: D, k: N, a: xT.advanced(by: i0), b: dC, beta: fresh ? 0 : 1,
                            c: dW + i0 * D, ldc: D, threads: threads)
                    }
                } else if let (dW, fresh) = dWC.value, part < dWParts {  // dW[:, j0..<j1]
                    let (j0, j1) = (Swift.min(D, part * dWWidth), Swift.min(D, (part + 1) * dWWidth))
                    if j0 < j1 {
                        Gemm.gemm(
                            m: C, n: j1 - j0, k: N, a: xT, b: dC.advanced(by: j0), beta: fresh ? 0 : 1, c: dW + j0,
                            ldc: D, threads: threads)
                    }
                }
                if let (dx, fresh) = dxC.value, part >= dWParts || !inParts {  // dx[i0..<i1, :]
                    let quarter = inParts ? part - dWParts : 0
                    let (i0, i1) = (Swift.min(N, quarter * dxHeight), Swift.min(N, (quarter + 1) * dxHeight))
                    if i0 < i1 {
                        Gemm.gemm(
                            m: i1 - i0, n: C, k: D, a: dC.advanced(by: i0 * D), b: wT, beta: fresh ? 0 : 1,
                            c: dx + i0 * C, ldc: C, threads: threads)
                    }
                }
            }
            if let bias, bias.requiresGrad, sumsBiasInDouble {  // db (D,) += Float(Σ over rows of dout, in double)
                let (db, fresh) = bias.gradBufferToWrite()
                if fresh {
                    Tensor.columnTotals(dout, rows: N, columns: D) { j, total in db[j] = Float(total) }
                } else {
                    Tensor.columnTotals(dout, rows: N, columns: D) { j, total in db[j] += Float(total) }
                }
            } else if let bias, bias.requiresGrad {  // db (D,) += Σ over rows of dout
                let (db, fresh) = bias.gradBufferToWrite()
                if fresh { db.update(repeating: 0, count: D) }
                // Each column summed down the rows in order; large gradients split their columns
                // between the cores, which leaves every column's sum as it is.
                WorkerPool.shared.forEachRange(D, grain: N * D >= 65_536 ? 64 : D, alignment: 64) { r in
                    Tensor.addColumnTotals(dout, rows: N, columns: D, r, into: db)
                }
            }
            withExtendedLifetime(masked) {}  // dout points into it
        }
        return out
    }

    /// db[j] += Σ over the rows of x (rows, columns) of column j, for j in `range`: each column
    /// summed down the rows in order, 64 columns at a time in registers.
    static func addColumnTotals(
        _ x: UnsafePointer<Float>, rows N: Int, columns D: Int, _ range: Range<Int>,
        into db: UnsafeMutablePointer<Float>
    ) {
        var j = range.lowerBound
        while j + 64 <= range.upperBound {
            var (s0, s1, s2, s3) = (
                Vec16.load(db + j), Vec16.load(db + j + 16), Vec16.load(db + j + 32), Vec16.load(db + j + 48)
            )
            for r in 0..<N {
                let g = x + r * D + j
                s0 += Vec16.load(g)
                s1 += Vec16.load(g + 16)
                s2 += Vec16.load(g + 32)
                s3 += Vec16.load(g + 48)
            }
            Vec16.store(s0, db + j)
            Vec16.store(s1, db + j + 16)
            Vec16.store(s2, db + j + 32)
            Vec16.store(s3, db + j + 48)
            j += 64
        }
        while j + 16 <= range.upperBound {
            var s0 = Vec16.load(db + j)
            for r in 0..<N { s0 += Vec16.load(x + r * D + j) }
            Vec16.store(s0, db + j)
            j += 16
        }
        for j in j..<range.upperBound {
            var total = db[j]
            for r in 0..<N { total += x[r * D + j] }
            db[j] = total
        }
    }
}
