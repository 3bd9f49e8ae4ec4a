// The MLP of makemore part 3, as the lecture's final cell writes it: the part-2 MLP with batch
// normalisation (Ioffe & Szegedy 2015) between the hidden layer's linear part and its tanh, and the
// initialisation that keeps activations healthy (He et al. 2015's gain, 5/3 for tanh; a tiny output
// layer so that the first predictions are not confidently wrong).
//
//     C  = torch.randn((vocab_size, n_embd), generator=g)
//     W1 = torch.randn((n_embd * block_size, n_hidden), generator=g) * (5/3)/((n_embd * block_size)**0.5)
//     W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.01
//     b2 = torch.randn(vocab_size, generator=g) * 0
//     hpreact = embcat @ W1                                   # (B, H), no bias: batch norm's β is one
//     hpreact = bngain * (hpreact - hpreact.mean(0)) / hpreact.std(0) + bnbias    # unbiased std, no eps
//     h = torch.tanh(hpreact)                                 # (B, H)
//     logits = h @ W2 + b2                                    # (B, V)
//
// Shapes: B = batch, T = block size, E = embedding size, H = hidden size, V = vocabulary.
import Engine

/// Embeddings → Linear (no bias) → BatchNorm1d → tanh → Linear, drawn and normalised as makemore
/// part 3's final cell does, so that with the lecture's seed its step-0 loss is 3.3239 and every
/// minibatch after is the lecture's.
///
/// Batch norm follows the cell (``BatchNormStatistics/lecture3``): the unbiased std with no eps,
/// and running estimates `bnmean_running = 0.999 * bnmean_running + 0.001 * bnmeani` (and the same
/// for the std), which over 200,000 steps of 32 settle far closer to the whole split's statistics than
/// `nn.BatchNorm1d`'s 0.1. Checkpoints saved before this form have the biased variance and are read
/// as such. The lecture's deeper 5-layer network is ``DeepBatchNormModel``. In training mode batch norm uses each
/// batch's statistics; `eval` and `sample` switch to the running ones.
package final class BatchNormMLPModel: LayeredLanguageModel {
    package let vocabulary: Vocabulary
    package let configuration: ModelConfiguration
    package let network: Sequential

    init(_ configuration: ModelConfiguration, vocabulary: Vocabulary, generator g: TorchGenerator) {
        let (V, T, E, H) = (
            vocabulary.count, configuration.blockSize, configuration.embeddingSize, configuration.hiddenSize
        )
        self.vocabulary = vocabulary
        self.configuration = configuration
        // Drawn in the cell's order, each scaled as the cell scales it (left to right, in float32).
        let embedding = Embedding(V, E, generator: g)  // (V, E)
        let w1 = Self.draw([T * E, H], g) { $0 * Float(5.0 / 3.0) / Float(Double(T * E).squareRoot()) }  // (T·E, H)
        let w2 = Self.draw([H, V], g) { $0 * Float(0.01) }  // (H, V)
        let b2 = Self.draw([V], g) { $0 * 0 }  // (V,)
        network = Sequential([
            embedding,  // (B, T) → (B, T, E)
            FlattenConsecutive(T),  // (B, T·E)
            Linear(weight: w1, bias: nil),  // (B, H)
            BatchNorm1d(
                H, momentum: configuration.batchNormMomentum,
                statistics: configuration.batchNorm ?? ModelConfiguration.legacyBatchNorm),  // (B, H)
            Tanh(),  // (B, H)
            Linear(weight: w2, bias: b2)  // (B, V)
        ])
    }

    /// `BatchNormMLP(3 × 10 → 200 → 27), 12,097 parameters, training mode`, then the layers.
    package var description: String {
        let c = configuration
        return describe("BatchNormMLP(\(c.blockSize) × \(c.embeddingSize) → \(c.hiddenSize) → \(vocabulary.count))")
    }
}
