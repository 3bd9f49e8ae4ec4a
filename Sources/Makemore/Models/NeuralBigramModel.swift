// The neural bigram of makemore part 1 (second half): the count model's question asked of one linear
// layer, trained by gradient descent to the same loss.
//
//     xenc = F.one_hot(xs, num_classes=27).float()      # (N, 27)
//     logits = xenc @ W                                 # (N, 27): log-counts
//     loss = F.cross_entropy(logits, ys) + 0.01*(W**2).mean()
//
// Shapes: B = batch, V = vocabulary (27).
import Engine

/// One-hot × W, softmax: a bigram model whose table of log-counts W (V, V) is learned.
///
/// Follows makemore part 1: W starts as N(0, 1) draws (`torch.randn((27, 27), generator=g)`), the
/// logits xenc @ W (computed as the row lookup W[xs], which is the same) are exp'd and normalised into
/// P (here by the fused cross-entropy), and the loss adds the
/// lecture's regularisation λ·mean(W²), which pulls W towards 0 and P towards uniform as the count
/// model's +1 smoothing does. Trained to convergence it reaches the count model's loss (about 2.45–2.48
/// on the lecture's names). Leaves out nothing of the lecture's model; the lecture trains on every
/// bigram at once with lr 50, which `fit --batch 0` does too.
package final class NeuralBigramModel: LanguageModel {
    /// Makemore part 1 samples with the cumulative rule.
    package var lectureSamplingRule: SamplingRule { .cumulative }

    package let vocabulary: Vocabulary
    /// W, (V, V): row i holds the log-counts of the characters that follow character i.
    package let weight: Tensor
    /// λ in the loss's λ·mean(W²).
    package let regularizationFactor: Double
    package var training = true

    /// W drawn from `generator`, as `torch.randn((V, V), generator=g)`.
    init(vocabulary: Vocabulary, regularization: Double, generator: TorchGenerator) {
        let V = vocabulary.count
        self.vocabulary = vocabulary
        regularizationFactor = regularization
        // (V, V)
        weight = modelShapes { () throws(ShapeError) in try Tensor.randn([V, V], generator: generator) }.requiringGrad()
    }

    package var configuration: ModelConfiguration { .neuralBigram(regularization: regularizationFactor) }

    package func forward(_ contexts: IndexTensor, targets: IndexTensor?) throws(ShapeError) -> (
        logits: Tensor, loss: Tensor?
    ) {
        guard contexts.shape.count == 2, contexts.shape[1] == 1 else {
            throw ShapeError("bigram-nn", "needs contexts of shape (B, 1), got \(contexts.shape)")
        }
        let xs = try contexts.view([-1])  // (B,)
        // xenc @ W with xenc = one_hot(xs) (B, V) picks row xs[b] of W for each b: the lecture's own
        // observation. Looking the rows up gives the same logits (and gradient: each row of dW sums the
        // dlogits of the examples that picked it) without a (B, V) one-hot matrix and a matmul, which for
        // the lecture's full batch of 228,146 examples is most of a step.
        let logits = try weight.embedding(xs)  // (B, V)
        ShapeTrace.note("W[xs] = one-hot(xs) × W", logits)
        return (logits, try targets.map { (t) throws(ShapeError) in try languageModelLoss(logits, t) })
    }

    /// λ·mean(W²).
    package func regularization() -> Tensor? {
        regularizationFactor == 0 ? nil : weight.pow(2).mean() * Float(regularizationFactor)  // ()
    }

    package func parameters() -> [Tensor] { [weight] }
    package func buffers() -> [Tensor] { [] }
    package var layers: [any TensorLayer] { [] }

    /// `NeuralBigram(27 × 27), 729 parameters, λ 0.01, training mode`.
    package var description: String {
        let V = vocabulary.count
        return
            "NeuralBigram(\(V) × \(V)), \(parameterCount.grouped) parameters, λ \(regularizationFactor.compactDescription), \(modeDescription)"
    }
}
