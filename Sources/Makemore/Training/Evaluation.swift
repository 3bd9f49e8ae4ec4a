// The loss of a model over a whole split (makemore part 2's `split_loss`): in evaluation mode, without
// a graph, in chunks so that a 180,000-example split does not need its hidden layer all at once.
//
//     @torch.no_grad()
//     def split_loss(split):
//         x, y = {'train': (Xtr, Ytr), 'val': (Xdev, Ydev), 'test': (Xte, Yte)}[split]
//         logits = model(x); loss = F.cross_entropy(logits, y)
import Engine

extension LanguageModel {
    /// The mean cross-entropy over every example of `data` (no regularisation), in evaluation mode.
    /// - Precondition: `data` has at least one example and the model's block size.
    package func loss(on data: ContextWindows, chunk: Int = 8_192) -> Float {
        precondition(data.count > 0 && data.blockSize == blockSize, "evaluation needs examples with the model's block size")
        return withMode(training: false) {
            Tensor.withoutGrad {
                var total = 0.0
                for start in stride(from: 0, to: data.count, by: chunk) {
                    let (X, Y) = data.batch(start..<min(start + chunk, data.count))          // (b, T), (b,)
                    let loss = modelShapes { () throws(ShapeError) in try forward(X, targets: Y).loss!.item() }
                    total += Double(loss) * Double(Y.count)
                }
                return Float(total / Double(data.count))
            }
        }
    }
}
