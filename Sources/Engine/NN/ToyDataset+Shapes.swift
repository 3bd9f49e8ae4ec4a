// 2-D classification shapes drawn from our `TorchGenerator`: scikit-learn's make_moons and
// make_circles (points on arcs, shuffled, then Gaussian noise), and xor and two blobs. The shapes
// follow scikit-learn's algorithms; the random numbers are ours, so the points are not sklearn's.
import Foundation

extension ToyDataset {
    /// Two interleaving half circles, as `sklearn.datasets.make_moons(n, noise=noise)` then `y*2 - 1`
    /// (micrograd's demo): the upper moon (label −1) is the half circle (cos t, sin t) for
    /// t = linspace(0, π, n/2); the lower one (label 1) is (1 − cos t, 0.5 − sin t). The points are
    /// shuffled (`randperm`), then every coordinate gets N(0, noise²) noise (`randnDouble`).
    ///
    /// - Precondition: `1 <= count <= TorchGenerator.maximumCount / 2`, `noise >= 0`.
    public static func moons(count: Int, noise: Double, generator: TorchGenerator) -> ToyDataset {
        let outer = count / 2
        let inner = count - outer
        let upper = linspace(0, .pi, outer).map { [cos($0), sin($0)] }
        let lower = linspace(0, .pi, inner).map { [1 - cos($0), 1 - sin($0) - 0.5] }
        return shuffledWithNoise(
            name: "moons", upper + lower, labels(outer, inner), noise: noise,
            details: "noise \(noise.compactDescription)", generator: generator)
    }

    /// `np.random.seed(seed); X, y = make_moons(n_samples=count, noise=noise)`, bit for bit, as
    /// micrograd's demo makes its data: the same half circles, shuffled and noised by numpy's legacy
    /// generator as scikit-learn does (labels -1 and 1, the demo's `y*2 - 1`).
    package static func sklearnMoons(count: Int, noise: Double, numpySeed: UInt32) -> ToyDataset {
        let outer = count / 2
        let inner = count - outer
        let upper = linspace(0, .pi, outer).map { [cos($0), sin($0)] }
        let lower = linspace(0, .pi, inner).map { [1 - cos($0), 1 - sin($0) - 0.5] }
        let points = upper + lower
        let targets = labels(outer, inner)
        var random = NumpyRandom(seed: numpySeed)
        var order = Array(0..<count)
        random.shuffle(&order)  // sklearn.utils.shuffle: indices = arange(n); random_state.shuffle(indices)
        var inputs = order.map { points[$0] }
        if noise > 0 {
            let drawn = random.normal(scale: noise, count: count * 2)  // X += normal(scale=noise, size=X.shape)
            for i in inputs.indices { inputs[i] = [inputs[i][0] + drawn[2 * i], inputs[i][1] + drawn[2 * i + 1]] }
        }
        return ToyDataset(
            name: "moons", inputs: inputs, targets: order.map { targets[$0] },
            details: "noise \(noise.compactDescription), scikit-learn's after np.random.seed(\(numpySeed))")
    }

    /// A circle inside a circle, as `sklearn.datasets.make_circles(n, noise=noise, factor=factor)`:
    /// the outer circle (label −1) at radius 1, the inner one (label 1) at radius `factor`, points at
    /// evenly spaced angles, shuffled, then noisy. (scikit-learn's default factor is 0.8.)
    ///
    /// - Precondition: as for ``moons(count:noise:generator:)``, and `0 < factor < 1`.
    public static func circles(count: Int, noise: Double, factor: Double = 0.5, generator: TorchGenerator) -> ToyDataset
    {
        let outer = count / 2
        let inner = count - outer
        let angles = { (n: Int) in (0..<n).map { 2 * Double.pi * Double($0) / Double(n) } }  // endpoint=False
        let points =
            angles(outer).map { [cos($0), sin($0)] } + angles(inner).map { [factor * cos($0), factor * sin($0)] }
        return shuffledWithNoise(
            name: "circles", points, labels(outer, inner), noise: noise,
            details: "noise \(noise.compactDescription), inner radius \(factor.compactDescription)",
            generator: generator)
    }

    /// XOR: points uniform in the square [−1, 1)², label 1 where x and y have the same sign and −1
    /// where they differ, then noisy (the labels are those of the points before the noise).
    public static func xor(count: Int, noise: Double, generator: TorchGenerator) -> ToyDataset {
        let points = (0..<count).map { _ in [uniformMinusOneToOne(generator), uniformMinusOneToOne(generator)] }
        let labels = points.map { $0[0] * $0[1] > 0 ? 1.0 : -1.0 }
        return withNoise(
            ToyDataset(name: "xor", inputs: points, targets: labels, details: "noise \(noise.compactDescription)"),
            noise: noise, generator: generator)
    }

    /// Two Gaussian blobs with standard deviation `noise`: label −1 around (−1, −1), label 1 around
    /// (1, 1), shuffled.
    public static func blobs(count: Int, noise: Double, generator: TorchGenerator) -> ToyDataset {
        let first = count / 2
        let second = count - first
        let centres = Array(repeating: [-1.0, -1.0], count: first) + Array(repeating: [1.0, 1.0], count: second)
        return shuffledWithNoise(
            name: "blobs", centres, labels(first, second), noise: noise,
            details: "standard deviation \(noise.compactDescription)", generator: generator)
    }

    // MARK: Pieces

    /// numpy's `linspace(start, stop, n)`: n evenly spaced numbers, the last exactly `stop`.
    static func linspace(_ start: Double, _ stop: Double, _ n: Int) -> [Double] {
        guard n > 1 else { return n == 1 ? [start] : [] }
        let step = (stop - start) / Double(n - 1)
        return (0..<n).map { $0 == n - 1 ? stop : start + Double($0) * step }
    }

    /// `first` labels −1, then `second` labels 1.
    static func labels(_ first: Int, _ second: Int) -> [Double] {
        Array(repeating: -1.0, count: first) + Array(repeating: 1.0, count: second)
    }

    /// scikit-learn's order: shuffle the examples, then add the noise.
    static func shuffledWithNoise(
        name: String, _ points: [[Double]], _ labels: [Double], noise: Double,
        details: String, generator: TorchGenerator
    ) -> ToyDataset {
        precondition(
            points.count >= 1 && points.count <= TorchGenerator.maximumCount / 2 && noise >= 0,
            "a data set needs 1 to maximumCount/2 points and noise >= 0")
        let order: [Int]
        do {
            order = try generator.randperm(points.count)
        } catch {
            preconditionFailure("randperm(\(points.count)): \(error)")  // ruled out above
        }
        let data = ToyDataset(
            name: name, inputs: order.map { points[$0] }, targets: order.map { labels[$0] }, details: details)
        return withNoise(data, noise: noise, generator: generator)
    }

    /// Every coordinate plus N(0, noise²), drawn row by row (`X += noise * randn(N, D)`); no draws
    /// when `noise` is 0.
    static func withNoise(_ data: ToyDataset, noise: Double, generator: TorchGenerator) -> ToyDataset {
        guard noise > 0 else { return data }
        var noisy = data
        let normals = generator.randnDouble(data.count * data.features)  // (N·D,)
        for i in noisy.inputs.indices {
            for j in noisy.inputs[i].indices { noisy.inputs[i][j] += noise * normals[i * data.features + j] }
        }
        return noisy
    }
}
