// `figure WHAT`: the figures of makemore parts 2–3 for the current language model, in the terminal
// (readable with and without colour) and, with --svg FILE, as a picture. The layer figures come from one
// forward and backward pass on the last training batch, as lecture 3 looks at its network. (Named
// `figure` because `plot(...)` is the notebook's function for plotting lists.)
import ArgumentParser
import Engine
import Foundation
import Makemore
import NotebookLanguage

struct FigureCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure",
        abstract:
            "Figures of the current language model: loss, embedding, activations, gradients, weights, saturation, ratios, lr.",
        discussion: """
            loss: every step's loss, its mean over --every steps (the lecture's 1000) and the dev losses \
            measured. embedding: the characters where the table C puts them (2-D, or its first two principal \
            components). activations, gradients: histograms of each tanh layer's outputs and of their gradients, \
            with the lecture's mean, std and saturation (the recurrent models' hidden states, the transformer's \
            GELU activations); weights: each weight matrix's gradient with its grad:data ratio (every model); \
            saturation: which tanh outputs are beyond ±0.99 (a white column is a dead neuron; for the \
            transformer, whose GELU does not saturate, how sharp each head's attention is). \
            These four use one forward and backward pass on the last training batch (the model is unchanged). \
            ratios: the update:data ratio std(Δp)/std(p) of each weight matrix over training (about 1e-3 is \
            healthy). lr: the learning rate of each step. attention WORD: the transformer's attention weights \
            while it reads WORD, one matrix per layer and head (row: the position reading, column: the \
            position read; darker is more). --svg FILE also writes the figure as SVG.
            """)
    static let group = CommandGroup.makemore

    /// The figures: training's record (loss, ratios, lr), the embedding table, and lecture 3's looks
    /// inside the tanh layers.
    enum Kind: String, CaseInsensitiveChoice {
        case loss, embedding, activations, gradients, weights, saturation, ratios, lr, attention
    }

    @Argument(help: ArgumentHelp("The figure to draw.", valueName: "figure")) var what: Kind
    @Argument(help: ArgumentHelp("attention: the word the transformer reads.", valueName: "word")) var word: String?

    func validate() throws {
        if what == .attention && word == nil {
            throw ValidationError("attention needs a word to read, e.g. figure attention emma")
        }
        if what != .attention, let word {
            throw ValidationError("'\(word)': only figure attention takes a word")
        }
    }
    @Option(
        name: .customLong("svg"), help: ArgumentHelp("Also write the figure to this SVG file.", valueName: "file"),
        completion: .file())
    var svgFile: String?
    @Flag(help: "loss: a logarithmic loss axis.") var log = false
    @Option(parsing: .unconditional, help: "loss: average over this many steps (default 1,000, fewer for short runs).")
    var every: Int?

    func run(in session: Session) throws(NotebookError) {
        if let every, every < 1 { throw NotebookError("--every must be at least 1, not \(every)") }
        let trainer = try session.requireTrainer()
        if what == .attention { return try attention(trainer, in: session) }
        var lines: [String] = []
        let plot: Plot
        switch what {
        case .loss, .ratios, .lr:
            let history = trainer.history
            guard history.steps > 0 else {
                throw NotebookError("\(what.rawValue) needs training first; fit trains the model")
            }
            switch what {
            case .loss:
                let window = every ?? (history.steps >= 20_000 ? 1_000 : Swift.max(1, history.steps / 20))
                plot = TrainPlots.loss(history, every: window, log: log)
                let recent =
                    history.meanLoss(ofLast: window).map {
                        "; the last \(stepCount(Swift.min(window, history.steps))) average \($0.loss)"
                    } ?? ""
                lines = ["\(stepCount(history.steps))\(recent)"]
            case .ratios:
                guard !history.updateRatios.isEmpty else {
                    throw NotebookError("ratios needs training first; fit trains the model")
                }
                plot = TrainPlots.ratios(
                    history, names: LayerDiagnostics.parameterNames(trainer.model),
                    shapes: trainer.model.parameters().map(\.shape))
                lines = [
                    "update:data ratios recorded at \(history.updateRatios.count.grouped) steps; about 1e-3 learns at a good pace, far below learns slowly, far above too fast"
                ]
            default:
                plot = TrainPlots.learningRates(history)
            }
        case .embedding:
            guard let table = trainer.model.embeddingTable else {
                throw NotebookError(
                    "\(trainer.model.configuration.kind.rawValue) has no embedding table; every other model has one")
            }
            let (figure, note) = TrainPlots.embedding(table, vocabulary: trainer.model.vocabulary)
            plot = figure
            lines = [note]
        default:
            if what == .saturation, let transformer = trainer.model as? TransformerModel {
                (plot, lines) = Self.attentionEntropy(transformer, try Self.lastBatch(trainer, in: session))
            } else {
                let diagnostics = try Self.diagnostics(trainer, in: session, weightsOnly: what == .weights)
                (plot, lines) = Self.layerFigure(what, diagnostics)
            }
        }
        // first: a failure shows nothing
        if let svgFile { try FileErrors.writeAtomically(Data(svg(plot).utf8), to: svgFile) }
        lines.forEach { session.emit($0) }
        session.show(figure: render(plot, style: session.style)) { svg(plot) }
        if let svgFile { session.emit("wrote \(svgFile): the \(what.rawValue) figure, 640×400 px") }
    }

    /// `figure attention WORD`: each layer's and head's attention weights while the transformer reads
    /// '.' and then WORD's characters.
    private func attention(_ trainer: Trainer, in session: Session) throws(NotebookError) {
        if let gpt = trainer.model as? GPTModel { return try textAttention(gpt, in: session) }
        guard let model = trainer.model as? TransformerModel else {
            throw NotebookError(
                "attention is the transformer's and gpt's; \(trainer.model.configuration.kind.rawValue) has none (model transformer or model gpt makes one)"
            )
        }
        let text = word ?? ""
        let indices: [Int]
        do { indices = try model.vocabulary.encode(text) } catch { throw NotebookError("\(error)") }
        guard indices.count + 1 <= model.blockSize else {
            throw NotebookError(
                "'\(text)' has \(text.count) characters; the model reads at most \(model.blockSize - 1) after its '.'")
        }
        let context = [0] + indices
        let weights = model.attentionWeights(for: context)
        let figure = AttentionFigure(characters: context.map { model.vocabulary.decode([$0]) }, weights: weights)
        if let svgFile { try FileErrors.writeAtomically(Data(figure.svg().utf8), to: svgFile) }
        session.emit(
            "attention while reading '.\(text)': \(weights.count) layer\(weights.count == 1 ? "" : "s") × \(weights.first?.count ?? 0) heads; row: the position reading, column: the position read, darker is more (each row sums to 1)"
        )
        session.show(figure: figure.lines(style: session.style)) { figure.svg() }
        if let svgFile { session.emit("wrote \(svgFile): the attention figure") }
    }

    /// The most characters `figure attention` shows for a text model: a matrix per head of this many
    /// rows and columns still fits a terminal.
    static let attentionCharacters = 32

    /// `figure attention TEXT` for gpt: each block's and head's attention weights while it reads TEXT
    /// (\n is a newline), the lecture's "communication" between positions.
    private func textAttention(_ model: GPTModel, in session: Session) throws(NotebookError) {
        let text = SampleCommand.unescaped(word ?? "")
        let indices: [Int]
        do { indices = try model.vocabulary.encode(text) } catch { throw NotebookError("\(error)") }
        let limit = Swift.min(model.blockSize, Self.attentionCharacters)
        guard (1...limit).contains(indices.count) else {
            throw NotebookError(
                "the text to read has \(indices.count) characters; give 1 to \(limit) (the figure shows at most \(Self.attentionCharacters), the model reads at most \(model.blockSize))"
            )
        }
        let weights = model.attentionWeights(for: indices)
        let figure = AttentionFigure(characters: indices.map(model.vocabulary.label), weights: weights)
        if let svgFile { try FileErrors.writeAtomically(Data(figure.svg().utf8), to: svgFile) }
        session.emit(
            "attention while reading \(text.quotedForDisplay): \(weights.count) block\(weights.count == 1 ? "" : "s") × \(weights.first?.count ?? 0) heads; row: the position reading, column: the position read, darker is more (each row sums to 1)"
        )
        session.show(figure: figure.lines(style: session.style)) { figure.svg() }
        if let svgFile { session.emit("wrote \(svgFile): the attention figure") }
    }

    /// The activations, gradients, weights or saturation figure and its summary lines.
    static func layerFigure(_ what: Kind, _ d: LayerDiagnostics) -> (Plot, [String]) {
        switch what {
        case .activations, .gradients:
            let gradients = what == .gradients
            let lines = d.activations.map { a -> String in
                let (mean, std) = meanAndStandardDeviation(gradients ? a.gradient : a.values)
                return gradients
                    ? "\(a.name): mean \(signed(mean, 6)), std \(scientific(std))"
                    : "\(a.name): mean \(signed(mean, 2)), std \(std.fixed(2))"
                        + (a.bounded ? ", saturated: \((100 * a.saturation()).fixed(2))%" : "")
            }
            return (TrainPlots.activations(d, gradients: gradients), lines)
        case .weights:
            var rows = [["weight", "mean", "std", "grad:data"]]
            for w in d.weights {
                let (mean, std) = meanAndStandardDeviation(w.gradient)
                let data = meanAndStandardDeviation(w.values).std
                rows.append([w.name, signed(mean, 6), scientific(std), scientific(data > 0 ? std / data : 0)])
            }
            return (TrainPlots.weightGradients(d), Table(rows: rows, alignRight: [1, 2, 3]).lines)
        default:
            let a = d.activations[0]
            let dead = (0..<a.columns).filter { c in
                (0..<a.rows).allSatisfy { abs(a.values[$0 * a.columns + c]) > 0.99 }
            }.count
            let line =
                "\(a.name): \((100 * a.saturation(above: 0.99)).fixed(2))% of outputs beyond ±0.99; "
                + "\(dead) of \(a.columns) neurons saturated for every example (dead)"
            return (TrainPlots.saturation(a, threshold: 0.99), [line])
        }
    }

    /// One pass on the last training batch (or the first 32 training examples before any minibatch).
    static func diagnostics(_ trainer: Trainer, in session: Session, weightsOnly: Bool = false) throws(NotebookError)
        -> LayerDiagnostics
    {
        let model = trainer.model
        let diagnostics = LayerDiagnostics(model, batch: try lastBatch(trainer, in: session))
        guard !diagnostics.activations.isEmpty || weightsOnly else {
            throw NotebookError(
                "\(model.configuration.kind.rawValue) is one matrix, with no layer to look inside; figure weights, loss, embedding and ratios work for it"
            )
        }
        return diagnostics
    }

    /// The last training batch (or the first 32 training examples before any minibatch).
    static func lastBatch(_ trainer: Trainer, in session: Session) throws(NotebookError) -> (
        contexts: IndexTensor, targets: IndexTensor
    ) {
        let data = try session.windows(.train, for: trainer.model)
        // The last batch's rows index the split it was drawn from; after `load` of other names the
        // split is new, and its rows mean nothing there (or fall past its end).
        let rows =
            (trainer.lastBatchWindows == data.count ? trainer.lastBatch : nil) ?? Array(0..<Swift.min(32, data.count))
        return data.batch(rows)
    }

    /// The transformer's `figure saturation`: GELU does not saturate, so this is how sharp each head's
    /// attention is on the last batch: the entropy of each row of weights over the positions it may
    /// read, as a fraction of the uniform row's (0: one position, 1: all alike).
    static func attentionEntropy(_ model: TransformerModel, _ batch: (contexts: IndexTensor, targets: IndexTensor))
        -> (Plot, [String])
    {
        let (B, T) = (batch.contexts.shape[0], batch.contexts.shape[1])
        let contexts = batch.contexts.values
        let targets = batch.targets.values
        var sums: [[Double]] = []
        var counts: [[Int]] = []
        for b in 0..<B {
            let length = (0..<T).filter { targets[b * T + $0] >= 0 }.count
            guard length >= 2 else { continue }
            let maps = model.attentionWeights(for: (0..<length).map { Int(contexts[b * T + $0]) })
            if sums.isEmpty {
                sums = maps.map { $0.map { _ in 0 } }
                counts = maps.map { $0.map { _ in 0 } }
            }
            for (l, heads) in maps.enumerated() {
                for (h, grid) in heads.enumerated() {
                    for i in 1..<grid.count {
                        var entropy = 0.0
                        for w in grid[i][0...i] where w > 0 { entropy -= Double(w) * Foundation.log(Double(w)) }
                        sums[l][h] += entropy / Foundation.log(Double(i + 1))
                        counts[l][h] += 1
                    }
                }
            }
        }
        var lines = [
            "attention entropy on the last batch, as a fraction of reading every allowed position alike (0: one position, 1: all alike; GELU does not saturate, so this is the transformer's look):"
        ]
        var series: [Series] = []
        for (l, heads) in sums.enumerated() {
            let means = heads.indices.map { heads[$0] / Double(Swift.max(1, counts[l][$0])) }
            lines.append(
                "layer \(l + 1): "
                    + means.enumerated().map { "head \($0.offset + 1) \($0.element.fixed(2))" }.joined(separator: "  "))
            series.append(
                .scatter(x: means.indices.map { Double($0 + 1) }, y: means, name: "layer \(l + 1)"))
        }
        return (
            Plot(title: "attention entropy by head", x: Axis("head"), y: Axis("entropy / uniform"), series: series),
            lines
        )
    }

    /// `+0.02`, `-0.000123`.
    static func signed(_ x: Double, _ digits: Int) -> String { (x >= 0 ? "+" : "") + x.fixed(digits) }

    /// `3.41e-03`, as Python's `%e` with two decimals.
    static func scientific(_ x: Double) -> String { String(format: "%.2e", x) }
}
