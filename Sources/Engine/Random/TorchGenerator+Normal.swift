// Standard normals as `torch.randn` makes them on the CPU: Box–Muller by one of two paths. Below 16
// elements, one float64 pair at a time (second value cached); at 16 and above, uniforms, then blocks of 16.

import Foundation

extension TorchGenerator {
    /// `count` float32 standard normals, as `torch.randn(count, generator=g)` (any shape with that many
    /// elements: PyTorch fills contiguous tensors in row-major order).
    ///
    /// - Fewer than 16: each value is a float64 Box–Muller normal rounded to float32 (see ``nextNormal()``),
    ///   so the cached second value of a pair carries over to the next call.
    /// - 16 or more: `count` float32 uniforms are drawn, then every block of 16 is transformed in place
    ///   (Box–Muller with PyTorch's AVX2 float32 `log` and `sincos`, see `CephesFloat`); when `count` is not a multiple of 16, the last 16 slots are refilled with
    ///   fresh uniforms and transformed again, overwriting the tail of the previous block.
    ///
    /// The large path reproduces PyTorch's AVX2 kernel (`normal_fill_AVX2`), the one the reference was
    /// made with. Where PyTorch dispatches to another kernel (its source shows the AVX-512 and ARM builds
    /// using libm's `logf`/`cosf` instead), its values differ from these in the last bits.
    ///
    /// A `count` of zero or less gives `[]` and draws nothing.
    /// - Precondition: `count <= maximumCount`; check a count a user typed with
    ///   ``validate(count:argument:)`` first.
    public func randn(_ count: Int) -> [Float] {
        guard count > 0 else { return [] }
        precondition(count <= Self.maximumCount, "asked for \(count) numbers, more than maximumCount")
        guard count >= 16 else { return (0..<count).map { _ in Float(nextNormal()) } }
        return [Float](unsafeUninitializedCapacity: count) { data, initialized in
            fillNormal16(data, count: count, uniform: nextFloat, transform: Self.boxMuller16)
            initialized = count
        }
    }

    /// `count` float64 standard normals, as `torch.randn(count, dtype=torch.float64, generator=g)`.
    ///
    /// The same two paths as ``randn(_:)``: below 16, the same ``nextNormal()`` draws (verified through
    /// the float32 cases, which PyTorch also computes in float64); at 16 and above, float64 uniforms
    /// (two 32-bit draws each) transformed 16 at a time in float64 with libm's `log`, `cos` and `sin`.
    /// That large path is inferred from PyTorch's source (`normal_fill<double>`: no AVX2 special case
    /// for float64), not checked: the reference has no float64 normals.
    ///
    /// A `count` of zero or less gives `[]` and draws nothing.
    /// - Precondition: `count <= maximumCount`; check a count a user typed with
    ///   ``validate(count:argument:)`` first.
    public func randnDouble(_ count: Int) -> [Double] {
        guard count > 0 else { return [] }
        precondition(count <= Self.maximumCount, "asked for \(count) numbers, more than maximumCount")
        guard count >= 16 else { return (0..<count).map { _ in nextNormal() } }
        return [Double](unsafeUninitializedCapacity: count) { data, initialized in
            fillNormal16(data, count: count, uniform: nextDouble, transform: Self.boxMuller16)
            initialized = count
        }
    }

    /// One float64 standard normal, PyTorch's `at::normal_distribution<double>`: returns the cached
    /// value if there is one; otherwise draws `u1`, `u2` (float64 uniforms), returns `r cos θ` and caches
    /// `r sin θ`, where `r = √(−2 log(1 − u2))` and `θ = 2π u1`.
    public func nextNormal() -> Double {
        if let cached = cachedNormal {
            cachedNormal = nil
            return cached
        }
        let u1 = nextDouble()
        let u2 = nextDouble()
        let r = (-2.0 * log1p(-u2)).squareRoot()
        let theta = 2.0 * Double.pi * u1
        cachedNormal = r * sin(theta)
        return r * cos(theta)
    }

    /// PyTorch's `normal_fill`: `count` (≥ 16) uniforms into `data`, then Box–Muller on each block of 16,
    /// then, if `count % 16 != 0`, fresh uniforms into the last 16 slots and Box–Muller on them.
    @inline(__always)
    private func fillNormal16<T>(
        _ data: UnsafeMutableBufferPointer<T>, count: Int,
        uniform: () -> T, transform: (UnsafeMutablePointer<T>) -> Void
    ) {
        let base = data.baseAddress!
        for i in 0..<count { data[i] = uniform() }
        for start in stride(from: 0, to: count - 15, by: 16) { transform(base + start) }
        if count % 16 != 0 {
            let tail = base + (count - 16)  // overlaps the last full block
            for i in 0..<16 { tail[i] = uniform() }
            transform(tail)
        }
    }

    /// Box–Muller on 16 float32 uniforms in place, as PyTorch's `normal_fill_16_AVX2`: slot `j` and
    /// `j + 8` (`j < 8`) become `r cos θ` and `r sin θ` with `r = √(−2 log(1 − u_j))`, `θ = 2π u_{j+8}`,
    /// all in float32, with the Cephes `log` and `sincos` of ``CephesFloat``.
    static func boxMuller16(_ data: UnsafeMutablePointer<Float>) {
        let twoPi = Float(2 * Double.pi)
        for j in 0..<8 {
            let u1 = 1 - data[j]
            let u2 = data[j + 8]
            let radius = (-2 * CephesFloat.log(u1)).squareRoot()
            let (sine, cosine) = CephesFloat.sinCos(twoPi * u2)
            data[j] = radius * cosine
            data[j + 8] = radius * sine
        }
    }

    /// Box–Muller on 16 float64 uniforms in place, as PyTorch's scalar `normal_fill_16<double>`: the same
    /// pairing of slots as the float32 version, in float64 with libm's `log`, `cos` and `sin`.
    static func boxMuller16(_ data: UnsafeMutablePointer<Double>) {
        for j in 0..<8 {
            let u1 = 1 - data[j]
            let u2 = data[j + 8]
            let radius = (-2 * log(u1)).squareRoot()
            let theta = 2.0 * Double.pi * u2
            data[j] = radius * cos(theta)
            data[j + 8] = radius * sin(theta)
        }
    }
}
