// numpy's legacy global generator (`np.random.seed(n)`, the `RandomState` that scikit-learn's
// `make_moons` draws from when given no random_state), bit for bit, for micrograd's demo notebook:
// its moons come from `np.random.seed(1337); make_moons(n_samples=100, noise=0.1)`.
//
// It is the same mt19937 as PyTorch's and CPython's, seeded as `init_genrand` (as PyTorch), with
// numpy's own bounded integers (a bit mask, redrawn until in range), shuffle and polar Gaussian.
import Foundation

/// numpy's legacy `RandomState` for the calls micrograd's demo makes through scikit-learn.
///
///     var random = NumpyRandom(seed: 1337)          // np.random.seed(1337)
///     let noise = random.normal(scale: 0.1, count: 200)
package struct NumpyRandom {
    private var twister: MersenneTwister
    /// The second value of the last polar pair, returned by the next Gaussian draw.
    private var cachedGaussian: Double?

    /// `np.random.seed(seed)` for a whole number 0 ..< 2³².
    package init(seed: UInt32) {
        twister = MersenneTwister(seed: UInt64(seed))
    }

    /// A float64 uniform in [0, 1) from two 32-bit outputs (`legacy_double`).
    package mutating func double() -> Double {
        let a = Double(twister.next() >> 5)
        let b = Double(twister.next() >> 6)
        return (a * 67_108_864 + b) / 9_007_199_254_740_992
    }

    /// A whole number in 0...max (`random_interval`): 32-bit draws masked to the smallest
    /// 2^k - 1 ≥ max, redrawn until ≤ max.
    package mutating func interval(_ max: UInt32) -> UInt32 {
        guard max > 0 else { return 0 }
        var mask = max
        mask |= mask >> 1
        mask |= mask >> 2
        mask |= mask >> 4
        mask |= mask >> 8
        mask |= mask >> 16
        while true {
            let value = twister.next() & mask
            if value <= max { return value }
        }
    }

    /// `RandomState.shuffle(x)` on a 1-D array: from the end down to 1, swap x[i] with x[interval(i)].
    package mutating func shuffle<T>(_ x: inout [T]) {
        guard x.count > 1 else { return }
        for i in stride(from: x.count - 1, through: 1, by: -1) {
            x.swapAt(i, Int(interval(UInt32(truncatingIfNeeded: i))))
        }
    }

    /// One standard normal (`legacy_gauss`): Marsaglia's polar method, the pair's second value kept
    /// for the next call.
    package mutating func gaussian() -> Double {
        if let cached = cachedGaussian {
            cachedGaussian = nil
            return cached
        }
        var x1 = 0.0
        var x2 = 0.0
        var r2 = 0.0
        repeat {
            x1 = 2 * double() - 1
            x2 = 2 * double() - 1
            r2 = x1 * x1 + x2 * x2
        } while r2 >= 1 || r2 == 0
        let f = (-2 * Foundation.log(r2) / r2).squareRoot()
        cachedGaussian = f * x1
        return f * x2
    }

    /// `normal(loc=0, scale=scale, size=count)`, in row-major order.
    package mutating func normal(scale: Double, count: Int) -> [Double] {
        (0..<count).map { _ in scale * gaussian() }
    }
}
