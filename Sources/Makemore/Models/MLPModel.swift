// The MLP language model of makemore part 2, after Bengio et al. 2003 ("A Neural Probabilistic Language
// Model"): each of the last T characters becomes a learned vector of E numbers, the T vectors side by
// side feed one tanh hidden layer of H neurons, and a linear layer gives the logits of the next character.
//
//     emb = C[Xb]                                  # (B, T, E)
//     h = torch.tanh(emb.view(-1, T*E) @ W1 + b1)  # (B, H)
//     logits = h @ W2 + b2                         # (B, V)
//
// Shapes: B = batch, T = block size, E = embedding size, H = hidden size, V = vocabulary.
import Engine

/// Embeddings → tanh hidden layer → logits, with the lecture's sizes configurable (3, 10, 200).
///
/// Follows makemore part 2 and the paper's architecture, leaving out the paper's direct connections
/// from the embeddings to the output layer (the lecture leaves them out too) and its weight decay.
/// Weights start as the lecture-2 notebook draws them (`randn` init: every tensor N(0, 1), in the
/// order C, W1, b1, W2, b2), or with makemore part 3's fixes (`kaiming` init: W1 · (5/3)/√(T·E),
/// b1 · 0.01, W2 · 0.01, b2 · 0), drawn in the same order.
package final class MLPModel: LayeredLanguageModel {
    package let vocabulary: Vocabulary
    package let configuration: ModelConfiguration
    package let network: Sequential

    init(_ configuration: ModelConfiguration, vocabulary: Vocabulary, generator g: TorchGenerator) {
        let (V, T, E, H) = (
            vocabulary.count, configuration.blockSize, configuration.embeddingSize, configuration.hiddenSize
        )
        let kaiming = configuration.initialization == .kaiming
        self.vocabulary = vocabulary
        self.configuration = configuration
        let C = Embedding(V, E, generator: g)  // (V, E)
        let W1 = Tensor.parameter(
            // (T·E, H)
            [T * E, H], scale: kaiming ? Float(5.0 / 3.0) / Float(Double(T * E).squareRoot()) : 1, generator: g)
        let b1 = Tensor.parameter([H], scale: kaiming ? 0.01 : 1, generator: g)  // (H,)
        let W2 = Tensor.parameter([H, V], scale: kaiming ? 0.01 : 1, generator: g)  // (H, V)
        let b2 = Tensor.parameter([V], scale: kaiming ? 0 : 1, generator: g)  // (V,)
        network = Sequential([
            C,  // (B, T) → (B, T, E)
            FlattenConsecutive(T),  // (B, T·E)
            Linear(weight: W1, bias: b1), Tanh(),  // (B, H)
            Linear(weight: W2, bias: b2)  // (B, V)
        ])
    }

    /// `MLP(3 × 10 → 200 → 27), 11,897 parameters, training mode`, then the layers.
    package var description: String {
        let c = configuration
        return describe(
            "MLP(\(c.blockSize) × \(c.embeddingSize) → \(c.hiddenSize) → \(vocabulary.count), \(c.initialization.rawValue) init)"
        )
    }
}
