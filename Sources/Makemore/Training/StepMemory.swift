// How much memory a training step needs, measured before it runs: a forward pass on a few rows,
// its recorded graph weighed, the cost per row read off two probe sizes. `fit --batch 100000`
// on a transformer would otherwise allocate gigabytes before its first step could be stopped.
import Engine

/// The memory of one training step beyond the weights: `fixed + perRow × rows` bytes.
package struct StepMemory: Sendable {
    package let fixedBytes: Double
    package let bytesPerRow: Double

    /// Backward holds a gradient beside every recorded result, and ops keep a few tensors for it
    /// outside the graph (masks, one-hot inputs): measured peaks stay below 2.5 times the graph.
    static let graphFactor = 2.5

    /// The bytes of a step on `rows` rows.
    package func bytes(rows: Int) -> Double { fixedBytes + bytesPerRow * Double(rows) }

    /// The most rows whose step fits in `budget` bytes (0 when not even one does).
    package func largestBatch(within budget: Double) -> Int {
        guard bytesPerRow > 0 else { return Int.max }
        let rows = (budget - fixedBytes) / bytesPerRow
        return rows >= 1 ? Int(Swift.min(rows, 1e15)) : 0
    }
}

extension LanguageModel {
    /// Measures the memory of a training step on rows of `data`: forward passes (evaluation mode, so
    /// that no running statistic moves; nothing is trained or drawn) on 4 and 8 rows.
    /// - Precondition: `data` has at least one example with the model's block size.
    package func stepMemory(on data: ContextWindows) -> StepMemory {
        func floats(_ rows: Int) -> Double {
            withMode(training: false) {
                let (X, Y) = data.batch(0..<rows)
                let loss = modelShapes { () throws(ShapeError) in try forward(X, targets: Y).loss! }
                return Double(loss.graphFloatCount)
            }
        }
        let large = Swift.min(8, data.count)
        let small = Swift.max(1, large / 2)
        let (a, b) = (floats(small), floats(large))
        let perRow = large > small ? Swift.max(0, (b - a) / Double(large - small)) : b / Double(large)
        let fixed = Swift.max(0, a - perRow * Double(small))
        let scale = StepMemory.graphFactor * Double(MemoryLayout<Float>.size)
        return StepMemory(fixedBytes: fixed * scale, bytesPerRow: perRow * scale)
    }
}
