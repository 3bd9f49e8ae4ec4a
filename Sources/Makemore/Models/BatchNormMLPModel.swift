// The MLP of makemore part 3: the part-2 MLP with batch normalisation (Ioffe & Szegedy 2015) between
// the hidden layer's linear part and its tanh, and the initialisation that keeps activations healthy
// (He et al. 2015's gain, 5/3 for tanh; a small output layer so the first predictions are not
// confidently wrong).
//
//     hpreact = embcat @ W1                                   # (B, H), no bias: batch norm's β is one
//     hpreact = bngain * (hpreact - mean) / sqrt(var + eps) + bnbias
//     h = torch.tanh(hpreact)                                 # (B, H)
//     logits = h @ W2 + b2                                    # (B, V)
//
// Shapes: B = batch, T = block size, E = embedding size, H = hidden size, V = vocabulary.
import Engine

/// Embeddings → Linear (no bias) → BatchNorm1d → tanh → Linear, as the lecture's "PyTorch-ified" layers.
///
/// Follows makemore part 3: `Linear` weights are N(0, 1)/√fan-in, the hidden one times 5/3
/// (``WeightInitialization/tanhGain``), the output one times 0.1; biases start at 0; batch norm
/// has eps 1e-5 and keeps running statistics for evaluation and sampling, updated with the momentum
/// of the lecture's hand-written estimates, `bnmean_running = 0.999 * bnmean_running + 0.001 * bnmeani`
/// (``runningMomentum``): over 200,000 steps of batches of 32 they settle far closer to the whole
/// split's statistics than `nn.BatchNorm1d`'s 0.1, which follow the last few batches. Leaves out
/// the lecture's deeper 5-layer variant (the next issue's models stack layers the same way).
/// In training mode batch norm uses each batch's statistics; `eval` and `sample` switch to the
/// running ones.
package final class BatchNormMLPModel: LayeredLanguageModel {
    package let vocabulary: Vocabulary
    package let configuration: ModelConfiguration
    package let network: Sequential

    /// How far one batch moves batch norm's running statistics: the lecture's 0.001.
    static let runningMomentum: Float = 0.001

    init(_ configuration: ModelConfiguration, vocabulary: Vocabulary, generator g: TorchGenerator) {
        let (V, T, E, H) = (
            vocabulary.count, configuration.blockSize, configuration.embeddingSize, configuration.hiddenSize
        )
        self.vocabulary = vocabulary
        self.configuration = configuration
        // Drawn in the lecture's order: C, then each layer's weight.
        let embedding = Embedding(V, E, generator: g)  // (V, E)
        let hidden = Linear(
            // (T·E, H)
            T * E, H, bias: false, initialization: .kaiming(gain: WeightInitialization.tanhGain), generator: g)
        let output = Linear(H, V, generator: g)  // (H, V)
        network = Sequential([
            embedding,  // (B, T) → (B, T, E)
            FlattenConsecutive(T),  // (B, T·E)
            hidden,  // (B, H)
            BatchNorm1d(H, momentum: Self.runningMomentum),  // (B, H)
            Tanh(),  // (B, H)
            output  // (B, V)
        ])
        output.weight *= 0.1  // less confident at the start
    }

    /// `BatchNormMLP(3 × 10 → 200 → 27), 12,097 parameters, training mode`, then the layers.
    package var description: String {
        let c = configuration
        return describe("BatchNormMLP(\(c.blockSize) × \(c.embeddingSize) → \(c.hiddenSize) → \(vocabulary.count))")
    }
}
