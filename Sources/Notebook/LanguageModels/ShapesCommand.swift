// `shapes`: a few train examples traced through the current language model, printing the shape after
// every step of its forward pass (lecture 5 prints `layer.out.shape` for each layer to find its bug), so
// that a shape mistake is visible before training. Nothing is trained and no random numbers are drawn.
import ArgumentParser
import Engine
import Makemore
import NotebookLanguage

struct ShapesCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "shapes",
        abstract: "Trace a batch of train examples through the current model, printing each step's output shape.",
        discussion: """
            Takes the first --batch examples of the train split (whole words for rnn, gru, lstm, bow and \
            transformer), runs the forward pass in the model's current mode without a graph, and prints every \
            step with its output shape: the embedding, each layer, each recurrent or attention step, the \
            logits and the loss. B is the batch, T the block size, V the vocabulary.
            """)
    static let group = CommandGroup.makemore

    @Option(parsing: .unconditional, help: "Examples in the batch (default 4).") var batch = 4

    func run(in session: Session) throws(NotebookError) {
        guard (1...1_024).contains(batch) else { throw NotebookError("--batch must be from 1 to 1,024, not \(batch)") }
        let trainer = try session.requireTrainer()
        let model = trainer.model
        let data = try session.windows(.train, for: model)
        let (X, Y) = data.batch(0..<Swift.min(batch, data.count))  // (B, T), (B,) or (B, T)
        if model.training { try session.checkBatchNormBatch(X.shape[0], examples: X.shape[0], for: model) }
        let steps: [ShapeTrace.Step]
        steps = try reporting { try model.traceShapes(X, targets: Y) }
        session.emit(
            "\(model.configuration) on \(X.shape[0]) train \(data.layout == .windows ? "example" : "word")\(X.shape[0] == 1 ? "" : "s"), \(model.modeDescription):"
        )
        let width = steps.map(\.name.count).max() ?? 0
        for step in steps {
            session.emit(
                "  " + step.name + String(repeating: " ", count: width - step.name.count) + "  "
                    + formatShape(step.shape))
        }
    }
}
