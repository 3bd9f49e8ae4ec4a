// A whole recurrent layer as one op: makemore.py's RNN and GRU cells and an LSTM cell run over every
// time step, with backpropagation through time right below the forward loop (llm.c's forward/backward
// pairs). One op rather than a dozen small ones per step: no per-step tensors, closures or `cat`, and
// the hidden weight's gradient is one GEMM over all steps at the end.
//
// makemore multiplies cat(x_t, h_{t-1}) by one weight; split into its x rows and its h rows,
// x_t·W_x + h_{t-1}·W_h is the same sum, and x·W_x for every step is one matmul the caller does first (`xw` below).
//
// Shapes: B = batch, T = time, H = hidden size, G = gates (RNN 1, GRU 3, LSTM 4), N = G·H.
// xw (B, T, N), wh (H, N), bias (N,), h0 and c0 (1, H) → hidden (B, T, H).
// Gate columns: RNN [h̃]; GRU [z | r | h̄] (makemore's xh_to_z, xh_to_r, xh_to_hbar); LSTM [i | f | g | o].

/// Which recurrent cell ``Tensor/recurrent(_:inputs:hiddenWeight:bias:start:startCell:)`` runs.
package enum RecurrentCell: String, Sendable, CaseIterable {
    /// h = tanh(a), a = x·W_x + h_{t-1}·W_h + b.
    case rnn
    /// r, z = σ(…); h̄ = tanh(x·W_x + (r ⊙ h_{t-1})·W_h + b); h = (1 - z) ⊙ h_{t-1} + z ⊙ h̄.
    case gru
    /// i, f, o = σ(…), g = tanh(…); c = f ⊙ c_{t-1} + i ⊙ g; h = o ⊙ tanh(c).
    case lstm

    /// G, the gate pre-activations per hidden unit.
    package var gateCount: Int {
        switch self {
        case .rnn: 1
        case .gru: 3
        case .lstm: 4
        }
    }
}

extension Tensor {
    /// The hidden state h_t of `cell` at every step, starting from `h0` (and `c0` for the LSTM):
    ///
    ///     let xw = emb ⊗ Wx                                                   // (B, T, 4H)
    ///     let h = try Tensor.recurrent(.lstm, inputs: xw, hiddenWeight: Wh, bias: b,
    ///                                  start: h0, startCell: c0)              // (B, T, H)
    ///
    /// `h0`/`c0` (1, H) are broadcast over the batch, so their gradients are summed over it.
    package static func recurrent(
        _ cell: RecurrentCell, inputs xw: Tensor, hiddenWeight wh: Tensor, bias: Tensor,
        start h0: Tensor, startCell c0: Tensor? = nil
    ) throws(ShapeError) -> Tensor {
        let op = "recurrent(\(cell.rawValue))"
        let G = cell.gateCount
        guard xw.shape.count == 3, xw.shape[0] >= 1, xw.shape[1] >= 1 else {
            throw ShapeError(op, "inputs need shape (B, T, \(G)·H) with B, T ≥ 1, not \(formatShape(xw.shape))")
        }
        let (B, T, N) = (xw.shape[0], xw.shape[1], xw.shape[2])
        guard wh.shape.count == 2, wh.shape[0] >= 1, wh.shape[0] * G == N, wh.shape[1] == N else {
            throw ShapeError(
                op,
                "the hidden weight has shape \(formatShape(wh.shape)); inputs of \(N) gate columns need (\(N / G), \(N))"
            )
        }
        let H = wh.shape[0]
        try bias.expectShape([N], "the bias", op: op)
        try h0.expectShape([1, H], "the start state", op: op)
        switch (cell, c0) {
        case (.lstm, .some(let c0)): try c0.expectShape([1, H], "the start cell state", op: op)
        case (.lstm, nil): throw ShapeError(op, "an LSTM needs a start cell state c0 (1, \(H))")
        case (_, .some): throw ShapeError(op, "only an LSTM has a cell state; pass no c0")
        case (_, nil): break
        }
        let out = Tensor(uninitializedShape: [B, T, H], op: op)  // (B, T, H)
        out.track([xw, wh, bias, h0] + (c0.map { [$0] } ?? []))
        let layer = RecurrentLayer(
            cell, x: xw.dense(), wh: wh, bias: bias.dense(), h0: h0.dense(),
            c0: c0?.dense() ?? Tensor(uninitializedShape: [0]), B: B, T: T, H: H)
        layer.forward(into: out.pointer)
        out.onBackward { out in
            layer.backward(
                dout: out.gradBuffer(), dxw: xw.requiresGrad ? xw.gradBuffer() : nil,
                dwh: wh.requiresGrad ? wh.gradBuffer() : nil, dbias: bias.requiresGrad ? bias.gradBuffer() : nil,
                dh0: h0.requiresGrad ? h0.gradBuffer() : nil,
                dc0: c0.flatMap { $0.requiresGrad ? $0.gradBuffer() : nil })
        }
        return out
    }
}

/// The inputs of one call and what its forward pass saves for backward. Every (B, T, W) buffer holds
/// row b of step t at `(b·T + t)·W`; one step of all rows is a GEMM operand with row stride T·W.
private final class RecurrentLayer {
    let cell: RecurrentCell
    let B: Int, T: Int, H: Int, N: Int
    let x: Tensor, wh: Tensor, bias: Tensor, h0: Tensor  // (B, T, N), (H, N), (N,), (1, H)
    let c0: Tensor  // (1, H) for the LSTM; empty for the others
    let W: Gemm.Operand  // wh, read in place (H, N)
    let acts: Tensor  // (B, T, N) the gates after their σ / tanh
    let hprev: Tensor  // (B, T, H) h_{t-1} at every step (h0 at t = 0)
    let state: Tensor  // (B, T, H) GRU: r ⊙ h_{t-1}, the reset state h̄ reads; LSTM: c_t; RNN: unused
    let tanhC: Tensor  // (B, T, H) LSTM: tanh(c_t); others: unused

    init(_ cell: RecurrentCell, x: Tensor, wh: Tensor, bias: Tensor, h0: Tensor, c0: Tensor, B: Int, T: Int, H: Int) {
        (self.cell, self.x, self.wh, self.bias, self.h0, self.c0) = (cell, x, wh, bias, h0, c0)
        (self.B, self.T, self.H, N) = (B, T, H, cell.gateCount * H)
        let s = wh.strides
        W = Gemm.Operand(base: wh.pointer, rowStride: s[0], colStride: s[1])
        acts = Tensor(uninitializedShape: [B, T, cell.gateCount * H])  // (B, T, N)
        hprev = Tensor(uninitializedShape: [B, T, H])  // (B, T, H)
        state = Tensor(uninitializedShape: cell == .rnn ? [0] : [B, T, H])  // (B, T, H)
        tanhC = Tensor(uninitializedShape: cell == .lstm ? [B, T, H] : [0])  // (B, T, H)
    }

    /// Row b of step t in a (B, T, width) buffer.
    @inline(__always) func row(_ p: UnsafeMutablePointer<Float>, _ b: Int, _ t: Int, _ width: Int)
        -> UnsafeMutablePointer<Float>
    {
        p + (b * T + t) * width
    }

    /// Step t of every row of a (B, T, width) buffer, from `column` on, as a (B, …) GEMM operand.
    @inline(__always) func step(_ p: UnsafeMutablePointer<Float>, _ t: Int, _ width: Int, column: Int = 0)
        -> Gemm.Operand
    {
        Gemm.Operand(base: p + t * width + column, rowStride: T * width, colStride: 1)
    }

    /// acts[:, t, columns] = h[:, t]·W[:, columns] + x[:, t, columns] + bias[columns], the pre-activations.
    func preactivate(_ t: Int, _ columns: Range<Int>, from h: UnsafeMutablePointer<Float>) {
        let (a, c0, n) = (acts.pointer, columns.lowerBound, columns.count)
        Gemm.gemm(
            m: B, n: n, k: H, a: step(h, t, H), b: W.advanced(by: c0 * W.colStride), beta: 0, c: a + t * N + c0,
            ldc: T * N)
        let bias = self.bias.pointer + c0
        for b in 0..<B {
            let y = row(a, b, t, N) + c0
            let xr = row(x.pointer, b, t, N) + c0
            for j in 0..<n { y[j] += xr[j] + bias[j] }
        }
    }

    // MARK: Forward

    func forward(into out: UnsafeMutablePointer<Float>) {
        let (a, hp, s, tc) = (acts.pointer, hprev.pointer, state.pointer, tanhC.pointer)
        for b in 0..<B { row(hp, b, 0, H).update(from: h0.pointer, count: H) }
        for t in 0..<T {
            switch cell {
            case .rnn:
                preactivate(t, 0..<H, from: hp)
                for b in 0..<B {
                    let y = row(a, b, t, N)
                    Vec16.map(y, y, H) { FastMath.tanh($0) }
                }  // h = tanh(a)
                for b in 0..<B { row(out, b, t, H).update(from: row(a, b, t, N), count: H) }
            case .gru:
                preactivate(t, 0..<2 * H, from: hp)
                for b in 0..<B {
                    let y = row(a, b, t, N)
                    let h = row(hp, b, t, H)
                    let rh = row(s, b, t, H)
                    Vec8.map(y, y, 2 * H) { FastMath.sigmoid($0) }  // z, r
                    for j in 0..<H { rh[j] = y[H + j] * h[j] }  // r ⊙ h_{t-1}
                }
                preactivate(t, 2 * H..<3 * H, from: s)
                for b in 0..<B {
                    let y = row(a, b, t, N)
                    let h = row(hp, b, t, H)
                    let o = row(out, b, t, H)
                    Vec16.map(y + 2 * H, y + 2 * H, H) { FastMath.tanh($0) }  // h̄
                    for j in 0..<H { o[j] = h[j] + y[j] * (y[2 * H + j] - h[j]) }  // (1 - z)·h + z·h̄
                }
            case .lstm:
                preactivate(t, 0..<4 * H, from: hp)
                for b in 0..<B {
                    let y = row(a, b, t, N)
                    let c = row(s, b, t, H)
                    let tcr = row(tc, b, t, H)
                    let o = row(out, b, t, H)
                    let cp = t == 0 ? c0.pointer : row(s, b, t - 1, H)
                    Vec8.map(y, y, 2 * H) { FastMath.sigmoid($0) }  // i, f
                    Vec16.map(y + 2 * H, y + 2 * H, H) { FastMath.tanh($0) }  // g
                    Vec8.map(y + 3 * H, y + 3 * H, H) { FastMath.sigmoid($0) }  // o
                    for j in 0..<H { c[j] = y[H + j] * cp[j] + y[j] * y[2 * H + j] }  // c = f·c_{t-1} + i·g
                    Vec16.map(c, tcr, H) { FastMath.tanh($0) }
                    for j in 0..<H { o[j] = y[3 * H + j] * tcr[j] }  // h = o·tanh(c)
                }
            }
            if t + 1 < T { for b in 0..<B { row(hp, b, t + 1, H).update(from: row(out, b, t, H), count: H) } }
        }
    }

    // MARK: Backward

    /// Backpropagation through time from ∂L/∂h (`dout`, (B, T, H)), accumulating into the inputs' gradients.
    func backward(
        dout: UnsafeMutablePointer<Float>, dxw: UnsafeMutablePointer<Float>?, dwh: UnsafeMutablePointer<Float>?,
        dbias: UnsafeMutablePointer<Float>?, dh0: UnsafeMutablePointer<Float>?, dc0: UnsafeMutablePointer<Float>?
    ) {
        let (a, hp, s, tc) = (acts.pointer, hprev.pointer, state.pointer, tanhC.pointer)
        let dG = Tensor(uninitializedShape: [B, T, N])  // (B, T, N) ∂L/∂pre-activations
        var dh = Tensor(repeating: 0, shape: [B, H])  // (B, H) ∂L/∂h_t
        var dnext = Tensor(repeating: 0, shape: [B, H])  // (B, H) ∂L/∂h_{t-1}
        let dc = Tensor(repeating: 0, shape: cell == .lstm ? [B, H] : [0])  // (B, H) ∂L/∂c_t
        let dreset = Tensor(repeating: 0, shape: cell == .gru ? [B, H] : [0])  // (B, H) ∂L/∂(r ⊙ h_{t-1})
        let g = dG.pointer
        for t in (0..<T).reversed() {
            let dhp = dh.pointer
            let dn = dnext.pointer
            for b in 0..<B {
                let d = dhp + b * H
                let o = row(dout, b, t, H)
                for j in 0..<H { d[j] += o[j] }  // from the logits at t
            }
            switch cell {
            case .rnn:
                for b in 0..<B {
                    let y = row(a, b, t, N)
                    let d = row(g, b, t, N)
                    let dhr = dhp + b * H
                    for j in 0..<H { d[j] = dhr[j] * (1 - y[j] * y[j]) }  // tanh′
                }
                Gemm.gemm(m: B, n: H, k: H, a: step(g, t, N), b: W.transposed, beta: 0, c: dn, ldc: H)
            case .gru:
                for b in 0..<B {
                    let y = row(a, b, t, N)
                    let h = row(hp, b, t, H)
                    let d = row(g, b, t, N)
                    let dhr = dhp + b * H
                    let dnr = dn + b * H
                    for j in 0..<H {
                        let z = y[j]
                        let hbar = y[2 * H + j]
                        d[j] = dhr[j] * (hbar - h[j]) * z * (1 - z)  // ∂/∂z, through σ′
                        d[2 * H + j] = dhr[j] * z * (1 - hbar * hbar)  // ∂/∂h̄, through tanh′
                        dnr[j] = dhr[j] * (1 - z)  // h_{t-1}'s direct share
                    }
                }
                let dr = dreset.pointer
                Gemm.gemm(
                    m: B, n: H, k: H, a: step(g, t, N, column: 2 * H),
                    b: W.advanced(by: 2 * H * W.colStride).transposed,
                    beta: 0, c: dr, ldc: H)
                for b in 0..<B {
                    let y = row(a, b, t, N)
                    let h = row(hp, b, t, H)
                    let d = row(g, b, t, N)
                    let drr = dr + b * H
                    let dnr = dn + b * H
                    for j in 0..<H {
                        let r = y[H + j]
                        d[H + j] = drr[j] * h[j] * r * (1 - r)  // ∂/∂r, through σ′
                        dnr[j] += drr[j] * r  // through r ⊙ h_{t-1}
                    }
                }
                Gemm.gemm(m: B, n: H, k: 2 * H, a: step(g, t, N), b: W.transposed, beta: 1, c: dn, ldc: H)
            case .lstm:
                let dcp = dc.pointer
                for b in 0..<B {
                    let y = row(a, b, t, N)
                    let tcr = row(tc, b, t, H)
                    let d = row(g, b, t, N)
                    let dhr = dhp + b * H
                    let dcr = dcp + b * H
                    let cp = t == 0 ? c0.pointer : row(s, b, t - 1, H)
                    for j in 0..<H {
                        let (i, f, gg, o) = (y[j], y[H + j], y[2 * H + j], y[3 * H + j])
                        let dcj = dcr[j] + dhr[j] * o * (1 - tcr[j] * tcr[j])  // c's share of h = o·tanh(c)
                        d[j] = dcj * gg * i * (1 - i)  // ∂/∂i
                        d[H + j] = dcj * cp[j] * f * (1 - f)  // ∂/∂f
                        d[2 * H + j] = dcj * i * (1 - gg * gg)  // ∂/∂g
                        d[3 * H + j] = dhr[j] * tcr[j] * o * (1 - o)  // ∂/∂o
                        dcr[j] = dcj * f  // ∂L/∂c_{t-1}
                    }
                }
                Gemm.gemm(m: B, n: H, k: N, a: step(g, t, N), b: W.transposed, beta: 0, c: dn, ldc: H)
            }
            swap(&dh, &dnext)  // dh is now ∂L/∂h_{t-1}
        }
        // h0 and c0 were broadcast over the batch: their gradients are summed over it.
        if let dh0 { for b in 0..<B { for j in 0..<H { dh0[j] += dh.pointer[b * H + j] } } }
        if let dc0 { for b in 0..<B { for j in 0..<H { dc0[j] += dc.pointer[b * H + j] } } }
        if let dwh {  // dW_h (H, N) += Σ_t h_{t-1}ᵀ · dG_t, all steps in one GEMM over B·T rows
            let rows = B * T
            let dGrows = Gemm.Operand(base: g, rowStride: N, colStride: 1)  // (B·T, N)
            let inputs = Gemm.Operand(base: hp, rowStride: 1, colStride: H)  // (H, B·T)
            if cell == .gru {  // z, r read h_{t-1}; h̄ reads r ⊙ h_{t-1}
                Gemm.gemm(m: H, n: 2 * H, k: rows, a: inputs, b: dGrows, beta: 1, c: dwh, ldc: N)
                Gemm.gemm(
                    m: H, n: H, k: rows, a: Gemm.Operand(base: s, rowStride: 1, colStride: H),
                    b: dGrows.advanced(by: 2 * H),
                    beta: 1, c: dwh + 2 * H, ldc: N)
            } else {
                Gemm.gemm(m: H, n: N, k: rows, a: inputs, b: dGrows, beta: 1, c: dwh, ldc: N)
            }
        }
        if let dbias { for r in 0..<(B * T) { for n in 0..<N { dbias[n] += g[r * N + n] } } }
        if let dxw { for i in 0..<(B * T * N) { dxw[i] += g[i] } }  // pre-activation = xw + …
        withExtendedLifetime((dG, dh, dnext, dc, dreset)) {}
    }
}
