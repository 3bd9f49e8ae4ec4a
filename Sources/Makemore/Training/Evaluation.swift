// The loss of a model over a whole split (makemore part 2's `split_loss`): in evaluation mode, without
// a graph, in chunks so that a 180,000-example split does not need its hidden layer all at once.
//
//     @torch.no_grad()
//     def split_loss(split):
//         x, y = {'train': (Xtr, Ytr), 'val': (Xdev, Ydev), 'test': (Xte, Yte)}[split]
//         logits = model(x); loss = F.cross_entropy(logits, y)
import Engine

extension LanguageModel {
    /// The mean cross-entropy over every target of `data` (no regularisation), in evaluation mode.
    /// Whole-word examples count each character once, however the words fall into chunks.
    /// - Precondition: `data` has at least one example and the model's block size.
    package func loss(on data: ContextWindows, chunk: Int = 8_192) -> Float {
        loss(on: data, chunk: chunk, until: { false }) ?? .nan
    }

    /// The same, stopping between chunks when `shouldStop` says so (Ctrl-C): nil when stopped.
    package func loss(on data: ContextWindows, chunk: Int = 8_192, until shouldStop: () -> Bool) -> Float? {
        precondition(
            data.count > 0 && data.blockSize == blockSize, "evaluation needs examples with the model's block size")
        return withMode(training: false) {
            Tensor.withoutGrad {
                var total = 0.0
                var counted = 0
                let rows = data.layout == .windows ? chunk : Swift.max(1, chunk / data.blockSize)
                for start in stride(from: 0, to: data.count, by: rows) {
                    if shouldStop() { return nil }
                    let (X, Y) = data.batch(start..<min(start + rows, data.count))  // (b, T), (b,) or (b, T)
                    let n = Y.values.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
                    guard n > 0 else { continue }
                    let loss = modelShapes { () throws(ShapeError) in try forward(X, targets: Y).loss!.item() }
                    total += Double(loss) * Double(n)
                    counted += n
                }
                return Float(total / Double(counted)) as Float?
            }
        }
    }
}
