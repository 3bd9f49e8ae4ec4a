// Vectorised exp (Cephes' polynomial), tanh (Eigen's rational approximation), sigmoid and GELU on
// eight floats at a time (tanh sixteen), within a few ulp, so activations and softmax cost a few
// cycles per element.
import CMaskedVectors

/// Whether masked loads and stores of 16 floats are single instructions (AVX-512) on the machine
/// the build is tuned for; a constant once inlined.
enum MaskedVectors {
    static var areNative: Bool {
        @inline(__always) get { gb_masked_vectors_are_native() != 0 }
    }
}

/// Unaligned loads and stores of 16 floats (one AVX-512 register with -march=native), and maps over
/// a buffer. The maps are written for each width rather than once generic over it: generic SIMD code
/// compiled its comparisons and blends lane by lane (the MLP step took 120 µs instead of 54).
enum Vec16 {
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    /// The first `count` (0...16) floats at `p`, the other lanes zero; nothing after them is read.
    @inline(__always)
    static func loadFirst(_ p: UnsafePointer<Float>, _ count: Int32) -> SIMD16<Float> { gb_load_first(p, count) }

    /// Lanes `0..<count` (0...16) of `v` written at `p`; nothing after them is touched.
    @inline(__always)
    static func storeFirst(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ count: Int32) {
        gb_store_first(p, v, count)
    }

    @inline(__always)
    static func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
    }

    /// `y[i] = f(x[i])` for `i` in `0..<n`, sixteen at a time; the tail is padded with zeros.
    @inline(__always)
    static func map(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int,
        _ f: (SIMD16<Float>) -> SIMD16<Float>
    ) {
        var i = 0
        while i + 16 <= n {
            store(f(load(x + i)), y + i)
            i += 16
        }
        if i < n { storeFirst(f(loadFirst(x + i, Int32(n - i))), y + i, Int32(n - i)) }
    }

    /// `y[i] += f(a[i], b[i])` for `i` in `0..<n` (`y[i] = f(a[i], b[i])` when `adding` is false:
    /// a gradient written fresh), sixteen at a time; the tail is padded with zeros (each lane
    /// computes what the scalar loop would).
    @inline(__always)
    static func accumulate(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, _ n: Int,
        adding: Bool = true, _ f: (SIMD16<Float>, SIMD16<Float>) -> SIMD16<Float>
    ) {
        var i = 0
        if adding {
            while i + 16 <= n {
                store(load(y + i) + f(load(a + i), load(b + i)), y + i)
                i += 16
            }
        } else {
            while i + 16 <= n {
                store(f(load(a + i), load(b + i)), y + i)
                i += 16
            }
        }
        if i < n {
            let count = Int32(n - i)
            let r = f(loadFirst(a + i, count), loadFirst(b + i, count))
            storeFirst(adding ? loadFirst(y + i, count) + r : r, y + i, count)
        }
    }
}

/// Unaligned loads and stores of eight doubles (sums kept in double, as PyTorch keeps them).
enum Double8 {
    @inline(__always)
    static func load(_ p: UnsafePointer<Double>) -> SIMD8<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD8<Double>, _ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Double>.self)
    }
}

/// Loads and stores of eight floats at any alignment, and maps of a SIMD function over a buffer.
enum Vec8 {
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// `y[i] = f(x[i])` for `i` in `0..<n`, eight at a time; the tail is padded with zeros.
    @inline(__always)
    static func map(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int,
        _ f: (SIMD8<Float>) -> SIMD8<Float>
    ) {
        var i = 0
        while i + 8 <= n {
            store(f(load(x + i)), y + i)
            i += 8
        }
        if i < n {
            var v = SIMD8<Float>()
            for j in 0..<(n - i) { v[j] = x[i + j] }
            let r = f(v)
            for j in 0..<(n - i) { y[i + j] = r[j] }
        }
    }

    /// `y[i] = f(a[i], b[i])` (or `y[i] += …` when `adding`) for `i` in `0..<n`, eight at a time; the
    /// tail is padded with zeros.
    @inline(__always)
    static func map(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
        _ n: Int, adding: Bool = false, _ f: (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>
    ) {
        var i = 0
        while i + 8 <= n {
            let r = f(load(a + i), load(b + i))
            store(adding ? load(y + i) + r : r, y + i)
            i += 8
        }
        if i < n {
            var va = SIMD8<Float>()
            var vb = SIMD8<Float>()
            for j in 0..<(n - i) {
                va[j] = a[i + j]
                vb[j] = b[i + j]
            }
            let r = f(va, vb)
            for j in 0..<(n - i) { y[i + j] = adding ? y[i + j] + r[j] : r[j] }
        }
    }

    /// `y[i] += f(a[i], b[i])` for `i` in `0..<n`, eight at a time; the tail is padded with zeros.
    @inline(__always)
    static func accumulate(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
        _ n: Int, _ f: (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>
    ) {
        map(a, b, into: y, n, adding: true, f)
    }

    /// The sum of `x[0..<n]`, in eight partial sums.
    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= n {
            acc += load(x + i)
            i += 8
        }
        var s = acc.sum()
        while i < n {
            s += x[i]
            i += 1
        }
        return s
    }
}

extension Vec8 {
    /// Σ over `0..<n` of a term: `lanes(j)` gives the terms j..<j+8, summed in eight partial sums,
    /// and `scalar(j)` each term of the tail.
    @inline(__always)
    static func sum(_ n: Int, _ scalar: (Int) -> Float, lanes: (Int) -> SIMD8<Float>) -> Float {
        var acc = SIMD8<Float>()
        var j = 0
        while j + 8 <= n {
            acc += lanes(j)
            j += 8
        }
        var s = acc.sum()
        while j < n {
            s += scalar(j)
            j += 1
        }
        return s
    }

    /// Runs `lanes(j)` for j = 0, 8, 16, … while eight elements remain, then `scalar(j)` for the tail.
    @inline(__always)
    static func forEach(_ n: Int, _ scalar: (Int) -> Void, lanes: (Int) -> Void) {
        var j = 0
        while j + 8 <= n {
            lanes(j)
            j += 8
        }
        while j < n {
            scalar(j)
            j += 1
        }
    }
}

/// Elementwise transcendental functions on `SIMD8<Float>`.
enum FastMath {
    /// eˣ: x = k·ln 2 + r with |r| ≤ ln2/2, eʳ by a degree-6 polynomial, 2ᵏ put into the exponent
    /// bits. Below -87.3 the result is 0 (so exp(-∞) = 0 in masked softmax), above 88.7 it is +∞.
    @inline(__always)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let shifter = SIMD8<Float>(repeating: 12_582_912)  // 1.5·2²³: adding it rounds to an integer
        let t = shifter.addingProduct(x, SIMD8(repeating: 1.44269504088896341))
        let k = t - shifter
        // x - k·ln 2 in two parts
        let r = x.addingProduct(k, SIMD8(repeating: -0.693359375)).addingProduct(k, SIMD8(repeating: 2.12194440e-4))
        var p = fma(r, SIMD8(repeating: 1.9875691500e-4), 1.3981999507e-3)
        p = fma(p, r, 8.3334519073e-3)
        p = fma(p, r, 4.1665795894e-2)
        p = fma(p, r, 1.6666665459e-1)
        p = fma(p, r, 5.0000001201e-1)
        p = (r + 1).addingProduct(p, r * r)
        let bits = (unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        var y = p * unsafeBitCast(bits, to: SIMD8<Float>.self)
        y.replace(with: 0, where: x .< -87.33654)
        y.replace(with: .infinity, where: x .> 88.72283)
        return y
    }

    /// `a·b + c` as one fused multiply-add per lane.
    @inline(__always)
    static func fma(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: Float) -> SIMD8<Float> {
        SIMD8<Float>(repeating: c).addingProduct(a, b)
    }

    /// tanh x as a ratio of an odd degree-13 and an even degree-6 polynomial on x clamped to
    /// ±7.9053 (Eigen's `generic_fast_tanh_float`): within 4e-7 of tanh everywhere, x itself below
    /// 4e-4, NaN for NaN. Sixteen lanes: the division is as slow per float in 16 lanes as in 8, but
    /// the polynomials take half the instructions.
    @inline(__always)
    static func tanh(_ x: SIMD16<Float>) -> SIMD16<Float> {
        @inline(__always) func fma(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: Float) -> SIMD16<Float> {
            SIMD16<Float>(repeating: c).addingProduct(a, b)
        }
        let bound: Float = 7.90531110763549805
        let c = x.replacing(with: bound, where: x .> bound).replacing(with: -bound, where: x .< -bound)
        let z = c * c
        var p = fma(z, SIMD16(repeating: -2.76076847742355e-16), 2.00018790482477e-13)
        p = fma(p, z, -8.60467152213735e-11)
        p = fma(p, z, 5.12229709037114e-08)
        p = fma(p, z, 1.48572235717979e-05)
        p = fma(p, z, 6.37261928875436e-04)
        p = fma(p, z, 4.89352455891786e-03)
        var q = fma(z, SIMD16(repeating: 1.19825839466702e-06), 1.18534705686654e-04)
        q = fma(q, z, 2.26843463243900e-03)
        q = fma(q, z, 4.89352518554385e-03)
        let keep = (x .< 4e-4) .& (x .> -4e-4) .| (x .!= x)
        return (c * p / q).replacing(with: x, where: keep)
    }

    /// σ(x) = 1 / (1 + e⁻ˣ).
    @inline(__always)
    static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
        1 / (1 + exp(-x))
    }

    /// √(2/π), the scale inside the tanh form of GELU.
    static let geluScale: Float = 0.7978845608028654

    /// GELU, tanh form (makemore's NewGELU): ½x(1 + tanh u) with u = √(2/π)(x + 0.044715x³),
    /// computed as x·σ(2u) (the same function, since 1 + tanh u = 2σ(2u)) so that no 1 - 1
    /// cancellation spoils large negative x.
    @inline(__always)
    static func gelu(_ x: SIMD8<Float>) -> SIMD8<Float> {
        x * sigmoid(2 * geluInner(x))
    }

    /// d gelu/dx = σ(2u) + 2x·σ(2u)(1 - σ(2u))·u′ with u′ = √(2/π)(1 + 3·0.044715x²).
    @inline(__always)
    static func geluSlope(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let s = sigmoid(2 * geluInner(x))
        let du = geluScale * fma(x * x, SIMD8(repeating: 3 * 0.044715), 1)
        return s + 2 * x * s * (1 - s) * du
    }

    /// u = √(2/π)(x + 0.044715x³).
    @inline(__always)
    static func geluInner(_ x: SIMD8<Float>) -> SIMD8<Float> {
        geluScale * x.addingProduct(0.044715 * x * x, x)
    }
}
