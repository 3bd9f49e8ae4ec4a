// A random generator that reproduces PyTorch's CPU `torch.Generator` bit for bit, so the lectures'
// `manual_seed(2147483647)` gives the same weights and sampled names here. Normals and sampling are in
// `TorchGenerator+Normal.swift` and `TorchGenerator+Sampling.swift`.

/// PyTorch's CPU generator: an mt19937 Mersenne Twister seeded with `seed`, plus the one cached normal
/// that PyTorch keeps between calls.
///
/// Draws consume the stream exactly as PyTorch does, so any sequence of calls gives PyTorch's numbers:
///
/// ```swift
/// let g = TorchGenerator()            // torch.Generator().manual_seed(2147483647)
/// let W = g.randn(27 * 27)            // torch.randn((27, 27), generator=g)
/// let p = g.rand(3)                   // torch.rand(3, generator=g): continues after W
/// ```
///
/// It is a class because, like `torch.Generator`, one generator is shared: every model that draws from
/// it advances the same stream. It is not thread-safe; give each task its own generator.
public final class TorchGenerator: CustomStringConvertible {
    /// The seed last passed to ``init(seed:)`` or ``manualSeed(_:)``. Only its low 32 bits reach the
    /// Mersenne Twister, as in PyTorch.
    public private(set) var seed: UInt64

    /// The Mersenne Twister behind every draw.
    var engine: MersenneTwister

    /// The second normal of the last Box–Muller pair drawn one at a time (PyTorch's
    /// `next_double_normal_sample`), returned by the next single normal draw. Cleared by reseeding.
    var cachedNormal: Double?

    /// A generator seeded with `seed`; the default is the lectures' `2147483647`.
    public init(seed: UInt64 = 2_147_483_647) {
        self.seed = seed
        engine = MersenneTwister(seed: seed)
        cachedNormal = nil
    }

    /// Restarts the stream from `seed`, like `g.manual_seed(seed)`; also forgets any cached normal.
    public func manualSeed(_ seed: UInt64) {
        self.seed = seed
        engine.reseed(seed)
        cachedNormal = nil
    }

    /// `TorchGenerator(seed: 2147483647)`.
    public var description: String { "TorchGenerator(seed: \(seed))" }

    // MARK: Raw draws

    /// One 32-bit output of the Mersenne Twister (PyTorch's `random()`).
    @inline(__always)
    public func nextUInt32() -> UInt32 { engine.next() }

    /// Two 32-bit outputs joined as PyTorch's `random64()` does: the first is the high half.
    @inline(__always)
    public func nextUInt64() -> UInt64 {
        let high = UInt64(engine.next())
        let low = UInt64(engine.next())
        return high << 32 | low
    }

    // MARK: Uniforms

    /// One float32 uniform in [0, 1): the low 24 bits of one 32-bit draw, times 2⁻²⁴.
    @inline(__always)
    public func nextFloat() -> Float {
        Float(nextUInt32() & 0xFF_FFFF) * 0x1p-24
    }

    /// One float64 uniform in [0, 1): the low 53 bits of one 64-bit draw (two 32-bit draws), times 2⁻⁵³.
    @inline(__always)
    public func nextDouble() -> Double {
        Double(nextUInt64() & 0x1F_FFFF_FFFF_FFFF) * 0x1p-53
    }

    /// `count` float32 uniforms in [0, 1), as `torch.rand(count, generator=g)`.
    ///
    /// A `count` of zero or less gives `[]` and draws nothing.
    /// - Precondition: `count <= maximumCount`; check a count a user typed with
    ///   ``validate(count:argument:)`` first.
    public func rand(_ count: Int) -> [Float] {
        guard count > 0 else { return [] }
        precondition(count <= Self.maximumCount, "asked for \(count) numbers, more than maximumCount")
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            fillRand(buffer.baseAddress!, count: count)
            initialized = count
        }
    }

    /// Writes `count` float32 uniforms in [0, 1) to `out`: the numbers ``rand(_:)`` gives, drawn
    /// sixteen at a time with no array made.
    public func fillRand(_ out: UnsafeMutablePointer<Float>, count: Int) {
        fillUniforms(out, count: count, Uniforms())
    }

    /// Writes a dropout keep mask for `count` elements to `out`: for each of the next `count` float32
    /// uniforms u (those ``rand(_:)`` gives), `keep` where u ≥ `p`, else 0.
    public func fillKeepMask(_ out: UnsafeMutablePointer<Float>, count: Int, p: Float, keep: Float) {
        fillUniforms(out, count: count, KeepMask(p: p, keep: keep))
    }

    /// What `fillUniforms` writes for each uniform u: one function, given sixteen at a time or one.
    protocol UniformMap {
        func callAsFunction(_ u: SIMD16<Float>) -> SIMD16<Float>
        func callAsFunction(_ u: Float) -> Float
    }

    struct Uniforms: UniformMap {
        @inline(__always) func callAsFunction(_ u: SIMD16<Float>) -> SIMD16<Float> { u }
        @inline(__always) func callAsFunction(_ u: Float) -> Float { u }
    }

    struct KeepMask: UniformMap {
        let p: Float, keep: Float
        @inline(__always) func callAsFunction(_ u: SIMD16<Float>) -> SIMD16<Float> {
            SIMD16<Float>(repeating: keep).replacing(with: 0, where: u .< p)
        }
        @inline(__always) func callAsFunction(_ u: Float) -> Float { u >= p ? keep : 0 }
    }

    /// `map` of each of the next `count` float32 uniforms, written to `out`. A uniform is the low 24
    /// bits of a draw times 2⁻²⁴; sixteen at a time it is made from the bits, exactly: with h the
    /// draw's bits 1…23 and l its bit 0, (1 + h·2⁻²³) − 1 + l·2⁻²⁴, each step exact.
    @inline(__always)
    func fillUniforms<Map: UniformMap>(_ out: UnsafeMutablePointer<Float>, count: Int, _ map: Map) {
        guard count > 0 else { return }
        let raw = UnsafeMutableRawPointer(out)
        engine.forEachRun(count: count) { words, run, done in
            let from = UnsafeRawPointer(words)
            var i = 0
            while i + 16 <= run {
                let draw = MersenneTwister.tempered(from.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<UInt32>.self))
                let high = unsafeBitCast(0x3F80_0000 | ((draw & 0xFF_FFFF) &>> 1), to: SIMD16<Float>.self)
                let low = unsafeBitCast((draw & 1) &* 0x3380_0000, to: SIMD16<Float>.self)  // 2⁻²⁴ or 0
                let u = (high - 1) + low
                raw.storeBytes(of: map(u), toByteOffset: 4 * (done + i), as: SIMD16<Float>.self)
                i += 16
            }
            for i in i..<run {
                out[done + i] = map(Float(MersenneTwister.tempered(words[i]) & 0xFF_FFFF) * 0x1p-24)
            }
        }
    }

    /// `count` float64 uniforms in [0, 1), as `torch.rand(count, dtype=torch.float64, generator=g)`.
    ///
    /// A `count` of zero or less gives `[]` and draws nothing.
    /// - Precondition: `count <= maximumCount`; check a count a user typed with
    ///   ``validate(count:argument:)`` first.
    public func randDouble(_ count: Int) -> [Double] {
        guard count > 0 else { return [] }
        precondition(count <= Self.maximumCount, "asked for \(count) numbers, more than maximumCount")
        return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = nextDouble() }
            initialized = count
        }
    }
}

/// Where a ``TorchGenerator`` stands in its stream, as plain values: a checkpoint saves it so that a
/// resumed run draws the batches the uninterrupted run would have drawn.
public struct GeneratorState: Codable, Equatable, Sendable {
    public var seed: UInt64
    /// The Mersenne Twister's 624 words and the index of the next one to use.
    public var words: [UInt32]
    public var index: Int
    /// The cached second normal of a Box–Muller pair, if one is waiting.
    public var cachedNormal: Double?
}

extension TorchGenerator {
    /// The generator's position in its stream.
    public var state: GeneratorState {
        let snapshot = engine.snapshot
        return GeneratorState(seed: seed, words: snapshot.words, index: snapshot.index, cachedNormal: cachedNormal)
    }

    /// Puts the generator where `state` says; returns false (changing nothing) when the state cannot be
    /// a Mersenne Twister's (not 624 words, or an index outside 0...624).
    @discardableResult
    public func restore(_ state: GeneratorState) -> Bool {
        guard let twister = MersenneTwister(words: state.words, index: state.index) else { return false }
        (seed, engine, cachedNormal) = (state.seed, twister, state.cachedNormal)
        return true
    }
}
