// The 32-bit Mersenne Twister (Matsumoto & Nishimura 1998) behind PyTorch's CPU generator and
// CPython's `random`. PyTorch seeds it as `at::mt19937` does (the seed's low 32 bits through
// `init_genrand`); CPython through `init_by_array` with the seed's 32-bit words.

/// The mt19937 engine: 624 words of state, tempered 32-bit outputs.
///
/// A value type owned by ``TorchGenerator`` and ``PythonRandom``; the state lives in one array
/// allocated at seeding time, so drawing never allocates.
package struct MersenneTwister {
    static let stateSize = 624
    static let shift = 397
    static let matrixA: UInt32 = 0x9908_B0DF
    static let upperMask: UInt32 = 0x8000_0000
    static let lowerMask: UInt32 = 0x7FFF_FFFF

    /// The 624 state words.
    private var state: [UInt32]
    /// The next word of `state` to temper; `stateSize` means "twist before the next draw".
    private var index: Int

    /// Seeds with the low 32 bits of `seed`, like `at::mt19937(seed)`.
    init(seed: UInt64) {
        state = [UInt32](repeating: 0, count: Self.stateSize)
        index = Self.stateSize
        reseed(seed)
    }

    /// Seeded from `key` by `init_by_array`, as CPython's `random.seed` seeds it.
    package init(key: [UInt32]) {
        self.init(seed: 19_650_218)
        let n = Self.stateSize
        let key = key.isEmpty ? [0] : key
        state.withUnsafeMutableBufferPointer { s in
            var i = 1
            var j = 0
            for _ in 0..<max(n, key.count) {
                s[i] = (s[i] ^ ((s[i - 1] ^ (s[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
                i += 1
                j += 1
                if i >= n {
                    s[0] = s[n - 1]
                    i = 1
                }
                if j >= key.count { j = 0 }
            }
            for _ in 0..<(n - 1) {
                s[i] = (s[i] ^ ((s[i - 1] ^ (s[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
                i += 1
                if i >= n {
                    s[0] = s[n - 1]
                    i = 1
                }
            }
            s[0] = 0x8000_0000
        }
        index = n
    }

    /// The 624 state words and the position of the next one to temper, for saving.
    package var snapshot: (words: [UInt32], index: Int) { (state, index) }

    /// A twister in the state `snapshot` gave; nil when the words or index do not make one.
    package init?(words: [UInt32], index: Int) {
        guard words.count == Self.stateSize, (0...Self.stateSize).contains(index) else { return nil }
        (state, self.index) = (words, index)
    }

    /// Re-initialises the state in place (no allocation).
    mutating func reseed(_ seed: UInt64) {
        state.withUnsafeMutableBufferPointer { s in
            s[0] = UInt32(truncatingIfNeeded: seed)
            for j in 1..<Self.stateSize {
                // s[j] = 1812433253 * (s[j-1] ^ (s[j-1] >> 30)) + j   (mod 2^32)
                s[j] = 1_812_433_253 &* (s[j - 1] ^ (s[j - 1] >> 30)) &+ UInt32(j)
            }
        }
        index = Self.stateSize
    }

    /// The next tempered 32-bit output.
    @inline(__always)
    package mutating func next() -> UInt32 {
        if index >= Self.stateSize { twist() }
        let y = state[index]
        index += 1
        return Self.tempered(y)
    }

    /// Hands over the state words behind the next `count` outputs, untempered, in runs: `body(words,
    /// run, done)` gets `run` words (at most 624) that give outputs `done..<done + run`; temper them
    /// with ``tempered(_:)``. Twists between runs as ``next()`` would.
    @inline(__always)
    package mutating func forEachRun(count: Int, _ body: (UnsafePointer<UInt32>, Int, Int) -> Void) {
        var done = 0
        state.withUnsafeMutableBufferPointer { s in
            let words = s.baseAddress!
            while done < count {
                if index >= Self.stateSize {
                    Self.twist(words)
                    index = 0
                }
                let run = Swift.min(count - done, Self.stateSize - index)
                body(words + index, run, done)
                index += run
                done += run
            }
        }
    }

    /// Sixteen state words tempered into outputs.
    @inline(__always)
    package static func tempered(_ word: SIMD16<UInt32>) -> SIMD16<UInt32> {
        var y = word
        y ^= y &>> 11
        y ^= (y &<< 7) & 0x9D2C_5680
        y ^= (y &<< 15) & 0xEFC6_0000
        y ^= y &>> 18
        return y
    }

    /// A state word tempered into an output.
    @inline(__always)
    package static func tempered(_ word: UInt32) -> UInt32 {
        var y = word
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// Regenerates all 624 words (the "twist").
    private mutating func twist() {
        state.withUnsafeMutableBufferPointer { Self.twist($0.baseAddress!) }
        index = 0
    }

    /// The twist of the 624 words at `s`:
    /// s[k] = s[(k + m) % n] ^ twisted(upper bit of s[k], lower 31 bits of s[(k + 1) % n]), in order
    /// of k. Split into three loops so that no index needs a `%`; the first two go sixteen words at a
    /// time, which gives the sequential result: a block reads s[k + 1 ... k + 16], not yet rewritten,
    /// and s[k + m − n ...], rewritten by earlier blocks (m − n = −227, more than a block away).
    private static func twist(_ s: UnsafeMutablePointer<UInt32>) {
        let n = stateSize
        let m = shift
        @inline(__always) func mixed(_ upper: UInt32, _ lower: UInt32) -> UInt32 {
            let y = (upper & upperMask) | (lower & lowerMask)
            return (y >> 1) ^ ((y & 1) == 0 ? 0 : matrixA)
        }
        @inline(__always) func block(_ k: Int, _ source: Int) {
            let raw = UnsafeMutableRawPointer(s)
            let upper = raw.loadUnaligned(fromByteOffset: 4 * k, as: SIMD16<UInt32>.self)
            let lower = raw.loadUnaligned(fromByteOffset: 4 * (k + 1), as: SIMD16<UInt32>.self)
            let far = raw.loadUnaligned(fromByteOffset: 4 * source, as: SIMD16<UInt32>.self)
            let y = (upper & upperMask) | (lower & lowerMask)
            let odd = (y & 1) &* matrixA  // matrixA where y is odd, else 0
            raw.storeBytes(of: far ^ (y &>> 1) ^ odd, toByteOffset: 4 * k, as: SIMD16<UInt32>.self)
        }
        var k = 0
        while k + 16 <= n - m {
            block(k, k + m)
            k += 16
        }
        while k < n - m {
            s[k] = s[k + m] ^ mixed(s[k], s[k + 1])
            k += 1
        }
        while k + 16 <= n - 1 {
            block(k, k + m - n)
            k += 16
        }
        while k < n - 1 {
            s[k] = s[k + m - n] ^ mixed(s[k], s[k + 1])
            k += 1
        }
        s[n - 1] = s[m - 1] ^ mixed(s[n - 1], s[0])
    }
}
