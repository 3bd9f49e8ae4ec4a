// Elementwise functions of one tensor, each with its derivative right below the forward loop:
// exp, log, tanh, relu, sigmoid, GELU (tanh form), pow with a scalar exponent, sqrt.
//
// Shapes: every op maps (…) → (…); n = number of elements. Backward accumulates `dinp[i] += …`.
import Foundation

extension Tensor {
    /// A new output of `op` with `self`'s shape: `kernel(x, y, n)` maps n values from x to y (a
    /// `Vec8.map` or `Vec16.map` of the op's function, written at the call so that the function is
    /// inlined into it); large tensors are shared between the cores.
    @inline(__always)
    private func mapped(
        _ op: String,
        _ kernel: @escaping (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
    ) -> (out: Tensor, inp: Tensor) {
        let inp = dense()
        let out = Tensor(uninitializedShape: shape, op: op, inputs: self)  // (…)
        let (x, y) = (inp.pointer, out.pointer)
        withExtendedLifetime(inp) {
            WorkerPool.shared.forEachRange(count) { r in kernel(x + r.lowerBound, y + r.lowerBound, r.count) }
        }
        return (out, inp)
    }

    /// eˣ, elementwise. ∂/∂x = eˣ, the output itself.
    public func exp() -> Tensor {
        let (out, _) = mapped("exp") { Vec8.map($0, $1, $2) { FastMath.exp($0) } }  // (…)
        out.onBackward { out in
            let (dinp, fresh) = self.gradBufferToWrite()
            let dout = out.gradBuffer()
            let y = out.pointer
            Vec16.accumulate(dout, y, into: dinp, out.count, adding: !fresh) { dout, y in dout * y }
        }
        return out
    }

    /// ln x, elementwise. ∂/∂x = 1/x.
    public func log() -> Tensor {
        let inp = dense()
        let out = Tensor(uninitializedShape: shape, op: "log", inputs: self)  // (…)
        let x = inp.pointer
        let y = out.pointer
        withExtendedLifetime(inp) { for i in 0..<count { y[i] = Foundation.log(x[i]) } }
        out.onBackward { out in
            let dinp = self.gradBuffer()
            let dout = out.gradBuffer()
            let x = inp.pointer
            for i in 0..<out.count { dinp[i] += dout[i] / x[i] }
        }
        return out
    }

    /// tanh x, elementwise. ∂/∂x = 1 - tanh²x, from the output.
    public func tanh() -> Tensor {
        let (out, _) = mapped("tanh") { Vec16.map($0, $1, $2) { FastMath.tanh($0) } }  // (…)
        out.onBackward { out in
            let (dinp, fresh) = self.gradBufferToWrite()
            let dout = out.gradBuffer()
            let y = out.pointer
            Vec16.accumulate(dout, y, into: dinp, out.count, adding: !fresh) { dout, y in dout * (1 - y * y) }
        }
        return out
    }

    /// max(0, x), elementwise. ∂/∂x = 1 where the output is positive, else 0.
    public func relu() -> Tensor {
        let (out, _) = mapped("relu") { Vec8.map($0, $1, $2) { $0.replacing(with: 0, where: $0 .< 0) } }  // (…)
        out.onBackward { out in
            let (dinp, fresh) = self.gradBufferToWrite()
            Tensor.reluGradient(out.gradBuffer(), out.pointer, into: dinp, out.count, adding: !fresh)
        }
        return out
    }

    /// dx[i] += dy[i] where y[i] > 0, for i in 0..<n (ReLU's backward from its output y); without
    /// `adding`, dx starts from +0, as if zeroed and added to. On both cores when n is large.
    static func reluGradient(
        _ dy: UnsafePointer<Float>, _ y: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>, _ n: Int,
        adding: Bool
    ) {
        WorkerPool.shared.forEachRange(n) { r in
            var i = r.lowerBound
            while i + 16 <= r.upperBound {
                let old = adding ? Vec16.load(dx + i) : SIMD16<Float>()
                Vec16.store(old.replacing(with: old + Vec16.load(dy + i), where: Vec16.load(y + i) .> 0), dx + i)
                i += 16
            }
            while i < r.upperBound {
                let old: Float = adding ? dx[i] : 0
                dx[i] = y[i] > 0 ? old + dy[i] : old
                i += 1
            }
        }
    }

    /// σ(x) = 1/(1 + e⁻ˣ), elementwise. ∂/∂x = σ(x)(1 - σ(x)), from the output.
    public func sigmoid() -> Tensor {
        let (out, _) = mapped("sigmoid") { Vec8.map($0, $1, $2) { FastMath.sigmoid($0) } }  // (…)
        out.onBackward { out in
            let (dinp, fresh) = self.gradBufferToWrite()
            let dout = out.gradBuffer()
            let y = out.pointer
            Vec16.accumulate(dout, y, into: dinp, out.count, adding: !fresh) { dout, y in dout * y * (1 - y) }
        }
        return out
    }

    /// GELU in its tanh form, makemore's `NewGELU`: ½x(1 + tanh u) with u = √(2/π)(x + 0.044715x³).
    ///
    /// ∂/∂x = ½(1 + tanh u) + ½x(1 - tanh²u)·√(2/π)(1 + 3·0.044715x²).
    public func gelu() -> Tensor {
        let (out, inp) = mapped("gelu") { Vec8.map($0, $1, $2) { FastMath.gelu($0) } }  // (…)
        out.onBackward { out in
            let (dinp, fresh) = self.gradBufferToWrite()
            let (dout, x) = (out.gradBuffer(), inp.pointer)
            WorkerPool.shared.forEachRange(out.count) { r in
                let i = r.lowerBound
                Vec8.map(x + i, dout + i, into: dinp + i, r.count, adding: !fresh) { x, dout in
                    dout * FastMath.geluSlope(x)
                }
            }
        }
        return out
    }

    /// xᵖ for a scalar exponent, elementwise. ∂/∂x = p·xᵖ⁻¹.
    public func pow(_ exponent: Float) -> Tensor {
        let inp = dense()
        let out = Tensor(uninitializedShape: shape, op: "pow", inputs: self)  // (…)
        let x = inp.pointer
        let y = out.pointer
        let p = exponent
        withExtendedLifetime(inp) {
            switch p {
            case 2: for i in 0..<count { y[i] = x[i] * x[i] }
            case 3: for i in 0..<count { y[i] = x[i] * x[i] * x[i] }
            case 0.5: for i in 0..<count { y[i] = x[i].squareRoot() }
            default: for i in 0..<count { y[i] = Foundation.pow(x[i], p) }
            }
        }
        out.onBackward { out in
            let dinp = self.gradBuffer()
            let dout = out.gradBuffer()
            let x = inp.pointer
            switch p {
            case 2: for i in 0..<out.count { dinp[i] += dout[i] * 2 * x[i] }
            case 3: for i in 0..<out.count { dinp[i] += dout[i] * 3 * x[i] * x[i] }
            default: for i in 0..<out.count { dinp[i] += dout[i] * p * Foundation.pow(x[i], p - 1) }
            }
        }
        return out
    }

    /// √x, elementwise. ∂/∂x = 1/(2√x), from the output.
    public func sqrt() -> Tensor {
        let inp = dense()
        let out = Tensor(uninitializedShape: shape, op: "sqrt", inputs: self)  // (…)
        let x = inp.pointer
        let y = out.pointer
        withExtendedLifetime(inp) { for i in 0..<count { y[i] = x[i].squareRoot() } }
        out.onBackward { out in
            let dinp = self.gradBuffer()
            let dout = out.gradBuffer()
            let y = out.pointer
            for i in 0..<out.count { dinp[i] += dout[i] * 0.5 / y[i] }
        }
        return out
    }
}
