// Integers, permutations and categorical samples as PyTorch's CPU kernels draw them (`random_from_to`,
// `randperm_cpu`, the lecture-era multinomial with replacement). These throw on a user's mistakes.

extension TorchGenerator {
    /// `count` integers uniform in `low..<high`, as `torch.randint(low, high, (count,), generator=g)`.
    ///
    /// Each is `low + (draw mod (high - low))`, where the draw is one 32-bit output, or a 64-bit one
    /// (``nextUInt64()``) when the range spans 2³² or more (PyTorch's rule for int64 tensors). The modulo
    /// has PyTorch's small bias towards low values for ranges that do not divide 2³².
    ///
    /// - Throws: ``GeneratorError/emptyRange(low:high:)`` when `high <= low`, or a count error when
    ///   `count` is outside `0...maximumCount`. Nothing is drawn then.
    public func randint(low: Int, high: Int, count: Int) throws(GeneratorError) -> [Int] {
        guard high > low else { throw .emptyRange(low: low, high: high) }
        try Self.validate(count: count, argument: "randint count")
        let range = UInt64(bitPattern: Int64(high) &- Int64(low))  // fits: high > low
        let base = UInt64(bitPattern: Int64(low))
        let wide = range >= 1 << 32
        return (0..<count).map { _ in
            let draw = wide ? nextUInt64() : UInt64(nextUInt32())
            return Int(Int64(bitPattern: base &+ draw % range))
        }
    }

    /// A random permutation of `0..<n`, as `torch.randperm(n, generator=g)`.
    ///
    /// PyTorch's CPU algorithm for `n < 2³² / 20`: start from the identity and, for `i` in `0..<n-1`,
    /// swap slot `i` with slot `i + (draw mod (n - i))` (a forward Fisher–Yates shuffle, one 32-bit draw
    /// per step, `n - 1` draws in all). For larger `n` PyTorch switches to an "inside-out" shuffle with
    /// 64-bit draws; that branch is ported from the source but not checked against a reference.
    ///
    /// - Throws: a count error when `n` is outside `0...maximumCount`.
    public func randperm(_ n: Int) throws(GeneratorError) -> [Int] {
        try Self.validate(count: n, argument: "randperm n")
        if n < Int(UInt32.max / 20) {
            var permutation = Array(0..<n)
            for i in 0..<max(n - 1, 0) {
                let z = Int(nextUInt32()) % (n - i)
                permutation.swapAt(i, i + z)
            }
            return permutation
        }
        var permutation = [Int](repeating: 0, count: n)
        for i in 0..<n {
            let z = Int(nextUInt64() % UInt64(i + 1))
            permutation[i] = permutation[z]
            permutation[z] = i
        }
        return permutation
    }

    /// `samples` category indices drawn with replacement, with probability proportional to
    /// `probabilities`, as `torch.multinomial(p, samples, replacement=True, generator=g)` did in the
    /// lectures.
    ///
    /// The cumulative sum of the weights is divided by their total (in float64), its last entry set to 1;
    /// each sample then draws one float64 uniform `u` (two 32-bit draws) and returns the first index
    /// whose cumulative value is `>= u`, by binary search. Calling this `n` times with `samples: 1`
    /// gives the same indices as one call with `samples: n`.
    ///
    /// - Throws: ``GeneratorError`` when there are no weights, a weight is negative, infinite or NaN,
    ///   the weights sum to zero (or overflow), or `samples` is outside `0...maximumCount`.
    ///   Nothing is drawn then.
    public func multinomial(_ probabilities: [Double], samples: Int) throws(GeneratorError) -> [Int] {
        try sampleWithReplacement(probabilities, samples: samples)
    }

    /// `samples` category indices for float32 weights: the same rule as the `[Double]` overload, with the
    /// cumulative sum and its normalisation in float32, as PyTorch's kernel does for a float32 tensor
    /// (`u` is still a float64 uniform, and the float32 cumulative values are compared with it exactly).
    ///
    /// - Throws: as the `[Double]` overload.
    public func multinomial(_ probabilities: [Float], samples: Int) throws(GeneratorError) -> [Int] {
        try sampleWithReplacement(probabilities, samples: samples)
    }

    /// PyTorch's `multinomial_with_replacement_apply` for one distribution, in the weights' precision `T`.
    private func sampleWithReplacement<T: BinaryFloatingPoint>(
        _ weights: [T], samples: Int
    ) throws(GeneratorError) -> [Int] {
        let cumulative = try Self.normalisedCumulativeSum(weights)
        try Self.validate(count: samples, argument: "multinomial samples")
        return (0..<samples).map { _ in
            let u = nextDouble()
            var left = 0
            var right = cumulative.count  // first index with cum >= u
            while left < right {
                let mid = left + (right - left) / 2
                if Double(cumulative[mid]) < u { left = mid + 1 } else { right = mid }
            }
            return left
        }
    }

    /// The running sum of `weights` divided by its total, in `T`, with the last entry forced to 1.
    static func normalisedCumulativeSum<T: BinaryFloatingPoint>(
        _ weights: [T]
    ) throws(GeneratorError) -> [T] {
        guard !weights.isEmpty else { throw .noCategories }
        var cumulative = [T]()
        cumulative.reserveCapacity(weights.count)
        var sum: T = 0
        for (index, weight) in weights.enumerated() {
            guard weight >= 0, weight.isFinite else {
                throw .invalidWeight(index: index, value: Double(weight))
            }
            sum += weight
            cumulative.append(sum)
        }
        guard sum > 0 else { throw .zeroTotalWeight }
        guard sum.isFinite else { throw .totalWeightOverflow }
        for j in cumulative.indices { cumulative[j] /= sum }
        cumulative[cumulative.count - 1] = 1
        return cumulative
    }
}
