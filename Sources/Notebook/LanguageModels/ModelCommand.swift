// `model`: make the current language model for the loaded names — makemore parts 1–5 (the neural bigram,
// Bengio's MLP, the batch-norm MLP, the WaveNet-style model) or makemore.py's whole-word models (RNN,
// GRU, LSTM, bag of words, Transformer) — show it, or switch it between training and evaluation mode.
import ArgumentParser
import Engine
import Makemore
import NotebookLanguage

struct ModelCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract:
            "Make a language model for the loaded names (bigram-nn, mlp, bn-mlp, backprop-mlp, wavenet, rnn, gru, lstm, bow, transformer) or text (gpt-bigram, gpt), or show the current one.",
        discussion: """
            bigram-nn: one-hot × W, softmax, loss + 0.01·mean(W²) (makemore part 1). mlp: each of the last \
            --block-size characters becomes --embedding learned numbers, then a tanh layer of --hidden neurons \
            and the logits (Bengio et al. 2003, makemore part 2; the lecture's sizes 3, 10, 200; --init randn \
            as lecture 2 or kaiming with lecture 3's fixes). bn-mlp: the same with batch norm before the tanh \
            and Kaiming init, as part 3's final cell (unbiased std, no eps). backprop-mlp: part 4's network for \
            backprop by hand, b1 kept, hidden 64 (4,137 parameters; --hidden 200 is exercise 4's 12,297). deep-bn: \
            part 3's last network, --layers 5 hidden Linear → BatchNorm1d → tanh layers of --hidden 100, then \
            Linear → BatchNorm1d (47,024 parameters), its hidden weights × 1 as the final cell, or × 5/3 with --init \
            kaiming. wavenet: lecture 5's hierarchy, embedding 24, hidden 128, \
            block 8 fused two by two. rnn, gru, lstm, bow, transformer: makemore.py's models, which read whole \
            words (block size = the longest loaded word + 1; n_embd --embedding 64, n_embd2 --hidden 64; the \
            transformer has --layers 4, --heads 4, an MLP 4 × --embedding wide and optional --dropout, 0 by default; \
            makemore's settings overfit the names, and --dropout 0.2 with fit --steps 30000 --lr cosine:1e-3:min=1e-5 \
            reaches test loss 1.91 on makemore's cut, split --layout makemore, where makemore reports about 1.92). gpt-bigram and gpt are \
            "Let's build GPT"'s bigram.py and gpt.py, for a text loaded with load --text: gpt-bigram is a V × V \
            table (block 8); gpt has --heads 4 heads of causal self-attention and a ReLU feed-forward in each of \
            --layers 4 pre-norm blocks, n_embd --embedding 128, --block-size 64 and --dropout 0.2 (gpt.py's own \
            run: --block-size 256 --embedding 384 --heads 6 --layers 6), its weights drawn as gpt.py draws them \
            (seed 1337 first for the lecture's). Initial weights come \
            from the session's generator: seed first for the lecture's numbers. The new model replaces the \
            current one. model alone shows it; model --eval / --train switch its mode (batch norm: running or \
            batch statistics); shapes traces a batch through it.
            """)
    static let group = CommandGroup.makemore

    @Argument(help: "The kind to make; none to show the current model.") var kind: ModelConfiguration.Kind?
    @Option(
        parsing: .unconditional,
        help: "Characters of context (mlp's 3, wavenet's 8, the longest word + 1 for whole-word models).")
    var blockSize: Int?
    @Option(
        parsing: .unconditional, help: "Numbers per character embedding (mlp's 10, wavenet's 24, makemore.py's 64).")
    var embedding: Int?
    @Option(
        parsing: .unconditional,
        help: "Neurons of the hidden layer (mlp's 200, wavenet's 128, makemore.py's n_embd2 64).") var hidden: Int?
    @Option(parsing: .unconditional, help: "The transformer's or gpt's blocks (makemore.py's 4, gpt's 4).") var layers:
        Int?
    @Option(parsing: .unconditional, help: "The transformer's or gpt's attention heads per block (4).") var heads: Int?
    @Option(
        parsing: .unconditional,
        help: "The transformer's or gpt's dropout probability in training mode (makemore.py's 0; gpt.py's 0.2).")
    var dropout: Double?
    @Option(name: .customLong("init"), help: "mlp's initialisation: randn (lecture 2) or kaiming (lecture 3).")
    var initialization: ModelConfiguration.Initialization?
    @Option(parsing: .unconditional, help: "bigram-nn's λ in loss + λ·mean(W²) (the lecture's 0.01).")
    var regularization: Double?
    @Flag(help: "Switch to evaluation mode (batch norm uses its running statistics).") var eval = false
    @Flag(help: "Switch to training mode (batch norm uses each batch's statistics).") var train = false

    /// The options given, by name.
    private var given: [(name: String, isGiven: Bool)] {
        [
            ("--block-size", blockSize != nil), ("--embedding", embedding != nil), ("--hidden", hidden != nil),
            ("--layers", layers != nil), ("--heads", heads != nil), ("--dropout", dropout != nil),
            ("--init", initialization != nil), ("--regularization", regularization != nil)
        ]
    }

    /// Every option checked against the kind before anything is made.
    func validate() throws {
        guard !(eval && train) else { throw ValidationError("choose --eval or --train, not both") }
        guard let kind else {
            if let first = given.first(where: \.isGiven) {
                throw ValidationError("\(first.name) needs a kind to make, e.g. model mlp \(first.name) …")
            }
            return
        }
        guard !eval && !train else {
            throw ValidationError("a new model starts in training mode; switch with model --eval afterwards")
        }
        if kind == .gptBigram {
            for (isGiven, name) in given.map({ ($0.isGiven, $0.name) }) where isGiven && name != "--block-size" {
                throw ValidationError("gpt-bigram is one V × V table; leave out \(name)")
            }
        }
        if kind != .transformer && kind != .gpt {
            for (value, name) in [(layers, "--layers"), (heads, "--heads")]
            where value != nil && !(kind == .deepBatchNorm && name == "--layers") {
                throw ValidationError("\(name) is the transformer's; \(kind.rawValue) has no \(name.dropFirst(2))")
            }
            if dropout != nil {
                throw ValidationError("--dropout is the transformer's; \(kind.rawValue) has no dropout")
            }
        }
        if regularization != nil, kind != .neuralBigram {
            throw ValidationError("--regularization is bigram-nn's; \(kind.rawValue) has none")
        }
        if initialization != nil, kind != .mlp, kind != .deepBatchNorm {
            switch kind {
            case .neuralBigram: throw ValidationError("bigram-nn starts as randn; leave out --init")
            case .batchNormMLP: throw ValidationError("bn-mlp always starts with Kaiming init; leave out --init")
            default:
                throw ValidationError(
                    "--init is mlp's; \(kind.rawValue) starts as its lecture or makemore.py does; leave out --init")
            }
        }
        if kind == .neuralBigram {
            for (value, name) in [(blockSize, "--block-size"), (embedding, "--embedding"), (hidden, "--hidden")]
            where value != nil {
                throw ValidationError("bigram-nn is one matrix W, with no \(name.dropFirst(2)); leave out \(name)")
            }
        }
        if kind == .transformer, hidden != nil {
            throw ValidationError("the transformer's MLP is 4 × --embedding wide; leave out --hidden")
        }
        if kind == .gpt, hidden != nil {
            throw ValidationError("gpt's feed-forward is 4 × --embedding wide; leave out --hidden")
        }
    }

    func run(in session: Session) throws(NotebookError) {
        guard let kind else { return try show(in: session) }
        let vocabulary: Vocabulary
        let configuration: ModelConfiguration
        if kind.readsText {
            vocabulary = try session.requireCorpus(for: kind).vocabulary
            configuration = self.configuration(kind, longestWord: 0)
        } else {
            let dataset = try session.requireDataset()
            vocabulary = dataset.vocabulary
            configuration = self.configuration(kind, longestWord: dataset.longest?.count ?? 0)
        }
        let model = try reporting { try configuration.make(vocabulary: vocabulary, generator: session.generator) }
        if let old = session.state.languageModels.trainer, old.stepsTaken > 0 {
            session.emit(
                "(replaces the current \(old.model.configuration.kind.rawValue), trained \(stepCount(old.stepsTaken)))")
        }
        session.state.languageModels.trainer = Trainer(model: model)
        session.emit(model.description)
        session.emit(
            kind.readsText
                ? "initial weights drawn from the session's generator; fit trains it, eval estimates its losses, sample --tokens N writes text"
                : "initial weights drawn from the session's generator; fit trains it, eval scores it, sample draws names"
        )
    }

    /// The configuration asked for: the kind's defaults with the options given (validate() has checked
    /// them). Whole-word models get a block of `longestWord` + 1 unless --block-size is given.
    private func configuration(_ kind: ModelConfiguration.Kind, longestWord: Int) -> ModelConfiguration {
        var c = ModelConfiguration.defaults(for: kind)
        if kind.readsWholeWords { c.blockSize = longestWord + 1 }
        switch kind {
        case .neuralBigram:
            if let regularization { c.regularization = regularization }
        case .transformer, .gpt:
            c.blockSize = blockSize ?? c.blockSize
            c.embeddingSize = embedding ?? c.embeddingSize
            c.hiddenSize = 4 * c.embeddingSize
            c.layerCount = layers ?? c.layerCount
            c.headCount = heads ?? c.headCount
            c.dropout = dropout ?? c.dropout
        default:
            c.blockSize = blockSize ?? c.blockSize
            c.embeddingSize = embedding ?? c.embeddingSize
            c.hiddenSize = hidden ?? c.hiddenSize
            if let initialization { c.initialization = initialization }
            if kind == .deepBatchNorm { c.layerCount = layers ?? c.layerCount }
        }
        return c
    }

    /// `model` alone, or with --eval/--train.
    private func show(in session: Session) throws(NotebookError) {
        let trainer = try session.requireTrainer()
        let model = trainer.model
        if eval || train {
            model.training = train
            session.emit(
                "\(model.configuration.kind.rawValue) is in \(model.modeDescription)"
                    + (model.buffers().isEmpty
                        ? " (it has no batch norm, so both modes compute the same)"
                        : train
                            ? ": batch norm normalises with each batch's mean and variance, and updates its running statistics"
                            : ": batch norm normalises with its running mean and variance"))
            return
        }
        session.emit(model.description)
        if trainer.stepsTaken == 0 {
            session.emit("not trained yet; optimizer \(trainer.optimizerSettings)")
        } else {
            let recent = Swift.min(1_000, trainer.stepsTaken)
            let mean = trainer.history.meanLoss(ofLast: recent) ?? .nan
            session.emit(
                "trained \(stepCount(trainer.stepsTaken)) with \(trainer.optimizerSettings); mean loss of the last \(stepCount(recent)) \(mean.loss)"
            )
            var latest: [Split: TrainingHistory.Evaluation] = [:]
            for e in trainer.history.evaluations { latest[e.split] = e }
            let scores = Split.allCases.compactMap { part in
                latest[part].map { "\(part.rawValue) \($0.loss.loss) (after \(stepCount($0.step)))" }
            }
            if !scores.isEmpty { session.emit("last measured: " + scores.joined(separator: ", ")) }
        }
        if let plan = trainer.plan, !plan.isFinished {
            session.emit(
                "a run stopped at step \(plan.completed.grouped) of \(plan.steps.grouped); fit --resume finishes it")
        }
    }
}
