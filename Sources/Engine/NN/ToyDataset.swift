// Small data sets for training a classifier on `Value`s: the lecture's four examples, and 2-D shapes
// (moons, circles, xor, blobs; ToyDataset+Shapes.swift) with labels −1 and 1, as micrograd's demo uses.

/// Examples for a small network: input vectors and one target each.
///
/// ```swift
/// let data = ToyDataset.moons(count: 100, noise: 0.1, generator: TorchGenerator())
/// print(data)     // moons: 100 points in 2-D, labels ±1 (50 of -1, 50 of 1), noise 0.1
/// ```
public struct ToyDataset: Sendable, Equatable, CustomStringConvertible {
    /// What the data is: `moons`, `the lecture's examples`; empty for examples typed in.
    public var name: String
    /// The inputs, one row per example.               // (N, D)
    public var inputs: [[Double]]
    /// The targets: labels −1 and 1 for classification. // (N,)
    public var targets: [Double]
    /// How it was made, for the description: `noise 0.1`.
    public var details: String

    /// - Precondition: as many targets as inputs, every input of the same length.
    public init(name: String, inputs: [[Double]], targets: [Double], details: String = "") {
        precondition(inputs.count == targets.count, "\(inputs.count) inputs for \(targets.count) targets")
        precondition(inputs.allSatisfy { $0.count == inputs.first?.count }, "inputs of different lengths")
        self.name = name
        self.inputs = inputs
        self.targets = targets
        self.details = details
    }

    public var count: Int { inputs.count }
    /// The length of each input vector (0 when there are no examples).
    public var features: Int { inputs.first?.count ?? 0 }
    /// `true` when every target is a label −1 or 1.
    public var isLabeled: Bool { !targets.isEmpty && targets.allSatisfy { $0 == 1 || $0 == -1 } }

    /// The lecture's four examples: `xs = [[2, 3, -1], [3, -1, 0.5], [0.5, 1, 1], [1, 1, -1]]`,
    /// `ys = [1, -1, -1, 1]`.
    public static let lecture = ToyDataset(
        name: "the lecture's examples",
        inputs: [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]],
        targets: [1.0, -1.0, -1.0, 1.0])

    /// The fraction of `scores` on the side of their label (score > 0 for 1, ≤ 0 for −1), as the
    /// demo counts `(yi > 0) == (scorei.data > 0)`.
    public static func accuracy(_ scores: [Double], _ labels: [Double]) -> Double {
        guard !scores.isEmpty else { return 0 }
        let right = zip(scores, labels).count { ($1 > 0) == ($0 > 0) }
        return Double(right) / Double(scores.count)
    }

    /// `moons: 100 points in 2-D, labels ±1 (50 of -1, 50 of 1), noise 0.1` (no `name: ` when unnamed).
    public var description: String {
        let size = "\(count) point\(count == 1 ? "" : "s") in \(features)-D"
        let labels: String
        if isLabeled {
            let positive = targets.count { $0 == 1 }
            labels = ", labels ±1 (\(count - positive) of -1, \(positive) of 1)"
        } else {
            labels =
                count == 0
                ? "" : ", targets from \(targets.min()!.compactDescription) to \(targets.max()!.compactDescription)"
        }
        return (name.isEmpty ? "" : "\(name): ") + size + labels + (details.isEmpty ? "" : ", \(details)")
    }
}
