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
        abstract: "Make a language model for the loaded names (bigram-nn, mlp, bn-mlp, wavenet, rnn, gru, lstm, bow, transformer), or show the current one.",
        discussion: """
            bigram-nn: one-hot × W, softmax, loss + 0.01·mean(W²) (makemore part 1). mlp: each of the last \
            --block-size characters becomes --embedding learned numbers, then a tanh layer of --hidden neurons \
            and the logits (Bengio et al. 2003, makemore part 2; the lecture's sizes 3, 10, 200; --init randn \
            as lecture 2 or kaiming with lecture 3's fixes). bn-mlp: the same with batch norm before the tanh \
            and Kaiming init (makemore part 3). wavenet: lecture 5's hierarchy, embedding 24, hidden 128, \
            block 8 fused two by two. rnn, gru, lstm, bow, transformer: makemore.py's models, which read whole \
            words (block size = the longest loaded word + 1; n_embd --embedding 64, n_embd2 --hidden 64; the \
            transformer has --layers 4, --heads 4, an MLP 4 × --embedding wide and optional --dropout, 0 by default; \
            makemore's settings overfit the names, and --dropout 0.2 with fit --steps 30000 --lr cosine:1e-3:min=1e-5 \
            reaches test loss 1.91 on makemore's cut, split --layout makemore, where makemore reports about 1.92). Initial weights come \
            from the session's generator: seed first for the lecture's numbers. The new model replaces the \
            current one. model alone shows it; model --eval / --train switch its mode (batch norm: running or \
            batch statistics); shapes traces a batch through it.
            """)
    static let group = CommandGroup.makemore

    @Argument(help: "bigram-nn, mlp, bn-mlp, wavenet, rnn, gru, lstm, bow or transformer; none to show the current model.") var kind: String?
    @Option(help: "Characters of context (mlp's 3, wavenet's 8, the longest word + 1 for whole-word models).") var blockSize: Int?
    @Option(help: "Numbers per character embedding (mlp's 10, wavenet's 24, makemore.py's 64).") var embedding: Int?
    @Option(help: "Neurons of the hidden layer (mlp's 200, wavenet's 128, makemore.py's n_embd2 64).") var hidden: Int?
    @Option(help: "The transformer's blocks (makemore.py's 4).") var layers: Int?
    @Option(help: "The transformer's attention heads per block (makemore.py's 4).") var heads: Int?
    @Option(help: "The transformer's dropout probability in training mode (makemore.py's 0; nanoGPT's 0.1–0.2).") var dropout: Double?
    @Option(name: .customLong("init"), help: "mlp's initialisation: randn (lecture 2) or kaiming (lecture 3).") var initialization: String?
    @Option(help: "bigram-nn's λ in loss + λ·mean(W²) (the lecture's 0.01).") var regularization: Double?
    @Flag(help: "Switch to evaluation mode (batch norm uses its running statistics).") var eval = false
    @Flag(help: "Switch to training mode (batch norm uses each batch's statistics).") var train = false

    func run(in session: Session) throws(NotebookError) {
        guard !(eval && train) else { throw NotebookError("choose --eval or --train, not both") }
        guard let kind else {
            let sizes = [blockSize.map { _ in "--block-size" }, embedding.map { _ in "--embedding" }, hidden.map { _ in "--hidden" },
                         layers.map { _ in "--layers" }, heads.map { _ in "--heads" }, dropout.map { _ in "--dropout" },
                         initialization.map { _ in "--init" }, regularization.map { _ in "--regularization" }].compactMap { $0 }
            if let first = sizes.first { throw NotebookError("\(first) needs a kind to make, e.g. model mlp \(first) …") }
            return try show(in: session)
        }
        guard !eval && !train else { throw NotebookError("a new model starts in training mode; switch with model --eval afterwards") }
        let dataset = try session.requireDataset()
        let configuration = try Self.configuration(kind: kind, blockSize: blockSize, embedding: embedding, hidden: hidden,
                                                   layers: layers, heads: heads, dropout: dropout, initialization: initialization,
                                                   regularization: regularization, longestWord: dataset.longest?.count ?? 0)
        let model: any LanguageModel
        model = try reporting { try configuration.make(vocabulary: dataset.vocabulary, generator: session.generator) }
        if let old = session.languageModels.trainer, old.stepsTaken > 0 {
            session.emit("(replaces the current \(old.model.configuration.kind.rawValue), trained \(stepCount(old.stepsTaken)))")
        }
        session.languageModels.trainer = Trainer(model: model)
        session.emit(model.description)
        session.emit("initial weights drawn from the session's generator; fit trains it, eval scores it, sample draws names")
    }

    /// The configuration a user asked for, every option checked against the kind. Whole-word models
    /// get a block of `longestWord` + 1 unless `blockSize` is given.
    static func configuration(kind: String, blockSize: Int?, embedding: Int?, hidden: Int?, layers: Int? = nil, heads: Int? = nil,
                              dropout: Double? = nil, initialization: String?, regularization: Double?, longestWord: Int = 15) throws(NotebookError) -> ModelConfiguration {
        guard let kind = ModelConfiguration.Kind(rawValue: kind.lowercased()) else {
            let kinds = ModelConfiguration.Kind.allCases.map(\.rawValue)
            let guess = closestMatch(to: kind, in: kinds).map { "; did you mean '\($0)'?" } ?? ""
            throw NotebookError("there is no model kind '\(kind)'\(guess) (kinds: \(kinds.joined(separator: ", ")))")
        }
        var c = ModelConfiguration.defaults(for: kind)
        if kind.readsWholeWords { c.blockSize = longestWord + 1 }
        if kind != .transformer {
            for (value, name) in [(layers, "--layers"), (heads, "--heads")] where value != nil {
                throw NotebookError("\(name) is the transformer's; \(kind.rawValue) has no \(name.dropFirst(2))")
            }
            if dropout != nil { throw NotebookError("--dropout is the transformer's; \(kind.rawValue) has no dropout") }
        }
        if regularization != nil, kind != .neuralBigram {
            throw NotebookError("--regularization is bigram-nn's; \(kind.rawValue) has none")
        }
        if initialization != nil, kind != .mlp {
            switch kind {
            case .neuralBigram: throw NotebookError("bigram-nn starts as randn; leave out --init")
            case .batchNormMLP: throw NotebookError("bn-mlp always starts with Kaiming init; leave out --init")
            default: throw NotebookError("--init is mlp's; \(kind.rawValue) starts as its lecture or makemore.py does; leave out --init")
            }
        }
        switch kind {
        case .neuralBigram:
            for (value, name) in [(blockSize, "--block-size"), (embedding, "--embedding"), (hidden, "--hidden")] where value != nil {
                throw NotebookError("bigram-nn is one matrix W, with no \(name.dropFirst(2)); leave out \(name)")
            }
            if let regularization { c.regularization = regularization }
        case .transformer:
            if hidden != nil { throw NotebookError("the transformer's MLP is 4 × --embedding wide; leave out --hidden") }
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
            if let initialization {
                guard let value = ModelConfiguration.Initialization(rawValue: initialization.lowercased()) else {
                    throw NotebookError("--init must be randn (lecture 2) or kaiming (lecture 3), not '\(initialization)'")
                }
                c.initialization = value
            }
        }
        return c
    }

    /// `model` alone, or with --eval/--train.
    private func show(in session: Session) throws(NotebookError) {
        let trainer = try session.requireTrainer()
        let model = trainer.model
        if eval || train {
            model.training = train
            session.emit("\(model.configuration.kind.rawValue) is in \(model.modeDescription)"
                + (model.buffers().isEmpty ? " (it has no batch norm, so both modes compute the same)"
                   : train ? ": batch norm normalises with each batch's mean and variance, and updates its running statistics"
                   : ": batch norm normalises with its running mean and variance"))
            return
        }
        session.emit(model.description)
        if trainer.stepsTaken == 0 {
            session.emit("not trained yet; optimizer \(trainer.optimizerSettings)")
        } else {
            let recent = Swift.min(1_000, trainer.stepsTaken), mean = trainer.history.meanLoss(ofLast: recent) ?? .nan
            session.emit("trained \(stepCount(trainer.stepsTaken)) with \(trainer.optimizerSettings); mean loss of the last \(stepCount(recent)) \(mean.loss)")
            var latest: [Split: TrainingHistory.Evaluation] = [:]
            for e in trainer.history.evaluations { latest[e.split] = e }
            let scores = Split.allCases.compactMap { part in latest[part].map { "\(part.rawValue) \($0.loss.loss) (after \(stepCount($0.step)))" } }
            if !scores.isEmpty { session.emit("last measured: " + scores.joined(separator: ", ")) }
        }
        if let plan = trainer.plan, !plan.isFinished {
            session.emit("a run stopped at step \(plan.completed.grouped) of \(plan.steps.grouped); fit --resume finishes it")
        }
    }
}
