// Matrix multiply with `torch.matmul`'s batching: leading dims broadcast, 1-D operands are promoted.
// Forward and backward are GEMM calls that read strided views (transposes, attention heads) in place
// and accumulate straight into the gradient buffers: dA += dC·Bᵀ, dB += Aᵀ·dC.
//
// Shapes: B… = batch dims, M = rows of A, K = inner size, N = columns of B.
// a (B…, M, K) @ b (B…, K, N) → out (B…, M, N).

extension Tensor {
    /// The matrix product, as `a @ b` in PyTorch:
    ///
    ///     (32, 30) @ (30, 200) → (32, 200)       (B, T, C) @ (C, D) → (B, T, D)
    ///     (B, nh, T, hs) @ (B, nh, hs, T) → (B, nh, T, T)
    public func matmul(_ other: Tensor) throws(ShapeError) -> Tensor {
        let outShape = try Tensor.matmulShape(shape, other.shape)
        let a = shape.count == 1 ? trusted { () throws(ShapeError) in try unsqueeze(0) } : self  // (1, K)
        let b = other.shape.count == 1 ? trusted { () throws(ShapeError) in try other.unsqueeze(1) } : other  // (K, 1)
        let out = Tensor.batchedMatmul(a, b)  // (B…, M, N)
        return out.shape == outShape ? out : trusted { () throws(ShapeError) in try out.view(outShape) }
    }

    /// Matrix product for model code (traps on mismatched shapes; use `matmul` for user input).
    public static func ⊗ (a: Tensor, b: Tensor) -> Tensor {
        trusted { () throws(ShapeError) in try a.matmul(b) }
    }

    /// `a @ b` for operands of at least two dims whose shapes are known to agree.
    private static func batchedMatmul(_ a: Tensor, _ b: Tensor) -> Tensor {
        let (ra, rb) = (a.shape.count, b.shape.count)
        let (M, K, N) = (a.shape[ra - 2], a.shape[ra - 1], b.shape[rb - 1])
        let batchA = Array(a.shape.dropLast(2))
        let batchB = Array(b.shape.dropLast(2))
        let batch = trusted { () throws(ShapeError) in try broadcastShape(batchA, batchB) }
        let out = Tensor(uninitializedShape: batch + [M, N], op: "matmul", inputs: a, b)  // (B…, M, N)
        let (sa, sb) = (a.strides, b.strides)
        let matA = Gemm.Operand(base: a.pointer, rowStride: sa[ra - 2], colStride: sa[ra - 1])  // (M, K)
        let matB = Gemm.Operand(base: b.pointer, rowStride: sb[rb - 2], colStride: sb[rb - 1])  // (K, N)
        let count = batch.reduce(1, *)

        // (B…, M, K) @ (K, N) whose rows are evenly spaced: one GEMM with B…·M rows.
        let bIsShared = StridedLoop.broadcastStrides(batchB, Array(sb.dropLast(2)), to: batch).allSatisfy { $0 == 0 }
        let rowsMerge =
            batchA == batch && (0..<(ra - 2)).allSatisfy { a.shape[$0] == 1 || sa[$0] == sa[$0 + 1] * a.shape[$0 + 1] }
        if count == 1 || (bIsShared && rowsMerge) {
            let rows = count * M
            Gemm.gemm(m: rows, n: N, k: K, a: matA, b: matB, beta: 0, c: out.pointer, ldc: N)
            out.onBackward { out in
                let dout = out.gradBuffer()
                let dC = Gemm.Operand(base: dout, rowStride: N, colStride: 1)  // (B…·M, N)
                if a.requiresGrad {  // dA (B…·M, K) += dC · Bᵀ
                    Gemm.gemm(m: rows, n: K, k: N, a: dC, b: matB.transposed, beta: 1, c: a.gradBuffer(), ldc: K)
                }
                if b.requiresGrad {  // dB (K, N) += Aᵀ · dC
                    Gemm.gemm(m: K, n: N, k: rows, a: matA.transposed, b: dC, beta: 1, c: b.gradBuffer(), ldc: N)
                }
            }
            return out
        }

        // One GEMM per batch element. Lanes: a's data, b's data, a's gradient, b's gradient.
        var offsets: [SIMD4<Int>] = []
        offsets.reserveCapacity(count)
        StridedLoop(
            shape: batch,
            strides: [
                StridedLoop.broadcastStrides(batchA, Array(sa.dropLast(2)), to: batch),
                StridedLoop.broadcastStrides(batchB, Array(sb.dropLast(2)), to: batch),
                StridedLoop.broadcastStrides(batchA, Array(Tensor.contiguousStrides(a.shape).dropLast(2)), to: batch),
                StridedLoop.broadcastStrides(batchB, Array(Tensor.contiguousStrides(b.shape).dropLast(2)), to: batch)
            ]
        ).forEachRun { o, n, s in
            for j in 0..<n { offsets.append(o &+ s &* j) }
        }
        let flops = 2 * M * N * K
        let y = UncheckedSendable(out.pointer)
        forEachBatch(count, flopsEach: flops, disjoint: true) { i, threads in
            Gemm.gemm(
                m: M, n: N, k: K, a: matA.advanced(by: offsets[i][0]), b: matB.advanced(by: offsets[i][1]),
                beta: 0, c: y.value + i * M * N, ldc: N, threads: threads)
        }
        out.onBackward { out in
            let dout = UncheckedSendable(out.gradBuffer())
            if a.requiresGrad {  // dA_i (M, K) += dC_i · B_iᵀ
                let da = UncheckedSendable(a.gradBuffer())
                forEachBatch(count, flopsEach: flops, disjoint: batchA == batch) { i, threads in
                    let dC = Gemm.Operand(base: dout.value + i * M * N, rowStride: N, colStride: 1)
                    Gemm.gemm(
                        m: M, n: K, k: N, a: dC, b: matB.advanced(by: offsets[i][1]).transposed,
                        beta: 1, c: da.value + offsets[i][2], ldc: K, threads: threads)
                }
            }
            if b.requiresGrad {  // dB_i (K, N) += A_iᵀ · dC_i
                let db = UncheckedSendable(b.gradBuffer())
                forEachBatch(count, flopsEach: flops, disjoint: batchB == batch) { i, threads in
                    let dC = Gemm.Operand(base: dout.value + i * M * N, rowStride: N, colStride: 1)
                    Gemm.gemm(
                        m: K, n: N, k: M, a: matA.advanced(by: offsets[i][0]).transposed, b: dC,
                        beta: 1, c: db.value + offsets[i][3], ldc: N, threads: threads)
                }
            }
        }
        return out
    }

    /// Runs `body(i, threadsForThatGEMM)` for every batch element: spread over the cores when each
    /// GEMM is too small to split but all of them together are worth it, and the outputs are
    /// `disjoint` (a broadcast operand's gradient is summed over batches, so it stays serial).
    private static func forEachBatch(_ count: Int, flopsEach: Int, disjoint: Bool, _ body: @escaping (Int, Int) -> Void)
    {
        let threads = Gemm.defaultThreads
        guard disjoint, threads > 1, count > 1, flopsEach < Gemm.parallelThreshold,
            count * flopsEach >= Gemm.parallelThreshold
        else {
            for i in 0..<count { body(i, threads) }
            return
        }
        let work = UncheckedSendable(body)
        WorkerPool.shared.run(threads) { t in
            for i in stride(from: t, to: count, by: threads) { work.value(i, 1) }
        }
    }
}
