// The closed sets of words commands take (model kinds, layouts, optimizers, losses, figures …) as
// argument types: the parser checks them, `help` lists them and Tab completion offers them, and no
// command compares strings by hand. Matching ignores case, as the commands always have.
import ArgumentParser
import Engine
import Makemore

/// A choice typed in any case: `MLP` and `mlp` are the same model kind.
public protocol CaseInsensitiveChoice: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension CaseInsensitiveChoice {
    public init?(argument: String) {
        guard let match = Self.allCases.first(where: { $0.rawValue == argument.lowercased() }) else { return nil }
        self = match
    }

    /// Help shows a default as it is typed (`hinge`), not as the type describes itself.
    public var defaultValueDescription: String { rawValue }

    /// The choices as a sentence's list: `sgd, adam or adamw`.
    static var choiceList: String {
        let names = allCases.map(\.rawValue)
        return names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}

extension ModelConfiguration.Kind: ExpressibleByArgument, CaseInsensitiveChoice {}
extension ModelConfiguration.Initialization: ExpressibleByArgument, CaseInsensitiveChoice {}
extension OptimizerSettings.Kind: ExpressibleByArgument, CaseInsensitiveChoice {}
extension SplitLayout: ExpressibleByArgument, CaseInsensitiveChoice {}
extension SplitShuffle: ExpressibleByArgument, CaseInsensitiveChoice {}
extension Nonlinearity: ExpressibleByArgument, CaseInsensitiveChoice {}
extension ToyShape: ExpressibleByArgument, CaseInsensitiveChoice {}
extension SamplingRule: ExpressibleByArgument, CaseInsensitiveChoice {}

extension ValueLoss: ExpressibleByArgument, CaseInsensitiveChoice {
    /// The loss a user names: `hinge` (or `svm`), `squared` (or `sse`; it is summed, so not `mse`),
    /// `bce` (or `logistic`).
    public init?(argument: String) {
        let aliases: [String: ValueLoss] = [
            "hinge": .hinge, "svm": .hinge, "max-margin": .hinge,
            "squared": .squaredError, "sse": .squaredError, "squared-error": .squaredError,
            "bce": .binaryCrossEntropy, "logistic": .binaryCrossEntropy, "cross-entropy": .binaryCrossEntropy
        ]
        guard let loss = aliases[argument.lowercased()] else { return nil }
        self = loss
    }
}

/// The splits `eval` scores: one of the three, or all of them (`val` is the lecture's name for dev).
enum EvalChoice: String, CaseInsensitiveChoice {
    case train, dev, val, test, all

    /// The splits this choice names.
    var splits: [Split] {
        switch self {
        case .train: [.train]
        case .dev, .val: [.dev]
        case .test: [.test]
        case .all: Split.allCases
        }
    }
}

/// What `checkpoint` does with its file.
enum CheckpointAction: String, CaseInsensitiveChoice {
    case save, load
}
