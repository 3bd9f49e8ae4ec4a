// CPython's `random.seed(n)`, `random.random()` and `random.shuffle(x)`, bit for bit, so that
// `split --shuffle python` gives the lectures' exact train/dev/test words
// (`random.seed(42); random.shuffle(words)`). It is the same mt19937 as PyTorch's, seeded through
// `init_by_array`, and its shuffle draws with `_randbelow` (rejection sampling on `getrandbits`).

/// CPython's `random.Random` for the calls the lectures make.
///
///     var random = PythonRandom(seed: 42)
///     random.shuffle(&words)           // the lectures' order: 'yuheng', 'diondre', 'xavien', …
package struct PythonRandom {
    private var twister: MersenneTwister

    /// `random.seed(seed)` for a whole number 0 ..< 2³²: `init_by_array([seed])`.
    package init(seed: UInt32) {
        twister = MersenneTwister(key: [seed])
    }

    /// `random.seed(n)` for any whole number: `init_by_array` with the 32-bit words of |n|, least
    /// significant first.
    package init(seed: Int) {
        var magnitude = seed.magnitude
        var key: [UInt32] = []
        repeat {
            key.append(UInt32(truncatingIfNeeded: magnitude))
            magnitude >>= 32
        } while magnitude > 0
        twister = MersenneTwister(key: key)
    }

    /// `random.getrandbits(k)` for 0 < k ≤ 64: whole 32-bit words, least significant first, the
    /// last one cut to the bits still wanted.
    package mutating func bits(_ k: Int) -> UInt64 {
        var result: UInt64 = 0
        var left = k
        var shift: UInt64 = 0
        while left > 0 {
            var word = UInt64(next())
            if left < 32 { word >>= UInt64(32 - left) }
            result |= word << shift
            shift += 32
            left -= 32
        }
        return result
    }

    /// `_randbelow(n)` for any n > 0.
    package mutating func below(wide n: Int) -> Int {
        let k = Int.bitWidth - n.leadingZeroBitCount
        while true {
            let r = Int(truncatingIfNeeded: bits(k))
            if r < n { return r }
        }
    }

    /// One tempered 32-bit output (`genrand_uint32`).
    package mutating func next() -> UInt32 { twister.next() }

    /// `random.random()`: 53 bits from two outputs.
    package mutating func random() -> Double {
        let a = Double(next() >> 5)
        let b = Double(next() >> 6)
        return (a * 67_108_864 + b) / 9_007_199_254_740_992
    }

    /// `_randbelow(n)` for 0 < n < 2³²: `getrandbits(k)` with k = n.bit_length(), redrawn until below n.
    package mutating func below(_ n: Int) -> Int {
        precondition(n > 0 && n < 1 << 32, "below: n must be in 1 ..< 2^32")
        let k = Int.bitWidth - n.leadingZeroBitCount
        while true {
            let r = Int(next() >> UInt32(32 - k))
            if r < n { return r }
        }
    }

    /// `random.shuffle(x)`: for i from the end down to 1, swap x[i] with x[_randbelow(i + 1)].
    package mutating func shuffle<T>(_ x: inout [T]) {
        guard x.count > 1 else { return }
        for i in stride(from: x.count - 1, through: 1, by: -1) {
            x.swapAt(i, below(i + 1))
        }
    }
}
