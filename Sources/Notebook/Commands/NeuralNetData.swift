// `data NAME KIND`: a small data set to train on — the lecture's four examples, or 2-D moons, circles,
// xor or blobs — assigned to NAME and drawn as a scatter plot. `moons(…)` and friends make the same.
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
    func make(count: Int?, noise: Double?, factor: Double?, seed: Int?, generator: TorchGenerator) throws(NotebookError) -> ToyDataset {
        if self == .lecture {
            guard count == nil, noise == nil, factor == nil, seed == nil else {
                throw NotebookError("the lecture's examples are fixed (4 points in 3-D); they take no n, noise, factor or seed")
            }
            return .lecture
        }
        let count = count ?? Self.defaultCount, noise = noise ?? defaultNoise
        guard count >= 1, count <= Self.maximumCount else {
            throw NotebookError("\(rawValue): n must be from 1 to \(NeuralNetBuiltins.grouped(Self.maximumCount)) points, not \(count)")
        }
        // The shapes are a few units across: noise past 1e6 only buries them (and past 1e300 the
        // points overflow to inf).
        guard noise.isFinite, noise >= 0, noise <= 1e6 else {
            throw NotebookError("\(rawValue): noise must be a number from 0 to 1e6 (a standard deviation; the shapes are about 2 across), not \(noise.pythonDescription)")
        }
        if let factor, self != .circles { throw NotebookError("\(rawValue) takes no factor (only circles does); leave out \(factor.pythonDescription)") }
        if let factor, !(factor > 0 && factor < 1) {
            throw NotebookError("circles: factor is the inner circle's radius, between 0 and 1 (not included), not \(factor.pythonDescription)")
        }
        if let seed, seed < 0 { throw NotebookError("\(rawValue): seed must be a whole number ≥ 0, not \(seed)") }
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

struct DataCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Make a data set to train on (lecture, moons, circles, xor, blobs) and draw it.",
        discussion: """
            lecture is the lecture's four examples (xs, ys); the others are 2-D points with labels -1 and 1: \
            moons as scikit-learn's make_moons (micrograd's demo), circles as make_circles, xor, and two \
            Gaussian blobs. They draw from the session's generator (see seed) unless --seed is given. \
            The same from code: d = moons(100, noise=0.1).
            """)
    static let group = CommandGroup.neuralNets

    @Argument(help: "The variable to assign the data set to.") var name: String
    @Argument(help: "lecture, moons, circles, xor or blobs.") var kind: String
    @Option(name: .customLong("n"), help: "The number of points (default 100).") var count: Int?
    @Option(help: "The noise's standard deviation (default: 0.1 moons, 0.05 circles and xor, 0.5 blobs).") var noise: Double?
    @Option(help: "circles: the inner circle's radius (default 0.5).") var factor: Double?
    @Option(help: "Draw from a fresh generator with this seed instead of the session's.") var seed: Int?
    @Option(help: "The plot's width in characters.") var width: Int?

    func run(in session: Session) throws(NotebookError) {
        guard let shape = ToyShape(rawValue: kind.lowercased()) else {
            let message = NotebookError.unknown("data set", kind, among: ToyShape.allCases.map(\.rawValue),
                                                hint: "choose lecture, moons, circles, xor or blobs").message
            throw NotebookError("data: \(message)")
        }
        let data: ToyDataset
        do {
            data = try shape.make(count: count, noise: noise, factor: factor, seed: seed, generator: session.generator)
        } catch {
            throw NotebookError("data: \(error.message)")
        }
        let columns = try DecisionBoundary.checkedWidth(width, style: session.style, command: "data")
        try session.assign(.object(DatasetObject(data)), to: name, for: "data")
        session.emit("\(name) = \(data)")
        if data.features == 2 {
            DecisionBoundary(data: data, score: nil, columns: columns).lines(style: session.style).forEach { session.emit($0) }
        } else {
            for (x, y) in zip(data.inputs, data.targets) {
                session.emit("  \(x.map(\.pythonDescription).joined(separator: ", "))  →  \(y.pythonDescription)")
            }
        }
    }
}
