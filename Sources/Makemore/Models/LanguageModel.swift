// The one interface of the trained language models (makemore's `block_size` and `forward(idx, targets)`):
// training, evaluation, sampling, the layer diagnostics and checkpoints are written once against it and
// never ask which model they hold.
//
// Shapes: B = batch, T = time (characters of context, the block size), V = vocabulary.
import Engine

/// A character-level language model trained by gradient descent.
///
/// It reads the last ``blockSize`` characters (index 0, '.', fills the context before a word starts) and
/// gives logits over its vocabulary for the next one:
///
///     let model = try ModelConfiguration.mlp().make(vocabulary: v, generator: g)
///     let (logits, loss) = try model.forward(Xb, targets: Yb)     // (32, 3) → (32, 27), ()
///     try loss!.backward()
///     print(model)                                               // MLP(3 × 10 → 200 → 27), 11,897 parameters, training mode
///
/// Sampling comes from ``NextCharacterModel`` (the lecture's loop), which every language model is.
package protocol LanguageModel: NextCharacterModel, AnyObject {
    /// The kind and sizes of the model: enough to build it again (checkpoints), without its weights.
    var configuration: ModelConfiguration { get }

    /// Logits for the next character after each context, and the mean cross-entropy against
    /// `targets` when they are given. contexts (B, T) → logits (B, V); targets (B,).
    /// Models of whole sequences (the next lectures) may return (B, T, V) against targets (B, T);
    /// target -1 is ignored, as in makemore.
    func forward(_ contexts: IndexTensor, targets: IndexTensor?) throws(ShapeError) -> (logits: Tensor, loss: Tensor?)

    /// Every trained tensor, always in the same order (the optimizer's and the checkpoint's order).
    func parameters() -> [Tensor]

    /// State that is kept but not trained (batch norm's running mean and variance), in a fixed order.
    func buffers() -> [Tensor]

    /// Training mode (batch statistics) or evaluation mode (running statistics). Only batch norm
    /// behaves differently; the mode is part of the model's description.
    var training: Bool { get set }

    /// The layers in order, for looking inside the network (activations and gradients per layer).
    /// Empty for a model without layers (the neural bigram).
    var layers: [any TensorLayer] { get }

    /// The character embedding table (V, E) for the embedding figure; `nil` for a model without one
    /// (the neural bigram).
    var embeddingTable: Tensor? { get }

    /// A term added to the loss while training, such as the neural bigram's 0.01·mean(W²); `nil` for
    /// none. Evaluation reports the plain cross-entropy.
    func regularization() -> Tensor?
}

extension LanguageModel {
    package var blockSize: Int { configuration.blockSize }

    package func regularization() -> Tensor? { nil }

    package var embeddingTable: Tensor? { nil }

    /// Whole-word models read the word from its start (see ``NextCharacterModel/growsContext``).
    package var growsContext: Bool { configuration.kind.readsWholeWords }

    /// The number of trained numbers: `sum(p.nelement() for p in parameters)`.
    package var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    /// `training mode` or `eval mode`, for descriptions and command output.
    package var modeDescription: String { training ? "training mode" : "eval mode" }

    /// Runs `body` in evaluation mode (or training mode) and restores the mode after.
    package func withMode<R>(training mode: Bool, _ body: () throws -> R) rethrows -> R {
        let saved = training
        training = mode
        defer { training = saved }
        return try body()
    }

    /// The probability of each next character after `context`, as the lecture samples:
    /// `F.softmax(logits, dim=1)` of one context, in eval mode and without a graph.   // (V,)
    package func nextCharacterProbabilities(context: [Int]) -> [Float] {
        withMode(training: false) {
            Tensor.withoutGrad {
                modelShapes { () throws(ShapeError) in
                    let x = try IndexTensor(context.map { Int32($0) }, shape: [1, context.count])  // (1, T)
                    var logits = try forward(x, targets: nil).logits  // (1, V) or (1, T, V)
                    if logits.shape.count == 3 { logits = try logits.select(-1, dim: 1) }  // (1, V): the last position
                    return try logits.softmax(dim: -1).scalars  // (V,)
                }
            }
        }
    }
}

/// A model with dropout, whose mask generator a checkpoint saves so that a resumed run draws the same masks.
package protocol DropoutModel {
    /// Draws the dropout masks; nil when the model's dropout is 0.
    var dropoutGenerator: TorchGenerator? { get }
}

/// makemore's loss: the mean cross-entropy of logits (…, V) against targets (…), flattened to (N, V)
/// and (N,), ignoring targets of -1.
package func languageModelLoss(_ logits: Tensor, _ targets: IndexTensor) throws(ShapeError) -> Tensor {
    guard let V = logits.shape.last else { throw ShapeError("loss", "logits need a last dim of classes") }
    let flat = logits.shape.count == 2 ? logits : try logits.reshape(-1, V)  // (N, V)
    let t = targets.shape.count == 1 ? targets : try targets.view([-1])  // (N,)
    return try flat.crossEntropy(targets: t, ignoreIndex: -1)  // ()
}

/// Runs tensor code whose shapes the model itself fixes; a shape error there is a bug in the model.
func modelShapes<T>(_ body: () throws(ShapeError) -> T) -> T {
    do { return try body() } catch { preconditionFailure("model shapes: \(error)") }
}
