// Causal attention as fused ops, for makemore.py's Transformer and bag of words. Each is what the
// composite of views, matmuls, masked_fill and softmax computes, in one pass with no copies:
//
//     q, k, v = qkv.split(C, dim=2); q = q.view(B, T, nh, hs).transpose(1, 2)   # (B, nh, T, hs), k, v too
//     att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))                   # (B, nh, T, T)
//     att = F.softmax(att.masked_fill(tril[:T, :T] == 0, float('-inf')), dim=-1)
//     y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)                  # (B, T, C)
//
// and the bag of words' `softmax(zeros.masked_fill(tril == 0, -inf)) @ x`, a running mean over time.
// Each head's products (Q·Kᵀ, P·V and the four of backward) are GEMMs on the heads read in place;
// the softmax and its backward go row by row between them, as llm.c's attention_backward does.
//
// Shapes: B = batch, T = time, C = channels, nh = heads, hs = C / nh (head size).

import Foundation
import Synchronization

extension Tensor {
    /// Causal multi-head self-attention from packed queries, keys and values:
    /// qkv (B, T, 3C) (the output of `c_attn`, [q | k | v] along the last dim) → y (B, T, C), head h's
    /// output in channels h·hs ..< (h + 1)·hs. Position i attends to positions 0…i.
    ///
    /// With P = softmax(S), S_ij = q_i·k_j / √hs (j ≤ i), y_i = Σ_j P_ij v_j, backward is:
    /// dv_j += Σ_i P_ij dy_i; dP_ij = dy_i·v_j; dS_ij = P_ij (dP_ij − Σ_k P_ik dP_ik);
    /// dq_i += Σ_j dS_ij k_j / √hs; dk_j += Σ_i dS_ij q_i / √hs.
    ///
    /// With `dropout` (training mode of "Let's build GPT"'s `Head`, which drops attention weights:
    /// `wei = self.dropout(wei)`), each weight P_ij (j ≤ i) is kept with probability 1 − p and scaled by
    /// 1/(1 − p), one uniform per element of the (B, nh, T, T) weights in row-major order, drawn as
    /// `Tensor.dropout` draws. The output is Σ_j M_ij P_ij v_j; backward passes dP through the same mask.
    ///
    /// `alongside`, if given, runs once after this op's mask is drawn (after its draws, so it may
    /// draw next from the same generator): on the core that drew the mask while the other computes
    /// the rows, when the op is shared between the cores; else before the rows.
    public func causalSelfAttention(
        heads nh: Int, dropout: (p: Float, generator: TorchGenerator)? = nil, alongside: (() -> Void)? = nil
    ) throws(ShapeError) -> Tensor {
        guard shape.count == 3, shape[2] % 3 == 0, shape[2] > 0 else {
            throw ShapeError(
                "causal_self_attention", "needs packed q, k, v of shape (B, T, 3C), got \(formatShape(shape))")
        }
        let (B, T, C) = (shape[0], shape[1], shape[2] / 3)
        guard nh >= 1, C % nh == 0 else {
            throw ShapeError("causal_self_attention", "\(C) channels do not split into \(nh) heads of equal size")
        }
        let hs = C / nh
        let scale = 1 / Float(hs).squareRoot()
        let Tp = (T + 7) / 8 * 8  // Tp: T padded to whole SIMD8s
        // Rows before `split` attend only to positions before it: the products skip the upper-right
        // block of the (T, T) maps, all zeros after the softmax (0 when T is too short to gain).
        let split = T >= 32 ? T / 2 / 8 * 8 : 0
        let inp = dense()
        let out = Tensor(uninitializedShape: [B, T, C], op: "causal_self_attention", inputs: self)  // (B, T, C)
        let probs = Tensor(uninitializedShape: [B, nh, T, Tp])  // (B, nh, T, Tp), P_ij for j ≤ i, else 0
        // With both cores, one of them draws the dropout mask row by row of the batch while the other
        // starts on the rows drawn (the draws are sequential; the heads wait only for their own row).
        let rowWork = nh * T * T * hs
        let drawsAlongside = dropout.map { $0.p > 0 } == true && Tensor.sharesBatchRows(B, work: rowWork)
        let mask =
            drawsAlongside
            ? Tensor(uninitializedShape: [B, nh, T, Tp])
            : dropout.flatMap { Self.attentionDropoutMask(B * nh, T, Tp, $0.p, $0.generator) }  // (B, nh, T, Tp)
        out.savedFloatCount = probs.count + (mask?.count ?? 0)
        let x = UncheckedSendable(inp.pointer)
        let y = UncheckedSendable(out.pointer)
        let p = UncheckedSendable(probs.pointer)
        let m = mask.map { UncheckedSendable($0.pointer) }
        // Head h of batch row b, read in place: q_i at q + i·3C, k_j at q + C + j·3C, v_j at q + 2C + j·3C.
        func head(_ b: Int, _ h: Int) -> (q: Gemm.Operand, kT: Gemm.Operand, v: Gemm.Operand) {
            let q = UnsafePointer(x.value + b * T * 3 * C + h * hs)
            return (
                Gemm.Operand(base: q, rowStride: 3 * C, colStride: 1),  // (T, hs)
                Gemm.Operand(base: q + C, rowStride: 1, colStride: 3 * C),  // (hs, T): the keys, transposed
                Gemm.Operand(base: q + 2 * C, rowStride: 3 * C, colStride: 1)  // (T, hs)
            )
        }
        let drawn = drawsAlongside ? MaskRowsDrawn() : nil
        let row = { (b: Int) in
            let dropped = UnsafeMutablePointer<Float>.allocate(capacity: mask == nil ? 1 : T * Tp)  // (T, Tp): M∘P
            defer { dropped.deallocate() }
            for h in 0..<nh {
                let (q, kT, v) = head(b, h)
                let P = p.value + (b * nh + h) * T * Tp  // (T, Tp)
                // S = Q·Kᵀ over every (i, j) but the upper-right block; the future is masked by
                // the softmax, which zeroes the rest of each row.
                Self.lowerBlocks(T, split) { i0, rows, columns, _ in
                    Gemm.gemm(
                        m: rows, n: columns, k: hs, a: q.advanced(by: i0 * 3 * C), b: kT, beta: 0, c: P + i0 * Tp,
                        ldc: Tp, threads: 1)
                }
                for i in 0..<T {
                    let row = P + i * Tp
                    Tensor.maskedSoftmaxRow(row, i + 1, scale: scale)  // P_ij, 0 for i < j < n8
                    for j in (i + 1 + 7) / 8 * 8..<Tp { row[j] = 0 }
                }
                var weights = UnsafePointer(P)
                if let m {  // M_ij P_ij
                    if h == 0 { drawn?.wait(for: b) }
                    let maskRows = m.value + (b * nh + h) * T * Tp
                    for e in 0..<(T * Tp) { dropped[e] = P[e] * maskRows[e] }
                    weights = UnsafePointer(dropped)
                }
                // y_i = Σ_{j ≤ i} P_ij v_j, into head h's channels (the upper rows stop at the split)
                Self.lowerBlocks(T, split) { i0, rows, columns, _ in
                    Gemm.gemm(
                        m: rows, n: hs, k: columns,
                        a: Gemm.Operand(base: weights + i0 * Tp, rowStride: Tp, colStride: 1), b: v, beta: 0,
                        c: y.value + (b * T + i0) * C + h * hs, ldc: C, threads: 1)
                }
            }
        }
        withExtendedLifetime((inp, mask)) {
            if let drawn, let dropout, let m {
                // Part 0 draws the rows' masks in order; part b + 1 computes row b. Parts are claimed
                // in order, so the drawing has begun before any row waits for it.
                WorkerPool.shared.run(B + 1) { part in
                    guard part == 0 else { return row(part - 1) }
                    for b in 0..<B {
                        Self.drawAttentionDropoutMask(
                            m.value + b * nh * T * Tp, nh, T, Tp, dropout.p, dropout.generator)
                        drawn.published(b + 1)
                    }
                    alongside?()
                }
            } else {
                alongside?()
                Tensor.forEachBatchRow(B, work: rowWork, row)
            }
        }
        out.onBackward { out in
            // Every element of dqkv is written once (dq, dk, dv of each head and position): a gradient
            // this op makes is stored (β = 0), one that exists is added to (β = 1).
            let (dqkv, fresh) = self.gradBufferToWrite()
            let dx = UncheckedSendable(dqkv)
            let dy = UncheckedSendable(out.gradBuffer())
            let beta: Float = fresh ? 0 : 1
            Tensor.forEachBatchRow(B, work: 2 * nh * T * T * hs) { b in
                // (T, Tp) each: dP (then dS), and the dropped weights M∘P. Zeroed once: the GEMMs write
                // columns 0..<T only, and the padding must stay 0 for the row sums over Tp.
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * T * Tp)
                scratch.initialize(repeating: 0, count: 2 * T * Tp)
                defer { scratch.deallocate() }
                let dS = scratch
                let dropped = scratch + T * Tp
                for h in 0..<nh {
                    let (q, kT, v) = head(b, h)
                    let P = UnsafePointer(p.value + (b * nh + h) * T * Tp)  // (T, Tp), zero past i
                    let dY = Gemm.Operand(base: dy.value + b * T * C + h * hs, rowStride: C, colStride: 1)  // (T, hs)
                    let dhead = dx.value + b * T * 3 * C + h * hs  // dq_i at + i·3C, dk_j at + C, dv_j at + 2C
                    // dP = dY·Vᵀ, but the upper-right block (where P is 0), kept at 0
                    Self.lowerBlocks(T, split) { i0, rows, columns, _ in
                        Gemm.gemm(
                            m: rows, n: columns, k: hs, a: dY.advanced(by: i0 * C), b: v.transposed, beta: 0,
                            c: dS + i0 * Tp, ldc: Tp, threads: 1)
                        if columns < T {
                            for i in i0..<(i0 + rows) {
                                (dS + i * Tp + columns).update(repeating: 0, count: T - columns)
                            }
                        }
                    }
                    var weights = P
                    if let m {  // through the mask: dP·M, and the dropped weights M∘P
                        let maskRows = m.value + (b * nh + h) * T * Tp
                        for e in 0..<(T * Tp) {
                            dS[e] *= maskRows[e]
                            dropped[e] = P[e] * maskRows[e]
                        }
                        weights = UnsafePointer(dropped)
                    }
                    // dV_j += Σ_{i ≥ j} (M∘P)_ij dY_i: the lower columns start at the split
                    Self.upperBlocks(T, split) { j0, rows, i0 in
                        Gemm.gemm(
                            m: rows, n: hs, k: T - i0,
                            a: Gemm.Operand(base: weights + i0 * Tp + j0, rowStride: 1, colStride: Tp),
                            b: dY.advanced(by: i0 * C), beta: beta, c: dhead + 2 * C + j0 * 3 * C, ldc: 3 * C,
                            threads: 1)
                    }
                    // dS_ij = P_ij (dP_ij − Σ_k P_ik dP_ik) / √hs: 0 wherever P is (the future, the padding)
                    for i in 0..<T {
                        let row = P + i * Tp
                        let d = dS + i * Tp
                        let total = Tensor.dot(row, d, Tp)
                        for j in stride(from: 0, to: Tp, by: 8) {
                            Vec8.store(Vec8.load(row + j) * (Vec8.load(d + j) - total) * scale, d + j)
                        }
                    }
                    // dQ_i += Σ_{j ≤ i} dS_ij k_j, dK_j += Σ_{i ≥ j} dS_ij q_i
                    Self.lowerBlocks(T, split) { i0, rows, columns, _ in
                        Gemm.gemm(
                            m: rows, n: hs, k: columns,
                            a: Gemm.Operand(base: dS + i0 * Tp, rowStride: Tp, colStride: 1), b: kT.transposed,
                            beta: beta, c: dhead + i0 * 3 * C, ldc: 3 * C, threads: 1)
                    }
                    Self.upperBlocks(T, split) { j0, rows, i0 in
                        Gemm.gemm(
                            m: rows, n: hs, k: T - i0,
                            a: Gemm.Operand(base: dS + i0 * Tp + j0, rowStride: 1, colStride: Tp),
                            b: q.advanced(by: i0 * 3 * C), beta: beta, c: dhead + C + j0 * 3 * C, ldc: 3 * C,
                            threads: 1)
                    }
                }
            }
            withExtendedLifetime((inp, probs, mask)) {}
        }
        return out
    }

    /// The row bands of a causal (T, T) map that hold its lower triangle: with a `split`, rows
    /// 0..<split over columns 0..<split, then rows split..<T over every column; without, all rows
    /// over all columns. `body(firstRow, rows, columns, firstColumn)`; firstColumn is always 0.
    @inline(__always)
    static func lowerBlocks(_ T: Int, _ split: Int, _ body: (Int, Int, Int, Int) -> Void) {
        if split > 0 { body(0, split, split, 0) }
        body(split, T - split, T, 0)
    }

    /// The same triangle by column bands, for products over its transpose: columns 0..<split over
    /// every row, then columns split..<T over rows split..<T. `body(firstColumn, columns, firstRow)`.
    @inline(__always)
    static func upperBlocks(_ T: Int, _ split: Int, _ body: (Int, Int, Int) -> Void) {
        if split > 0 { body(0, split, 0) }
        body(split, T - split, split)
    }

    /// The keep masks of `maps` maps of T × T weights at `out`, stored (maps, T, Tp) with zeros in the
    /// padding: the next maps·T·T uniforms of `g` in row-major order (a padded row's T at a time).
    private static func drawAttentionDropoutMask(
        _ out: UnsafeMutablePointer<Float>, _ maps: Int, _ T: Int, _ Tp: Int, _ p: Float, _ g: TorchGenerator
    ) {
        guard Tp != T else { return g.fillKeepMask(out, count: maps * T * T, p: p, keep: 1 / (1 - p)) }
        for r in 0..<(maps * T) {
            g.fillKeepMask(out + r * Tp, count: T, p: p, keep: 1 / (1 - p))
            (out + r * Tp + T).update(repeating: 0, count: Tp - T)
        }
    }

    /// How many batch rows' dropout masks are drawn: published by the drawing thread after each row,
    /// waited for by a thread about to read a row's mask.
    private final class MaskRowsDrawn: @unchecked Sendable {
        private let rows = Atomic<Int>(0)

        func published(_ count: Int) { rows.store(count, ordering: .releasing) }

        func wait(for b: Int) {
            var spins = 0
            while rows.load(ordering: .acquiring) <= b {
                spins += 1
                if spins > 4096 { sched_yield() }  // the drawing thread was descheduled
            }
        }
    }

    /// The keep mask of attention dropout for `rows` (B·nh) maps of T × T weights: one uniform per
    /// element in row-major order, 1/(1 − p) where it is at least `p`, else 0; stored (rows, T, Tp)
    /// with zeros in the padding. nil when `p` is 0 (nothing is drawn).
    private static func attentionDropoutMask(_ rows: Int, _ T: Int, _ Tp: Int, _ p: Float, _ g: TorchGenerator)
        -> Tensor?
    {
        precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), not \(p)")
        guard p > 0 else { return nil }
        let mask = Tensor(uninitializedShape: [rows, T, Tp])  // (rows, T, Tp)
        drawAttentionDropoutMask(mask.pointer, rows, T, Tp, p, g)
        return mask
    }

    /// The causal mean over time, makemore.py's CausalBoW: y_t = (x_0 + … + x_t) / (t + 1), which is
    /// `softmax(zeros (T, T) masked by tril) @ x`: (B, T, C) → (B, T, C).
    ///
    /// Backward: dx_s += Σ_{t ≥ s} dy_t / (t + 1), a running sum from the end.
    public func causalAverage() throws(ShapeError) -> Tensor {
        guard shape.count == 3 else {
            throw ShapeError("causal_average", "needs (B, T, C) input, got \(formatShape(shape))")
        }
        let (B, T, C) = (shape[0], shape[1], shape[2])
        let inp = dense()
        let out = Tensor(uninitializedShape: shape, op: "causal_average", inputs: self)  // (B, T, C)
        var sum = [Float](repeating: 0, count: C)  // (C,)
        withExtendedLifetime(inp) {
            for b in 0..<B {
                for c in 0..<C { sum[c] = 0 }
                for t in 0..<T {
                    let x = inp.pointer + (b * T + t) * C
                    let y = out.pointer + (b * T + t) * C
                    let r = 1 / Float(t + 1)
                    for c in 0..<C {
                        sum[c] += x[c]
                        y[c] = sum[c] * r
                    }
                }
            }
        }
        out.onBackward { out in
            let dinp = self.gradBuffer()
            let dout = out.gradBuffer()
            var dsum = [Float](repeating: 0, count: C)  // (C,)
            for b in 0..<B {
                for c in 0..<C { dsum[c] = 0 }
                for t in stride(from: T - 1, through: 0, by: -1) {
                    let dx = dinp + (b * T + t) * C
                    let dy = dout + (b * T + t) * C
                    let r = 1 / Float(t + 1)
                    for c in 0..<C {
                        dsum[c] += dy[c] * r
                        dx[c] += dsum[c]
                    }
                }
            }
        }
        return out
    }

    /// Runs `body(b)` for every batch row b, over both cores when the rows hold enough `work` (flops
    /// per row) to pay for the second thread. Rows write disjoint outputs.
    private static func forEachBatchRow(_ B: Int, work: Int, _ body: @escaping (Int) -> Void) {
        guard sharesBatchRows(B, work: work) else {
            for b in 0..<B { body(b) }
            return
        }
        // One part per row, claimed in turn: a thread held up elsewhere leaves its rows to the other.
        WorkerPool.shared.run(B, body)
    }

    /// Whether `forEachBatchRow` shares B rows of `work` flops each between the cores.
    private static func sharesBatchRows(_ B: Int, work: Int) -> Bool {
        Swift.min(Gemm.defaultThreads, B) > 1 && B * work >= Gemm.parallelThreshold / 4
    }

    /// softmax(scale·row[0..<n]) in place, zeros in row[n..<n8] (n8: n rounded up to a multiple of
    /// 8, within the row's storage): one attention row with the future masked out.
    @inline(__always)
    static func maskedSoftmaxRow(_ row: UnsafeMutablePointer<Float>, _ n: Int, scale: Float) {
        let n8 = (n + 7) / 8 * 8
        for j in n..<n8 { row[j] = -.infinity }  // e^(-∞) = 0 (and -∞·scale = -∞, scale > 0)
        // Scaled and its maximum taken eight at a time (a maximum is exact in any order; one at a
        // time, it was a chain of 64 dependent steps a row).
        var most = SIMD8<Float>(repeating: -.infinity)
        for j in stride(from: 0, to: n8, by: 8) {
            let scaled = Vec8.load(row + j) * scale
            Vec8.store(scaled, row + j)
            most.replace(with: scaled, where: scaled .> most)  // (pointwiseMax goes lane by lane)
        }
        let m = most.max()
        var total = SIMD8<Float>()
        for j in stride(from: 0, to: n8, by: 8) {
            let e = FastMath.exp(Vec8.load(row + j) - m)
            Vec8.store(e, row + j)
            total += e
        }
        let r = 1 / total.sum()
        for j in stride(from: 0, to: n8, by: 8) { Vec8.store(Vec8.load(row + j) * r, row + j) }
    }

    /// a·b over n floats.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= n {
            acc = acc.addingProduct(Vec8.load(a + i), Vec8.load(b + i))
            i += 8
        }
        var s = acc.sum()
        while i < n {
            s += a[i] * b[i]
            i += 1
        }
        return s
    }

}
