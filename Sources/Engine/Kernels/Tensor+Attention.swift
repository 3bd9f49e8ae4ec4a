// Causal attention as fused ops, for makemore.py's Transformer and bag of words. Each is what the
// composite of views, matmuls, masked_fill and softmax computes, in one pass with no copies:
//
//     q, k, v = qkv.split(C, dim=2); q = q.view(B, T, nh, hs).transpose(1, 2)   # (B, nh, T, hs), k, v too
//     att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))                   # (B, nh, T, T)
//     att = F.softmax(att.masked_fill(tril[:T, :T] == 0, float('-inf')), dim=-1)
//     y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)                  # (B, T, C)
//
// and the bag of words' `softmax(zeros.masked_fill(tril == 0, -inf)) @ x`, a running mean over time.
// Forward and backward follow llm.c's attention_forward / attention_backward (scores only for j ≤ i).
//
// Shapes: B = batch, T = time, C = channels, nh = heads, hs = C / nh (head size).
import Dispatch

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
    public func causalSelfAttention(heads nh: Int, dropout: (p: Float, generator: TorchGenerator)? = nil)
        throws(ShapeError) -> Tensor
    {
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
        let inp = dense()
        let out = Tensor(uninitializedShape: [B, T, C], op: "causal_self_attention", inputs: self)  // (B, T, C)
        let probs = Tensor(repeating: 0, shape: [B, nh, T, Tp])  // (B, nh, T, Tp), P_ij for j ≤ i, else 0
        let mask = dropout.flatMap { Self.attentionDropoutMask(B * nh, T, Tp, $0.p, $0.generator) }  // (B, nh, T, Tp)
        let x = UncheckedSendable(inp.pointer)
        let y = UncheckedSendable(out.pointer)
        let p = UncheckedSendable(probs.pointer)
        let m = mask.map { UncheckedSendable($0.pointer) }
        withExtendedLifetime((inp, mask)) {
            Tensor.forEachBatchRow(B, work: nh * T * T * hs) { b in
                // (hs, Tp): head h's keys, transposed; then (Tp,): one row of dropped-out weights
                let kt = UnsafeMutablePointer<Float>.allocate(capacity: hs * Tp + Tp)
                kt.initialize(repeating: 0, count: hs * Tp + Tp)
                defer { kt.deallocate() }
                let dropped = kt + hs * Tp
                for h in 0..<nh {
                    let head = x.value + b * T * 3 * C + h * hs  // q_i at head + i·3C, k_j at + C, v_j at + 2C
                    Tensor.transposeRows(head + C, rowStride: 3 * C, T, hs, into: kt, Tp)
                    for i in 0..<T {
                        let n = i + 1
                        let offset = ((b * nh + h) * T + i) * Tp
                        let row = p.value + offset  // (Tp,), the first n used
                        Tensor.rowTimesMatrix(head + i * 3 * C, kt, hs, Tp, width: n, into: row)  // q_i·k_j for j < n
                        Tensor.maskedSoftmaxRow(row, n, scale: scale)  // P_ij, 0 for j ≥ n
                        var weights = UnsafePointer(row)
                        if let m {  // M_ij P_ij
                            for j in 0..<n { dropped[j] = row[j] * m.value[offset + j] }
                            weights = UnsafePointer(dropped)
                        }
                        let yi = y.value + (b * T + i) * C + h * hs  // (hs,)
                        // Σ_j P_ij v_j
                        Tensor.weightedSum(weights, n, of: head + 2 * C, rowStride: 3 * C, hs, into: yi, adding: false)
                    }
                }
            }
        }
        out.onBackward { out in
            let dx = UncheckedSendable(self.gradBuffer())
            let dy = UncheckedSendable(out.gradBuffer())
            Tensor.forEachBatchRow(B, work: 2 * nh * T * T * hs) { b in
                // Per head, transposed: the values vt, and the key and value gradients dkt, dvt. (hs, Tp) each.
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 3 * hs * Tp + 2 * Tp)
                scratch.initialize(repeating: 0, count: 3 * hs * Tp + 2 * Tp)
                defer { scratch.deallocate() }
                let vt = scratch
                let dkt = scratch + hs * Tp
                let dvt = scratch + 2 * hs * Tp
                let dS = scratch + 3 * hs * Tp
                let dropped = scratch + 3 * hs * Tp + Tp  // (Tp,): M_ij P_ij, zero past n
                for h in 0..<nh {
                    let head = x.value + b * T * 3 * C + h * hs
                    let dhead = dx.value + b * T * 3 * C + h * hs
                    Tensor.transposeRows(head + 2 * C, rowStride: 3 * C, T, hs, into: vt, Tp)
                    dkt.update(repeating: 0, count: 2 * hs * Tp)
                    for i in 0..<T {
                        let n = i + 1
                        let offset = ((b * nh + h) * T + i) * Tp
                        let row = p.value + offset  // (Tp,), zero past n
                        let dyi = dy.value + (b * T + i) * C + h * hs
                        let qi = head + i * 3 * C  // (hs,)
                        let n8 = (n + 7) / 8 * 8  // whole SIMD8s; P is 0 past n
                        Tensor.rowTimesMatrix(dyi, vt, hs, Tp, width: n, into: dS)  // dP_ij = dy_i·v_j
                        var weights = UnsafePointer(row)
                        if let m {  // through the mask: dP_ij · M_ij, and the dropped weights M_ij P_ij
                            for j in 0..<n {
                                dS[j] *= m.value[offset + j]
                                dropped[j] = row[j] * m.value[offset + j]
                            }
                            for j in n..<n8 {
                                dS[j] = 0
                                dropped[j] = 0
                            }
                            weights = UnsafePointer(dropped)
                        }
                        let total = Tensor.dot(row, dS, n8)  // Σ_j P_ij dP_ij
                        for j in stride(from: 0, to: n8, by: 8) {  // dS_ij / √hs, 0 past n
                            Vec8.store(Vec8.load(row + j) * (Vec8.load(dS + j) - total) * scale, dS + j)
                        }
                        for d in 0..<hs {
                            Tensor.axpy(dyi[d], weights, dvt + d * Tp, n8)  // dv_j[d] += M_ij P_ij dy_i[d]
                            Tensor.axpy(qi[d], dS, dkt + d * Tp, n8)  // dk_j[d] += dS_ij q_i[d]
                        }
                        let dqi = dhead + i * 3 * C
                        // dq_i += Σ_j dS_ij k_j
                        Tensor.weightedSum(dS, n, of: head + C, rowStride: 3 * C, hs, into: dqi, adding: true)
                    }
                    for j in 0..<T {
                        let dk = dhead + j * 3 * C + C
                        let dv = dhead + j * 3 * C + 2 * C
                        for d in 0..<hs {
                            dk[d] += dkt[d * Tp + j]
                            dv[d] += dvt[d * Tp + j]
                        }
                    }
                }
            }
            withExtendedLifetime((inp, probs, mask)) {}
        }
        return out
    }

    /// The keep mask of attention dropout for `rows` (B·nh) maps of T × T weights: one uniform per
    /// element in row-major order, 1/(1 − p) where it is at least `p`, else 0; stored (rows, T, Tp)
    /// with zeros in the padding. nil when `p` is 0 (nothing is drawn).
    private static func attentionDropoutMask(_ rows: Int, _ T: Int, _ Tp: Int, _ p: Float, _ g: TorchGenerator)
        -> Tensor?
    {
        precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), not \(p)")
        guard p > 0 else { return nil }
        let uniforms = g.rand(rows * T * T)  // (rows, T, T)
        let mask = Tensor(repeating: 0, shape: [rows, T, Tp])  // (rows, T, Tp)
        let keep = 1 / (1 - p)
        for r in 0..<rows {
            for i in 0..<T {
                for j in 0..<T where uniforms[(r * T + i) * T + j] >= p { mask.pointer[(r * T + i) * Tp + j] = keep }
            }
        }
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
        let threads = Swift.min(Gemm.defaultThreads, B)
        guard threads > 1, B * work >= Gemm.parallelThreshold / 4 else {
            for b in 0..<B { body(b) }
            return
        }
        let job = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for b in stride(from: t, to: B, by: threads) { job.value(b) }
        }
    }

    /// Rows `0..<rows` of `cols` floats each, `rowStride` apart, written transposed: `out[c·ld + r]`.
    @inline(__always)
    static func transposeRows(
        _ src: UnsafePointer<Float>, rowStride: Int, _ rows: Int, _ cols: Int,
        into out: UnsafeMutablePointer<Float>, _ ld: Int
    ) {
        for r in 0..<rows {
            let s = src + r * rowStride
            for c in 0..<cols { out[c * ld + r] = s[c] }
        }
    }

    /// out[0..<width] = Σ_d v[d]·M[d, 0..<width] for M (depth, ld) row-major, eight columns at a time
    /// (the columns past `width` up to the next multiple of 8 are computed too; `ld` covers them).
    @inline(__always)
    static func rowTimesMatrix(
        _ v: UnsafePointer<Float>, _ M: UnsafePointer<Float>, _ depth: Int, _ ld: Int,
        width: Int, into out: UnsafeMutablePointer<Float>
    ) {
        var j = 0
        while j < width {
            var acc = SIMD8<Float>()
            for d in 0..<depth { acc = acc.addingProduct(v[d], Vec8.load(M + d * ld + j)) }
            Vec8.store(acc, out + j)
            j += 8
        }
    }

    /// softmax(scale·row[0..<n]) in place, zeros in row[n..<n8] (n8: n rounded up to a multiple of
    /// 8, within the row's storage): one attention row with the future masked out.
    @inline(__always)
    static func maskedSoftmaxRow(_ row: UnsafeMutablePointer<Float>, _ n: Int, scale: Float) {
        let n8 = (n + 7) / 8 * 8
        var m = -Float.infinity
        for j in 0..<n {
            row[j] *= scale
            m = Swift.max(m, row[j])
        }
        for j in n..<n8 { row[j] = -.infinity }  // e^(-∞) = 0
        var total = SIMD8<Float>()
        for j in stride(from: 0, to: n8, by: 8) {
            let e = FastMath.exp(Vec8.load(row + j) - m)
            Vec8.store(e, row + j)
            total += e
        }
        let r = 1 / total.sum()
        for j in stride(from: 0, to: n8, by: 8) { Vec8.store(Vec8.load(row + j) * r, row + j) }
    }

    /// out[0..<width] (+)= Σ_{j<n} w[j]·rows[j·rowStride ..< j·rowStride + width], summed in registers
    /// eight columns at a time (a weighted sum of value or key vectors).
    @inline(__always)
    static func weightedSum(
        _ w: UnsafePointer<Float>, _ n: Int, of rows: UnsafePointer<Float>, rowStride: Int, _ width: Int,
        into out: UnsafeMutablePointer<Float>, adding: Bool
    ) {
        var d = 0
        while d + 8 <= width {
            var acc = adding ? Vec8.load(out + d) : SIMD8<Float>()
            for j in 0..<n { acc = acc.addingProduct(w[j], Vec8.load(rows + j * rowStride + d)) }
            Vec8.store(acc, out + d)
            d += 8
        }
        while d < width {
            var acc: Float = adding ? out[d] : 0
            for j in 0..<n { acc += w[j] * rows[j * rowStride + d] }
            out[d] = acc
            d += 1
        }
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

    /// y += α·x over n floats.
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 8 <= n {
            Vec8.store(Vec8.load(y + i).addingProduct(alpha, Vec8.load(x + i)), y + i)
            i += 8
        }
        while i < n {
            y[i] += alpha * x[i]
            i += 1
        }
    }
}
