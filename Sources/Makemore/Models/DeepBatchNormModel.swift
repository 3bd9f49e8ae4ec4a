// The deeper network at the end of makemore part 3, "PyTorch-ified": the lecture's own Linear,
// BatchNorm1d and Tanh classes stacked five hidden layers deep, to look at the activations, gradients
// and update ratios of every layer:
//
//     C = torch.randn((V, 10), generator=g)                               # (V, E)
//     Linear(30, 100, bias=False), BatchNorm1d(100), Tanh()               # (B, 100)
//     Linear(100, 100, bias=False), BatchNorm1d(100), Tanh()    × 4        # (B, 100)
//     Linear(100, V, bias=False), BatchNorm1d(V)                          # (B, V)
//     layers[-1].gamma *= 0.1; each Linear before it: weight *= gain      # 1.0 in the final cell; 5/3 for tanh
//
// Shapes: B = batch, T = block size, E = embedding size, H = hidden size, V = vocabulary.
import Engine

/// Embeddings, then `layerCount` hidden Linear → BatchNorm1d → tanh layers, then Linear → BatchNorm1d.
///
/// Follows makemore part 3's last network: weights N(0, 1)/√fan-in drawn from the lecture's generator
/// in its order (C first, then each Linear), no biases (each batch norm's β plays that part), batch norm
/// with the unbiased variance, eps 1e-5 and momentum 0.1 (the lecture's class), and the last batch
/// norm's γ scaled by 0.1 so that the first predictions are near uniform. The hidden weights are
/// multiplied by 1 as the notebook's final cell does, or by tanh's gain 5/3 with `--init kaiming`.
/// Its sizes are the lecture's (block 3, embedding 10, hidden 100, 5 hidden layers: 47,024 parameters).
package final class DeepBatchNormModel: LayeredLanguageModel {
    package let vocabulary: Vocabulary
    package let configuration: ModelConfiguration
    package let network: Sequential

    init(_ configuration: ModelConfiguration, vocabulary: Vocabulary, generator g: TorchGenerator) {
        let (V, T, E, H) = (
            vocabulary.count, configuration.blockSize, configuration.embeddingSize, configuration.hiddenSize
        )
        self.vocabulary = vocabulary
        self.configuration = configuration
        let (statistics, momentum) = (configuration.batchNorm ?? .lecture5, configuration.batchNormMomentum)
        let gain: Float = configuration.initialization == .kaiming ? 5 / 3 : 1
        var layers: [any TensorLayer] = [Embedding(V, E, generator: g), FlattenConsecutive(T)]  // (B, T·E)
        var width = T * E
        var hidden: [Linear] = []
        for _ in 0..<configuration.layerCount {
            let linear = Linear(width, H, bias: false, generator: g)  // (B, H)
            hidden.append(linear)
            layers += [linear, BatchNorm1d(H, momentum: momentum, statistics: statistics), Tanh()]  // (B, H)
            width = H
        }
        let output = BatchNorm1d(V, momentum: momentum, statistics: statistics)  // (B, V)
        layers += [Linear(width, V, bias: false, generator: g), output]  // (B, V)
        network = Sequential(layers)
        output.gamma *= 0.1  // less confident at the start
        if gain != 1 { for linear in hidden { linear.weight *= gain } }
    }

    /// `DeepBN(3 × 10 → 5 × 100 → 27), 47,024 parameters, training mode`, then the layers.
    package var description: String {
        let c = configuration
        return describe(
            "DeepBN(\(c.blockSize) × \(c.embeddingSize) → \(c.layerCount) × \(c.hiddenSize) → \(vocabulary.count)\(c.initialization == .kaiming ? ", gain 5/3" : ""))"
        )
    }
}
