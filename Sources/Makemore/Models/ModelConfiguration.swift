// What a language model is, without its weights: its kind and sizes (makemore's `ModelConfig`). A
// configuration is checked before anything is built, printed by `model`, and saved in checkpoints,
// which rebuild the model from it and then read the weights.
import Engine

/// The kind and sizes of a language model; ``make(vocabulary:generator:)`` builds it.
///
///     ModelConfiguration.mlp()                                   // the lecture's: block 3, embedding 10, hidden 200
///     ModelConfiguration.mlp(blockSize: 8, embeddingSize: 24)    // a bigger context
///     ModelConfiguration.batchNormMLP()                          // makemore part 3
package struct ModelConfiguration: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The models of makemore parts 1 to 3.
    package enum Kind: String, Codable, CaseIterable, Sendable {
        /// One-hot × W, softmax: part 1's neural bigram.
        case neuralBigram = "bigram-nn"
        /// Bengio et al. 2003: embeddings, one tanh hidden layer (part 2).
        case mlp
        /// The MLP with batch norm and Kaiming initialisation (part 3).
        case batchNormMLP = "bn-mlp"

        /// One line for `help model` and error messages.
        package var summary: String {
            switch self {
            case .neuralBigram: "one-hot × W (V×V), softmax, 0.01·mean(W²) regularisation (makemore part 1)"
            case .mlp: "embeddings → tanh hidden layer → logits (Bengio et al. 2003, makemore part 2)"
            case .batchNormMLP: "embeddings → linear → batch norm → tanh → logits, Kaiming init (makemore part 3)"
            }
        }
    }

    /// How the plain MLP's weights start.
    package enum Initialization: String, Codable, CaseIterable, Sendable {
        /// makemore part 2: every weight and bias N(0, 1). The first steps' loss is near 27.
        case randn
        /// makemore part 3's fixes: W1 · (5/3)/√fan-in, b1 · 0.01, W2 · 0.01, b2 · 0: no confident
        /// wrong start, no saturated tanh.
        case kaiming
    }

    /// Which model.
    package var kind: Kind
    /// Characters of context the model sees (makemore's `block_size`): 1 for the bigram, 3 in the lecture.
    package var blockSize: Int
    /// Numbers per character embedding (`n_embd`): 10 in the lecture. Unused by the bigram.
    package var embeddingSize: Int
    /// Neurons of the hidden layer (`n_hidden`): 200 in the lecture. Unused by the bigram.
    package var hiddenSize: Int
    /// How the plain MLP starts; the batch-norm MLP always uses Kaiming, the bigram N(0, 1).
    package var initialization: Initialization
    /// The weight penalty's factor, λ in loss + λ·mean(W²): the neural bigram's 0.01; 0 for the others.
    package var regularization: Double

    /// The neural bigram of makemore part 1 (λ = 0.01).
    package static func neuralBigram(regularization: Double = 0.01) -> ModelConfiguration {
        ModelConfiguration(kind: .neuralBigram, blockSize: 1, embeddingSize: 0, hiddenSize: 0, initialization: .randn,
                           regularization: regularization)
    }

    /// The MLP of makemore part 2; the defaults are the lecture's.
    package static func mlp(blockSize: Int = 3, embeddingSize: Int = 10, hiddenSize: Int = 200,
                            initialization: Initialization = .randn) -> ModelConfiguration {
        ModelConfiguration(kind: .mlp, blockSize: blockSize, embeddingSize: embeddingSize, hiddenSize: hiddenSize,
                           initialization: initialization, regularization: 0)
    }

    /// The batch-norm MLP of makemore part 3; the defaults are the lecture's.
    package static func batchNormMLP(blockSize: Int = 3, embeddingSize: Int = 10, hiddenSize: Int = 200) -> ModelConfiguration {
        ModelConfiguration(kind: .batchNormMLP, blockSize: blockSize, embeddingSize: embeddingSize, hiddenSize: hiddenSize,
                           initialization: .kaiming, regularization: 0)
    }

    /// The defaults of `kind`.
    package static func defaults(for kind: Kind) -> ModelConfiguration {
        switch kind {
        case .neuralBigram: neuralBigram()
        case .mlp: mlp()
        case .batchNormMLP: batchNormMLP()
        }
    }

    /// Limits on sizes a user types, so that a typo cannot ask for gigabytes.
    package static let maximumBlockSize = 64, maximumEmbeddingSize = 1_024, maximumHiddenSize = 8_192
    package static let maximumParameters = 50_000_000

    /// Throws unless the sizes make a model of at most ``maximumParameters`` for `vocabularySize` characters.
    package func validate(vocabularySize V: Int) throws(ModelError) {
        guard V >= 2 else { throw .vocabularyTooSmall(V) }
        switch kind {
        case .neuralBigram:
            guard blockSize == 1 else { throw .bigramBlockSize(blockSize) }
            guard regularization.isFinite, regularization >= 0 else { throw .badRegularization(regularization) }
        case .mlp, .batchNormMLP:
            guard (1...Self.maximumBlockSize).contains(blockSize) else { throw .badSize("block size", blockSize, Self.maximumBlockSize) }
            guard (1...Self.maximumEmbeddingSize).contains(embeddingSize) else {
                throw .badSize("embedding size", embeddingSize, Self.maximumEmbeddingSize)
            }
            guard (1...Self.maximumHiddenSize).contains(hiddenSize) else { throw .badSize("hidden size", hiddenSize, Self.maximumHiddenSize) }
        }
        let count = parameterCount(vocabularySize: V)
        guard count <= Self.maximumParameters else { throw .tooManyParameters(count, Self.maximumParameters) }
    }

    /// The number of parameters the model will have.
    package func parameterCount(vocabularySize V: Int) -> Int {
        let (T, E, H) = (blockSize, embeddingSize, hiddenSize)
        switch kind {
        case .neuralBigram: return V * V
        case .mlp: return V * E + T * E * H + H + H * V + V
        case .batchNormMLP: return V * E + T * E * H + 2 * H + H * V + V
        }
    }

    /// Builds the model, drawing its initial weights from `generator` in the lecture's order.
    package func make(vocabulary: Vocabulary, generator: TorchGenerator) throws(ModelError) -> any LanguageModel {
        try validate(vocabularySize: vocabulary.count)
        switch kind {
        case .neuralBigram: return NeuralBigramModel(vocabulary: vocabulary, regularization: regularization, generator: generator)
        case .mlp: return MLPModel(self, vocabulary: vocabulary, generator: generator)
        case .batchNormMLP: return BatchNormMLPModel(self, vocabulary: vocabulary, generator: generator)
        }
    }

    /// `mlp (block 3, embedding 10, hidden 200, randn init)`.
    package var description: String {
        switch kind {
        case .neuralBigram:
            "bigram-nn (regularisation \(regularization.compactDescription))"
        case .mlp:
            "mlp (block \(blockSize), embedding \(embeddingSize), hidden \(hiddenSize), \(initialization.rawValue) init)"
        case .batchNormMLP:
            "bn-mlp (block \(blockSize), embedding \(embeddingSize), hidden \(hiddenSize))"
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

    package var description: String {
        switch self {
        case .vocabularyTooSmall(let n):
            "the vocabulary has \(n) character\(n == 1 ? "" : "s"); a language model needs '.' and at least one more"
        case .bigramBlockSize(let n):
            "the bigram sees exactly one character, so its block size is 1, not \(n); use mlp for a longer context"
        case .badRegularization(let x):
            "the regularisation must be a number ≥ 0 (the lecture's 0.01), not \(x)"
        case let .badSize(name, value, limit):
            "the \(name) must be from 1 to \(limit.grouped), not \(value)"
        case let .tooManyParameters(count, limit):
            "that model would have \(count.grouped) parameters, more than the \(limit.grouped) allowed; choose smaller sizes"
        }
    }
}
