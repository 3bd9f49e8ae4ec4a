// Checking a model configuration before anything is built: sizes within limits, the shapes each kind
// needs (WaveNet's power-of-two block, heads that divide the Transformer's channels), and the number of
// parameters the model will have, so that a typo cannot ask for gigabytes.
import Engine

extension ModelConfiguration {
    /// Limits on sizes a user types, so that a typo cannot ask for gigabytes.
    package static let maximumBlockSize = 64, maximumEmbeddingSize = 1_024, maximumHiddenSize = 8_192
    package static let maximumLayers = 32, maximumHeads = 64
    package static let maximumParameters = 50_000_000
    /// The longest context of the text models (gpt.py's own is 256).
    package static let maximumTextBlockSize = 1_024

    /// Throws unless the sizes make a model of at most ``maximumParameters`` for `vocabularySize` characters.
    package func validate(vocabularySize V: Int) throws(ModelError) {
        guard V >= 2 else { throw .vocabularyTooSmall(V) }
        switch kind {
        case .neuralBigram:
            guard blockSize == 1 else { throw .bigramBlockSize(blockSize) }
            guard regularization.isFinite, regularization >= 0 else { throw .badRegularization(regularization) }
        case .gptBigram:
            guard (1...Self.maximumTextBlockSize).contains(blockSize) else {
                throw .badSize("block size", blockSize, Self.maximumTextBlockSize)
            }
        default:
            let limit = kind.readsText ? Self.maximumTextBlockSize : Self.maximumBlockSize
            guard (1...limit).contains(blockSize) else { throw .badSize("block size", blockSize, limit) }
            guard (1...Self.maximumEmbeddingSize).contains(embeddingSize) else {
                throw .badSize("embedding size", embeddingSize, Self.maximumEmbeddingSize)
            }
            guard (1...Self.maximumHiddenSize).contains(hiddenSize) else {
                throw .badSize("hidden size", hiddenSize, Self.maximumHiddenSize)
            }
        }
        switch kind {
        case .wavenet:
            guard blockSize >= 2, blockSize & (blockSize - 1) == 0 else { throw .wavenetBlockSize(blockSize) }
        case .deepBatchNorm:
            guard (1...Self.maximumLayers).contains(layerCount) else {
                throw .badSize("number of layers", layerCount, Self.maximumLayers)
            }
        case .transformer, .gpt:
            guard (1...Self.maximumLayers).contains(layerCount) else {
                throw .badSize("number of layers", layerCount, Self.maximumLayers)
            }
            guard (1...Self.maximumHeads).contains(headCount) else {
                throw .badSize("number of heads", headCount, Self.maximumHeads)
            }
            guard embeddingSize % headCount == 0 else { throw .headsDoNotDivide(embeddingSize, headCount) }
            guard dropout.isFinite, dropout >= 0, dropout < 1 else { throw .badDropout(dropout) }
        default:
            break
        }
        let count = parameterCount(vocabularySize: V)
        guard count <= Self.maximumParameters else { throw .tooManyParameters(count, Self.maximumParameters) }
    }

    /// The number of parameters the model will have.
    package func parameterCount(vocabularySize V: Int) -> Int {
        let (T, E, H, L) = (blockSize, embeddingSize, hiddenSize, layerCount)
        switch kind {
        case .neuralBigram: return V * V
        case .mlp: return V * E + T * E * H + H + H * V + V
        case .batchNormMLP: return V * E + T * E * H + 2 * H + H * V + V
        case .backpropMLP: return V * E + T * E * H + H + 2 * H + H * V + V
        case .deepBatchNorm: return V * E + T * E * H + 2 * H + (L - 1) * (H * H + 2 * H) + H * V + 2 * V
        case .wavenet:
            // Each level fuses two positions: (2·E or 2·H) × H weights without bias, then batch norm's γ, β.
            let levels = T.trailingZeroBitCount
            return V * E + (2 * E * H + 2 * H) + (levels - 1) * (2 * H * H + 2 * H) + H * V + V
        case .rnn: return V * E + H + (E + H) * H + H + H * V + V
        case .gru: return V * E + H + 3 * ((E + H) * H + H) + H * V + V
        case .lstm: return V * E + 2 * H + 4 * ((E + H) * H + H) + H * V + V  // start h and start c
        case .bagOfWords: return V * E + T * E + (E * H + H) + (H * E + E) + E * V + V
        case .transformer:
            let block = 2 * E + (E * 3 * E + 3 * E) + (E * E + E) + 2 * E + (E * 4 * E + 4 * E) + (4 * E * E + E)
            return V * E + T * E + L * block + 2 * E + E * V
        case .gptBigram: return V * V
        case .gpt:
            let block = E * 3 * E + (E * E + E) + (E * 4 * E + 4 * E) + (4 * E * E + E) + 4 * E
            return V * E + T * E + L * block + 2 * E + E * V + V
        }
    }
}

/// A model that cannot be built.
package enum ModelError: Error, Equatable, CustomStringConvertible {
    case vocabularyTooSmall(Int)
    case bigramBlockSize(Int)
    case badRegularization(Double)
    case badSize(String, Int, Int)
    case tooManyParameters(Int, Int)
    case wavenetBlockSize(Int)
    case headsDoNotDivide(Int, Int)
    case badDropout(Double)

    package var description: String {
        switch self {
        case .vocabularyTooSmall(let n):
            "the vocabulary has \(n) character\(n == 1 ? "" : "s"); a language model needs at least 2 to choose between (for names, '.' and a letter)"
        case .bigramBlockSize(let n):
            "the bigram sees exactly one character, so its block size is 1, not \(n); use mlp for a longer context"
        case .badRegularization(let x):
            "the regularisation must be a number ≥ 0 (the lecture's 0.01), not \(x)"
        case .badSize(let name, let value, let limit):
            "the \(name) must be from 1 to \(limit.grouped), not \(value)"
        case .tooManyParameters(let count, let limit):
            "that model would have \(count.grouped) parameters, more than the \(limit.grouped) allowed; choose smaller sizes"
        case .wavenetBlockSize(let n):
            "wavenet fuses characters two by two, so its block size is a power of 2 (2, 4, 8, 16, …), not \(n)"
        case .headsDoNotDivide(let embedding, let heads):
            "the embedding size \(embedding) does not split into \(heads) heads of equal size; choose a number of heads that divides it"
        case .badDropout(let p):
            "the dropout probability must be at least 0 and below 1 (nanoGPT's 0.1 or 0.2), not \(p)"
        }
    }
}
