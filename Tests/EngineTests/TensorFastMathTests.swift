import Foundation
import Testing

// The vectorised exp, tanh, sigmoid and GELU against Foundation's double-precision functions over a
// dense grid, plus the edge values a training run can reach (±∞, NaN, huge inputs).
@testable import Engine

@Suite("Tensor fast math")
struct TensorFastMathTests {
    /// (name, our function, the exact function, allowed relative error, allowed absolute error).
    static let functions:
        [(String, @Sendable (SIMD8<Float>) -> SIMD8<Float>, @Sendable (Double) -> Double, Double, Double)] = [
            ("exp", FastMath.exp, Foundation.exp, 3e-7, 0),
            ("tanh", { FastMath.tanh(SIMD16(lowHalf: $0, highHalf: .zero)).lowHalf }, Foundation.tanh, 5e-7, 1e-30),
            ("sigmoid", FastMath.sigmoid, { 1 / (1 + Foundation.exp(-$0)) }, 5e-7, 0),
            (
                "gelu", FastMath.gelu,
                { 0.5 * $0 * (1 + Foundation.tanh(0.7978845608028654 * ($0 + 0.044715 * $0 * $0 * $0))) }, 2e-6, 1e-7
            )
        ]

    @Test("within a few float32 ulps of the exact function on [-20, 20]", arguments: 0..<4)
    func accurate(_ which: Int) {
        let (name, ours, exact, relative, absolute) = Self.functions[which]
        var worst = 0.0
        for i in 0..<5000 {
            var x = SIMD8<Float>()
            for lane in 0..<8 { x[lane] = -20 + 40 * Float(i * 8 + lane) / 40000 }
            let y = ours(x)
            for lane in 0..<8 {
                let e = exact(Double(x[lane]))
                let excess = abs(Double(y[lane]) - e) - max(relative * abs(e), absolute)
                worst = max(worst, excess)
            }
        }
        #expect(worst <= 0, "\(name): error exceeds the bound by \(worst)")
    }

    @Test("edge values: infinities, NaN, overflow and underflow")
    func edges() {
        let x = SIMD8<Float>(-.infinity, .infinity, .nan, -100, 100, 0, -1e-6, 1e-6)
        let e = FastMath.exp(x)
        let t = FastMath.tanh(SIMD16(lowHalf: x, highHalf: .zero)).lowHalf
        let s = FastMath.sigmoid(x)
        #expect(e[0] == 0 && e[1] == .infinity && e[2].isNaN && e[3] == 0 && e[4] == .infinity && e[5] == 1)
        #expect(abs(t[0] + 1) < 1e-6)
        #expect(abs(t[1] - 1) < 1e-6 && t[2].isNaN && t[5] == 0 && t[6] == -1e-6 && t[7] == 1e-6)
        #expect(s[0] == 0 && s[1] == 1 && s[2].isNaN && s[5] == 0.5)
    }
}
