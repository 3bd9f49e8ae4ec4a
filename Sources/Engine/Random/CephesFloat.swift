// PyTorch's AVX2 float32 `log` and `sincos` (`avx_mathfun.h`, the Cephes polynomials), ported lane by lane.
// `randn` of 16 or more float32s uses them instead of libm, which differs by a few ulps; matching PyTorch
// bit for bit needs the same constants, roundings and fused multiply-adds. Domain: Box–Muller's only.

/// Cephes float32 `log` and `sincos`, as PyTorch's `avx_mathfun.h` computes them.
///
/// **Fused multiply-adds.** GCC builds PyTorch's AVX2 kernels with `-mfma` and contracts every
/// multiply whose only use is an add (`_mm256_mul_ps` then `_mm256_add_ps`) into one FMA, so each
/// `a * b + c` below is written `fused(a, b, c)`, rounded once. The reference pins one of these down:
/// without the fused last step of the sine polynomial (`s · x + x`), 5 of the 729 values of
/// `randn(27, 27)` are 1–2 ulps off. The other contractions are GCC's rule, consistent with the
/// reference but not distinguishable by it.
enum CephesFloat {
    // The C source's double literals rounded to float32, written in hex so that nothing rounds them again.
    static let sqrtHalf: Float = 0x1.6a09e6p-1  // 0.707106781186547524
    static let logP0: Float = 0x1.204376p-4  // 7.0376836292E-2
    static let logP1: Float = -0x1.d7a370p-4  // -1.1514610310E-1
    static let logP2: Float = 0x1.de4a34p-4  // 1.1676998740E-1
    static let logP3: Float = -0x1.fcba9ep-4  // -1.2420140846E-1
    static let logP4: Float = 0x1.23d37ep-3  // 1.4249322787E-1
    static let logP5: Float = -0x1.555ca0p-3  // -1.6668057665E-1
    static let logP6: Float = 0x1.999d58p-3  // 2.0000714765E-1
    static let logP7: Float = -0x1.fffff8p-3  // -2.4999993993E-1
    static let logP8: Float = 0x1.555554p-2  // 3.3333331174E-1
    static let logQ1: Float = -0x1.bd0106p-13  // -2.12194440e-4
    static let logQ2: Float = 0x1.63p-1  // 0.693359375

    static let fourOverPi: Float = 0x1.45f306p+0  // 1.27323954473516
    static let minusDP1: Float = -0x1.92p-1  // -0.78515625
    static let minusDP2: Float = -0x1.fb4p-13  // -2.4187564849853515625e-4
    static let minusDP3: Float = -0x1.4442d2p-25  // -3.77489497744594108e-8
    static let sinP0: Float = -0x1.9943f2p-13  // -1.9515295891E-4
    static let sinP1: Float = 0x1.11073cp-7  // 8.3321608736E-3
    static let sinP2: Float = -0x1.555546p-3  // -1.6666654611E-1
    static let cosP0: Float = 0x1.99eb9cp-16  // 2.443315711809948E-005
    static let cosP1: Float = -0x1.6c0c34p-10  // -1.388731625493765E-003
    static let cosP2: Float = 0x1.55554ap-5  // 4.166664568298827E-002

    /// `a * b + c` rounded once, as GCC's contraction of `_mm256_add_ps(_mm256_mul_ps(a, b), c)`.
    @inline(__always)
    static func fused(_ a: Float, _ b: Float, _ c: Float) -> Float { c.addingProduct(a, b) }

    /// `log256_ps` on one lane: the natural logarithm, NaN for `x <= 0`.
    @inline(__always)
    static func log(_ input: Float) -> Float {
        if !(input > 0) { return .nan }
        // x = m · 2^e with m in [0.5, 1); subnormals are first raised to the smallest normal.
        let bits = max(input, .leastNormalMagnitude).bitPattern
        var e = Float(Int32(bitPattern: bits >> 23) - 0x7F) + 1
        var x = Float(bitPattern: (bits & ~0x7F80_0000) | Float(0.5).bitPattern)
        // if m < √½ { e -= 1; x = m + m - 1 } else { x = m - 1 }, branch-free as in the AVX code
        let below = x < sqrtHalf
        let tmp: Float = below ? x : 0
        x = x - 1
        e = e - (below ? 1 : 0)
        x = x + tmp

        let z = x * x
        var y = fused(logP0, x, logP1)
        y = fused(y, x, logP2)
        y = fused(y, x, logP3)
        y = fused(y, x, logP4)
        y = fused(y, x, logP5)
        y = fused(y, x, logP6)
        y = fused(y, x, logP7)
        y = fused(y, x, logP8)
        y = y * x
        y = y * z
        y = fused(e, logQ1, y)
        y = fused(-z, 0.5, y)  // y - z/2
        x = x + y
        return fused(e, logQ2, x)
    }

    /// `sincos256_ps` on one lane: `(sin x, cos x)`.
    @inline(__always)
    static func sinCos(_ input: Float) -> (sin: Float, cos: Float) {
        var signSin = input.bitPattern & 0x8000_0000
        var x = abs(input)

        // j = (⌊x · 4/π⌋ + 1) & ~1, the octant rounded up to even; y = j as a float.
        var j = (Int32(x * fourOverPi) &+ 1) & ~1
        let y = Float(j)
        signSin ^= UInt32(bitPattern: j & 4) << 29
        let sineFromSinPolynomial = (j & 2) == 0
        j = j &- 2
        let signCos = UInt32(bitPattern: ~j & 4) << 29

        // x = ((x - y·DP1) - y·DP2) - y·DP3: extended-precision reduction to [-π/4, π/4].
        x = fused(y, minusDP1, x)
        x = fused(y, minusDP2, x)
        x = fused(y, minusDP3, x)

        let z = x * x
        var c = fused(cosP0, z, cosP1)  // cos polynomial: 1 - z/2 + z²(p0 z² + p1 z + p2)
        c = fused(c, z, cosP2)
        c = c * z
        c = c * z
        c = fused(-z, 0.5, c)
        c = c + 1

        var s = fused(sinP0, z, sinP1)  // sin polynomial: x + x z (p0 z² + p1 z + p2)
        s = fused(s, z, sinP2)
        s = s * z
        s = fused(s, x, x)

        // Pick each result's polynomial as the AVX code does: masks, then subtracting and adding zeros.
        let sinFromS: Float = sineFromSinPolynomial ? s : 0
        let sinFromC: Float = sineFromSinPolynomial ? 0 : c
        s = s - sinFromS
        c = c - sinFromC
        let sine = sinFromC + sinFromS
        let cosine = c + s
        return (Float(bitPattern: sine.bitPattern ^ signSin), Float(bitPattern: cosine.bitPattern ^ signCos))
    }
}
