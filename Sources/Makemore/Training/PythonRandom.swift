// Python's `random.seed(n)` and `random.shuffle(x)`, bit for bit, so that `split --shuffle python`
// gives the lectures' exact train/dev/test words (`random.seed(42); random.shuffle(words)`).
// CPython's generator is the same mt19937 as PyTorch's, but seeded through `init_by_array`, and its
// shuffle draws with `_randbelow` (rejection sampling on `getrandbits`).

/// CPython's `random.Random` for the two calls the lectures make.
///
///     var random = PythonRandom(seed: 42)
///     random.shuffle(&words)           // the lectures' order: 'yuheng', 'diondre', 'xavien', …
package struct PythonRandom {
    private static let n = 624, m = 397
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624

    /// `random.seed(seed)` for a whole number 0 ..< 2³²: `init_by_array([seed])`.
    package init(seed: UInt32) {
        initialize(19_650_218)
        let key = [seed]
        var i = 1
        var j = 0
        for _ in 0..<max(Self.n, key.count) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1
            j += 1
            if i >= Self.n {
                state[0] = state[Self.n - 1]
                i = 1
            }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<(Self.n - 1) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= Self.n {
                state[0] = state[Self.n - 1]
                i = 1
            }
        }
        state[0] = 0x8000_0000
    }

    /// mt19937's `init_genrand`.
    private mutating func initialize(_ seed: UInt32) {
        state[0] = seed
        for j in 1..<Self.n { state[j] = 1_812_433_253 &* (state[j - 1] ^ (state[j - 1] >> 30)) &+ UInt32(j) }
        index = Self.n
    }

    /// One tempered 32-bit output (`genrand_uint32`).
    package mutating func next() -> UInt32 {
        if index >= Self.n {
            for k in 0..<Self.n {
                let y = (state[k] & 0x8000_0000) | (state[(k + 1) % Self.n] & 0x7FFF_FFFF)
                state[k] = state[(k + Self.m) % Self.n] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_B0DF)
            }
            index = 0
        }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

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
