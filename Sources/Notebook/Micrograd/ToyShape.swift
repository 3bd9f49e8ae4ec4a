// The small 2-D data sets of the micrograd lecture and its demo: the lecture's four examples, moons,
// circles, xor and blobs, drawn from the session's generator.
import ArgumentParser
import Engine
import NotebookLanguage

/// The data sets the notebook makes, with their defaults.
enum ToyShape: String, CaseIterable {
    case lecture, moons, circles, xor, blobs

    static let defaultCount = 100
    static let maximumCount = 100_000

    /// The noise each shape gets unless told otherwise (a standard deviation, in the data's units).
    var defaultNoise: Double {
        switch self {
        case .lecture: 0
        case .moons: 0.1
        case .circles: 0.05
        case .xor: 0.05
        case .blobs: 0.5
        }
    }

    /// The data set, after checking every setting; draws from `generator` unless a seed is given.
    func make(
        count: Int?, noise: Double?, factor: Double?, seed: Int?, numpySeed: Int? = nil, generator: TorchGenerator
    ) throws(NotebookError) -> ToyDataset {
        if self == .lecture {
            guard count == nil, noise == nil, factor == nil, seed == nil else {
                throw NotebookError(
                    "the lecture's examples are fixed (4 points in 3-D); they take no n, noise, factor or seed")
            }
            return .lecture
        }
        let count = count ?? Self.defaultCount
        let noise = noise ?? defaultNoise
        guard count >= 1, count <= Self.maximumCount else {
            throw NotebookError(
                "\(rawValue): n must be from 1 to \(Self.maximumCount.grouped) points, not \(count)")
        }
        // The shapes are a few units across: noise past 1e6 only buries them (and past 1e300 the
        // points overflow to inf).
        guard noise.isFinite, noise >= 0, noise <= 1e6 else {
            throw NotebookError(
                "\(rawValue): noise must be a number from 0 to 1e6 (a standard deviation; the shapes are about 2 across), not \(noise.pythonDescription)"
            )
        }
        if let factor, self != .circles {
            throw NotebookError(
                "\(rawValue) takes no factor (only circles does); leave out \(factor.pythonDescription)")
        }
        if let factor, !(factor > 0 && factor < 1) {
            throw NotebookError(
                "circles: factor is the inner circle's radius, between 0 and 1 (not included), not \(factor.pythonDescription)"
            )
        }
        if let seed, seed < 0 { throw NotebookError("\(rawValue): seed must be a whole number ≥ 0, not \(seed)") }
        if let numpySeed {
            guard self == .moons else {
                throw NotebookError("--numpy-seed makes scikit-learn's make_moons; \(rawValue) has no numpy form")
            }
            guard seed == nil else { throw NotebookError("give --seed or --numpy-seed, not both") }
            guard numpySeed >= 0, numpySeed <= Int(UInt32.max) else {
                throw NotebookError(
                    "--numpy-seed must be from 0 to \(UInt32.max), as np.random.seed takes, not \(numpySeed)")
            }
            return .sklearnMoons(count: count, noise: noise, numpySeed: UInt32(numpySeed))
        }
        let g = seed.map { TorchGenerator(seed: UInt64($0)) } ?? generator
        switch self {
        case .lecture: return .lecture
        case .moons: return .moons(count: count, noise: noise, generator: g)
        case .circles: return .circles(count: count, noise: noise, factor: factor ?? 0.5, generator: g)
        case .xor: return .xor(count: count, noise: noise, generator: g)
        case .blobs: return .blobs(count: count, noise: noise, generator: g)
        }
    }
}
