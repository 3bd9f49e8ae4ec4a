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
    /// The models of makemore: parts 1 to 5 of the lectures, then makemore.py's sequence models.
    package enum Kind: String, Codable, CaseIterable, Sendable {
        /// One-hot × W, softmax: part 1's neural bigram.
        case neuralBigram = "bigram-nn"
        /// Bengio et al. 2003: embeddings, one tanh hidden layer (part 2).
        case mlp
        /// The MLP with batch norm and Kaiming initialisation (part 3).
        case batchNormMLP = "bn-mlp"
        /// Part 4's MLP for manual backprop: the batch-norm MLP with b1 kept, smaller hidden layer (64).
        case backpropMLP = "backprop-mlp"
        /// Part 3's last, "PyTorch-ified" network: five hidden Linear → BatchNorm1d → tanh layers.
        case deepBatchNorm = "deep-bn"
        /// The hierarchical model of part 5: pairs of characters fused level by level (WaveNet-style).
        case wavenet
        /// A vanilla recurrent network (Mikolov et al. 2010), as makemore.py's RNN.
        case rnn
        /// A gated recurrent unit (Cho et al. 2014), as makemore.py's GRU.
        case gru
        /// A long short-term memory network (Hochreiter & Schmidhuber 1997, in Graves 2014's form).
        case lstm
        /// makemore.py's causal bag of words: each position averages the ones before it.
        case bagOfWords = "bow"
        /// A GPT-style Transformer (Vaswani et al. 2017, Radford et al. 2019), as makemore.py's.
        case transformer
        /// "Let's build GPT"'s bigram.py: a table of next-character logits, trained on a text.
        case gptBigram = "gpt-bigram"
        /// "Let's build GPT"'s gpt.py: heads of causal self-attention, feed-forward, layer norm and
        /// residuals, trained on a text.
        case gpt

        /// One line for `help model` and error messages.
        package var summary: String {
            switch self {
            case .neuralBigram: "one-hot × W (V×V), softmax, 0.01·mean(W²) regularisation (makemore part 1)"
            case .mlp: "embeddings → tanh hidden layer → logits (Bengio et al. 2003, makemore part 2)"
            case .batchNormMLP: "embeddings → linear → batch norm → tanh → logits, Kaiming init (makemore part 3)"
            case .backpropMLP: "part 3's MLP as part 4 backpropagates it by hand: b1 kept, 64 hidden (makemore part 4)"
            case .deepBatchNorm:
                "embeddings → 5 × (linear → batch norm → tanh) → linear → batch norm (makemore part 3's last network)"
            case .wavenet:
                "embeddings fused two by two over three levels, batch norm and tanh (WaveNet-style, makemore part 5)"
            case .rnn: "a tanh recurrent cell read left to right over the word (Mikolov et al. 2010, makemore.py)"
            case .gru: "a gated recurrent cell with reset and update gates (Cho et al. 2014, makemore.py)"
            case .lstm: "a recurrent cell with input, forget and output gates and a cell state (Graves 2014)"
            case .bagOfWords: "each position averages the embeddings before it, then an MLP (makemore.py's BoW)"
            case .transformer: "causal self-attention blocks with layer norm and GELU (GPT-style, makemore.py)"
            case .gptBigram: "a V × V table of next-character logits, on a text (\"Let's build GPT\"'s bigram.py)"
            case .gpt:
                "attention heads, ReLU feed-forward, layer norm, dropout, on a text (\"Let's build GPT\"'s gpt.py)"
            }
        }

        /// Whether the model reads whole words and predicts at every position (makemore.py's models:
        /// examples are words padded to the block size, targets past a word's end are -1 and ignored),
        /// rather than one next character per window of the last `blockSize` characters (parts 1–5).
        package var readsWholeWords: Bool {
            switch self {
            case .neuralBigram, .mlp, .batchNormMLP, .backpropMLP, .deepBatchNorm, .wavenet: false
            case .rnn, .gru, .lstm, .bagOfWords, .transformer: true
            case .gptBigram, .gpt: false
            }
        }

        /// Whether the model learns from a text read as one stream (`load --text`), a target at every
        /// position of each run of characters, rather than from a list of names.
        package var readsText: Bool { self == .gptBigram || self == .gpt }
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
    /// The Transformer's blocks (`n_layer`, makemore's 4); 1 for the other models.
    package var layerCount = 1
    /// The Transformer's attention heads per block (`n_head`, makemore's 4); 1 for the other models.
    package var headCount = 1
    /// The Transformer's dropout probability (nanoGPT's `dropout`: on the embedding sum and on each
    /// residual branch, in training mode only); 0, makemore's, for none. Unused by the other models.
    package var dropout: Double = 0
    /// How the batch-norm models normalise: lecture 3's cell (unbiased std, no eps, running std at
    /// momentum 0.001) for bn-mlp, lecture 5's `BatchNorm1d` (unbiased var, eps 1e-5, momentum 0.1)
    /// for wavenet. nil for the models without batch norm, and for checkpoints saved before this was
    /// recorded, whose batch norms used the biased variance and momentum 0.001 (``legacyBatchNorm``).
    package var batchNorm: BatchNormStatistics?

    /// How checkpoints saved before `batchNorm` existed normalised.
    package static let legacyBatchNorm = BatchNormStatistics.torch

    /// The running statistics' momentum of this configuration's batch norms: lecture 5's 0.1, or the
    /// 0.001 of lecture 3's hand-written running estimates (and of checkpoints saved before).
    package var batchNormMomentum: Float {
        (kind == .wavenet || kind == .deepBatchNorm) && batchNorm == .lecture5 ? 0.1 : 0.001
    }

    package init(
        kind: Kind, blockSize: Int, embeddingSize: Int, hiddenSize: Int, initialization: Initialization = .randn,
        regularization: Double = 0, layerCount: Int = 1, headCount: Int = 1, dropout: Double = 0
    ) {
        self.kind = kind
        self.blockSize = blockSize
        self.embeddingSize = embeddingSize
        self.hiddenSize = hiddenSize
        self.initialization = initialization
        self.regularization = regularization
        self.layerCount = layerCount
        self.headCount = headCount
        self.dropout = dropout
    }

    private enum CodingKeys: String, CodingKey {
        case kind, blockSize, embeddingSize, hiddenSize, initialization, regularization, layerCount, headCount, dropout
        case batchNorm
    }

    /// Reads a configuration; checkpoints written before the layer and head counts (or dropout) existed
    /// have none of them.
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(Kind.self, forKey: .kind)
        blockSize = try c.decode(Int.self, forKey: .blockSize)
        embeddingSize = try c.decode(Int.self, forKey: .embeddingSize)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        initialization = try c.decode(Initialization.self, forKey: .initialization)
        regularization = try c.decode(Double.self, forKey: .regularization)
        layerCount = try c.decodeIfPresent(Int.self, forKey: .layerCount) ?? 1
        headCount = try c.decodeIfPresent(Int.self, forKey: .headCount) ?? 1
        dropout = try c.decodeIfPresent(Double.self, forKey: .dropout) ?? 0
        batchNorm = try c.decodeIfPresent(BatchNormStatistics.self, forKey: .batchNorm)
        if batchNorm == nil, kind == .batchNormMLP || kind == .wavenet { batchNorm = Self.legacyBatchNorm }
        if batchNorm == nil, kind == .backpropMLP || kind == .deepBatchNorm { batchNorm = .lecture5 }
    }

    /// Writes every field, but dropout only when it is on, so a model without dropout saves the same
    /// bytes as before dropout existed.
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(blockSize, forKey: .blockSize)
        try c.encode(embeddingSize, forKey: .embeddingSize)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(initialization, forKey: .initialization)
        try c.encode(regularization, forKey: .regularization)
        try c.encode(layerCount, forKey: .layerCount)
        try c.encode(headCount, forKey: .headCount)
        if dropout != 0 { try c.encode(dropout, forKey: .dropout) }
        if let batchNorm { try c.encode(batchNorm, forKey: .batchNorm) }
    }

    /// The neural bigram of makemore part 1 (λ = 0.01).
    package static func neuralBigram(regularization: Double = 0.01) -> ModelConfiguration {
        ModelConfiguration(
            kind: .neuralBigram, blockSize: 1, embeddingSize: 0, hiddenSize: 0, initialization: .randn,
            regularization: regularization)
    }

    /// The MLP of makemore part 2; the defaults are the lecture's.
    package static func mlp(
        blockSize: Int = 3, embeddingSize: Int = 10, hiddenSize: Int = 200,
        initialization: Initialization = .randn
    ) -> ModelConfiguration {
        ModelConfiguration(
            kind: .mlp, blockSize: blockSize, embeddingSize: embeddingSize, hiddenSize: hiddenSize,
            initialization: initialization, regularization: 0)
    }

    /// The batch-norm MLP of makemore part 3; the defaults are the lecture's.
    package static func batchNormMLP(blockSize: Int = 3, embeddingSize: Int = 10, hiddenSize: Int = 200)
        -> ModelConfiguration
    {
        var c = ModelConfiguration(
            kind: .batchNormMLP, blockSize: blockSize, embeddingSize: embeddingSize, hiddenSize: hiddenSize,
            initialization: .kaiming, regularization: 0)
        c.batchNorm = .lecture3
        return c
    }

    /// The MLP of makemore part 4, which the lecture backpropagates by hand; the defaults are its
    /// first one (hidden 64: 4,137 parameters); exercise 4's has hidden 200 (12,297).
    package static func backpropMLP(blockSize: Int = 3, embeddingSize: Int = 10, hiddenSize: Int = 64)
        -> ModelConfiguration
    {
        var c = ModelConfiguration(
            kind: .backpropMLP, blockSize: blockSize, embeddingSize: embeddingSize, hiddenSize: hiddenSize,
            initialization: .kaiming, regularization: 0)
        c.batchNorm = .lecture5
        return c
    }

    /// Part 3's last network; the defaults are the lecture's (block 3, embedding 10, hidden 100, 5
    /// hidden layers), with the final cell's gain of 1 (`initialization: .kaiming` for 5/3).
    package static func deepBatchNorm(
        blockSize: Int = 3, embeddingSize: Int = 10, hiddenSize: Int = 100, layerCount: Int = 5,
        initialization: Initialization = .randn
    ) -> ModelConfiguration {
        var c = ModelConfiguration(
            kind: .deepBatchNorm, blockSize: blockSize, embeddingSize: embeddingSize, hiddenSize: hiddenSize,
            initialization: initialization, layerCount: layerCount)
        c.batchNorm = .lecture5
        return c
    }

    /// The hierarchical model of makemore part 5; the defaults are the lecture's (block 8 = 2·2·2,
    /// embedding 24, hidden 128).
    package static func wavenet(blockSize: Int = 8, embeddingSize: Int = 24, hiddenSize: Int = 128)
        -> ModelConfiguration
    {
        var c = ModelConfiguration(
            kind: .wavenet, blockSize: blockSize, embeddingSize: embeddingSize, hiddenSize: hiddenSize,
            initialization: .kaiming)
        c.batchNorm = .lecture5
        return c
    }

    /// One of makemore.py's recurrent models (`rnn`, `gru`, `lstm`); the defaults are its
    /// configuration: n_embd 64, n_embd2 64, and the block size of the names (longest + 1, 16).
    package static func recurrent(_ kind: Kind, blockSize: Int = 16, embeddingSize: Int = 64, hiddenSize: Int = 64)
        -> ModelConfiguration
    {
        precondition([.rnn, .gru, .lstm].contains(kind), "a recurrent kind")
        return ModelConfiguration(
            kind: kind, blockSize: blockSize, embeddingSize: embeddingSize, hiddenSize: hiddenSize)
    }

    /// makemore.py's bag of words: n_embd 64, n_embd2 64 (the MLP's hidden size), block 16.
    package static func bagOfWords(blockSize: Int = 16, embeddingSize: Int = 64, hiddenSize: Int = 64)
        -> ModelConfiguration
    {
        ModelConfiguration(
            kind: .bagOfWords, blockSize: blockSize, embeddingSize: embeddingSize, hiddenSize: hiddenSize)
    }

    /// makemore.py's Transformer: 4 layers, 4 heads, n_embd 64 (its MLP is 4 × 64 wide), block 16.
    package static func transformer(
        blockSize: Int = 16, embeddingSize: Int = 64, layerCount: Int = 4, headCount: Int = 4
    ) -> ModelConfiguration {
        ModelConfiguration(
            kind: .transformer, blockSize: blockSize, embeddingSize: embeddingSize, hiddenSize: 4 * embeddingSize,
            layerCount: layerCount, headCount: headCount)
    }

    /// bigram.py: block 8; the table is V × V (its sizes come from the vocabulary).
    package static func gptBigram(blockSize: Int = 8) -> ModelConfiguration {
        ModelConfiguration(kind: .gptBigram, blockSize: blockSize, embeddingSize: 1, hiddenSize: 1)
    }

    /// gpt.py's model at a size that trains on a laptop in minutes: block 64, n_embd 128, 4 heads, 4
    /// layers, dropout 0.2 (gpt.py's own run is block 256, n_embd 384, 6 heads, 6 layers).
    package static func gpt(
        blockSize: Int = 64, embeddingSize: Int = 128, layerCount: Int = 4, headCount: Int = 4, dropout: Double = 0.2
    ) -> ModelConfiguration {
        ModelConfiguration(
            kind: .gpt, blockSize: blockSize, embeddingSize: embeddingSize, hiddenSize: 4 * embeddingSize,
            layerCount: layerCount, headCount: headCount, dropout: dropout)
    }

    /// The defaults of `kind`. A whole-word model's block size is the longest name + 1 of makemore's
    /// dataset; `model` sets it from the loaded words.
    package static func defaults(for kind: Kind) -> ModelConfiguration {
        switch kind {
        case .neuralBigram: neuralBigram()
        case .mlp: mlp()
        case .batchNormMLP: batchNormMLP()
        case .backpropMLP: backpropMLP()
        case .deepBatchNorm: deepBatchNorm()
        case .wavenet: wavenet()
        case .rnn, .gru, .lstm: recurrent(kind)
        case .bagOfWords: bagOfWords()
        case .transformer: transformer()
        case .gptBigram: gptBigram()
        case .gpt: gpt()
        }
    }

    /// Builds the model, drawing its initial weights from `generator` in the lecture's order.
    package func make(vocabulary: Vocabulary, generator: TorchGenerator) throws(ModelError) -> any LanguageModel {
        try validate(vocabularySize: vocabulary.count)
        switch kind {
        case .neuralBigram:
            return NeuralBigramModel(vocabulary: vocabulary, regularization: regularization, generator: generator)
        case .mlp: return MLPModel(self, vocabulary: vocabulary, generator: generator)
        case .batchNormMLP: return BatchNormMLPModel(self, vocabulary: vocabulary, generator: generator)
        case .backpropMLP: return BackpropMLPModel(self, vocabulary: vocabulary, generator: generator)
        case .deepBatchNorm: return DeepBatchNormModel(self, vocabulary: vocabulary, generator: generator)
        case .wavenet: return WaveNetModel(self, vocabulary: vocabulary, generator: generator)
        case .rnn, .gru, .lstm: return RecurrentModel(self, vocabulary: vocabulary, generator: generator)
        case .bagOfWords: return BagOfWordsModel(self, vocabulary: vocabulary, generator: generator)
        case .transformer: return TransformerModel(self, vocabulary: vocabulary, generator: generator)
        case .gptBigram: return GPTBigramModel(self, vocabulary: vocabulary, generator: generator)
        case .gpt: return GPTModel(self, vocabulary: vocabulary, generator: generator)
        }
    }

    /// `mlp (block 3, embedding 10, hidden 200, randn init)`.
    package var description: String {
        switch kind {
        case .neuralBigram:
            "bigram-nn (regularisation \(regularization.compactDescription))"
        case .mlp:
            "mlp (block \(blockSize), embedding \(embeddingSize), hidden \(hiddenSize), \(initialization.rawValue) init)"
        case .batchNormMLP, .backpropMLP, .wavenet, .rnn, .gru, .lstm, .bagOfWords:
            "\(kind.rawValue) (block \(blockSize), embedding \(embeddingSize), hidden \(hiddenSize))"
        case .deepBatchNorm:
            "deep-bn (block \(blockSize), embedding \(embeddingSize), \(layerCount) × hidden \(hiddenSize)\(initialization == .kaiming ? ", gain 5/3" : ""))"
        case .gptBigram:
            "gpt-bigram (block \(blockSize))"
        case .gpt:
            "gpt (block \(blockSize), n_embd \(embeddingSize), \(headCount) head\(headCount == 1 ? "" : "s"), \(layerCount) layer\(layerCount == 1 ? "" : "s"), dropout \(dropout.compactDescription))"
        case .transformer:
            "transformer (block \(blockSize), embedding \(embeddingSize), \(layerCount) layer\(layerCount == 1 ? "" : "s"), \(headCount) head\(headCount == 1 ? "" : "s")"
                + (dropout != 0 ? ", dropout \(dropout.compactDescription))" : ")")
        }
    }
}
