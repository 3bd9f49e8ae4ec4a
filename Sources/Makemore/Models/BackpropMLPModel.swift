// The MLP of makemore part 4 ("becoming a backprop ninja"): part 3's batch-norm MLP as the lecture
// writes it out to backpropagate by hand, every intermediate a tensor of its own.
//
//     W1 = torch.randn((n_embd * block_size, n_hidden), generator=g) * (5/3)/((n_embd * block_size)**0.5)
//     b1 = torch.randn(n_hidden, generator=g) * 0.1         # kept (useless beside batch norm, but backpropagated)
//     W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.1
//     b2 = torch.randn(vocab_size, generator=g) * 0.1
//     bngain = torch.randn((1, n_hidden))*0.1 + 1.0         # not zeros and ones: wrong gradients show
//     bnbias = torch.randn((1, n_hidden))*0.1
//     bnvar = 1/(n-1)*(bndiff2).sum(0, keepdim=True)       # Bessel's correction, then + 1e-5
//
// Shapes: B = batch, T = block size, E = embedding size, H = hidden size, V = vocabulary.
import Engine

/// Embeddings → Linear (with bias) → BatchNorm1d → tanh → Linear, as makemore part 4 initialises it:
/// 4,137 parameters with the lecture's hidden layer of 64, 12,297 with exercise 4's 200.
///
/// Batch norm uses the unbiased variance plus eps 1e-5, and running estimates at 0.999 / 0.001 as
/// exercise 4's loop keeps them. The lecture draws bngain and bnbias from PyTorch's global generator;
/// here they come from the session's, after b2, so a seed fixes them too.
package final class BackpropMLPModel: LayeredLanguageModel {
    package let vocabulary: Vocabulary
    package let configuration: ModelConfiguration
    package let network: Sequential

    init(_ configuration: ModelConfiguration, vocabulary: Vocabulary, generator g: TorchGenerator) {
        let (V, T, E, H) = (
            vocabulary.count, configuration.blockSize, configuration.embeddingSize, configuration.hiddenSize
        )
        self.vocabulary = vocabulary
        self.configuration = configuration
        let embedding = Embedding(V, E, generator: g)  // (V, E)
        let w1 = Self.draw([T * E, H], g) { $0 * Float(5.0 / 3.0) / Float(Double(T * E).squareRoot()) }  // (T·E, H)
        let b1 = Self.draw([H], g) { $0 * Float(0.1) }  // (H,)
        let w2 = Self.draw([H, V], g) { $0 * Float(0.1) }  // (H, V)
        let b2 = Self.draw([V], g) { $0 * Float(0.1) }  // (V,)
        let norm = BatchNorm1d(
            H, momentum: configuration.batchNormMomentum, statistics: configuration.batchNorm ?? .lecture5)  // (B, H)
        let gain = g.randn(H)
        let shift = g.randn(H)  // (H,), (H,)
        norm.gamma.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = gain[i] * Float(0.1) + 1 } }
        norm.beta.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = shift[i] * Float(0.1) } }
        network = Sequential([
            embedding,  // (B, T) → (B, T, E)
            FlattenConsecutive(T),  // (B, T·E)
            Linear(weight: w1, bias: b1),  // (B, H)
            norm,  // (B, H)
            Tanh(),  // (B, H)
            Linear(weight: w2, bias: b2)  // (B, V)
        ])
    }

    /// `BackpropMLP(3 × 10 → 64 → 27), 4,137 parameters, training mode`, then the layers.
    package var description: String {
        let c = configuration
        return describe("BackpropMLP(\(c.blockSize) × \(c.embeddingSize) → \(c.hiddenSize) → \(vocabulary.count))")
    }
}
