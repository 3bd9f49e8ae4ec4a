// The hierarchical model of makemore part 5, after WaveNet (van den Oord et al. 2016): instead of
// crushing all 8 characters of context into one hidden layer at once, as the MLP does, it fuses
// neighbours two by two, level by level, so the information is combined slowly as it rises up a tree:
//
//     Embedding(V, 24)                                            # (B, 8) → (B, 8, 24)
//     FlattenConsecutive(2), Linear(48, 128, bias=False), BatchNorm1d(128), Tanh()     # (B, 4, 128)
//     FlattenConsecutive(2), Linear(256, 128, bias=False), BatchNorm1d(128), Tanh()    # (B, 2, 128)
//     FlattenConsecutive(2), Linear(256, 128, bias=False), BatchNorm1d(128), Tanh()    # (B, 128)
//     Linear(128, V)                                              # (B, V)
//
// Shapes: B = batch, T = block size, E = embedding size, H = hidden size, V = vocabulary.
import Engine

/// Embeddings fused pairwise over log₂(T) levels of Linear → BatchNorm1d → tanh, then the logits.
///
/// Follows makemore part 5: the lecture's layers (`Linear` weights N(0, 1)/√fan-in, no bias before
/// batch norm; batch norm over the batch and time dims), the output layer's weights scaled by 0.1 so
/// the first predictions are near uniform, and its sizes (block 8,
/// embedding 24, hidden 128: 76,579 parameters for 27 characters). What it leaves out of WaveNet: the
/// dilated causal convolutions themselves (the lecture notes that its tree is what they compute for
/// one output, without sharing the work across positions), gated activations, residual and skip
/// connections. Batch norm is the lecture-5 class's (``BatchNormStatistics/lecture5``, momentum 0.1);
/// checkpoints saved before that was recorded keep the momentum 0.001 they trained with, and
/// `calibrate` measures the running statistics over the whole train split.
package final class WaveNetModel: LayeredLanguageModel {
    package let vocabulary: Vocabulary
    package let configuration: ModelConfiguration
    package let network: Sequential

    init(_ configuration: ModelConfiguration, vocabulary: Vocabulary, generator g: TorchGenerator) {
        let (V, T, E, H) = (
            vocabulary.count, configuration.blockSize, configuration.embeddingSize, configuration.hiddenSize
        )
        self.vocabulary = vocabulary
        self.configuration = configuration
        var layers: [any TensorLayer] = [Embedding(V, E, generator: g)]  // (B, T) → (B, T, E)
        var width = E
        for _ in 0..<T.trailingZeroBitCount {  // T = 2^levels
            layers += [
                FlattenConsecutive(2),  // (B, t, C) → (B, t/2, 2C)
                Linear(2 * width, H, bias: false, generator: g),  // (B, t/2, H)
                BatchNorm1d(
                    H, momentum: configuration.batchNormMomentum,
                    statistics: configuration.batchNorm ?? ModelConfiguration.legacyBatchNorm),  // (B, t/2, H)
                Tanh()  // (B, t/2, H); (B, H) at the top
            ]
            width = H
        }
        let output = Linear(H, V, generator: g)  // (B, H) → (B, V)
        layers.append(output)
        network = Sequential(layers)
        output.weight *= 0.1  // less confident at the start
    }

    /// `WaveNet(8 × 24 → 3 × 128 → 27), 76,579 parameters, training mode`, then the layers.
    package var description: String {
        let c = configuration
        return describe(
            "WaveNet(\(c.blockSize) × \(c.embeddingSize) → \(c.blockSize.trailingZeroBitCount) × \(c.hiddenSize) → \(vocabulary.count))"
        )
    }
}
