// `calibrate`: lecture 3's "calibrate the batch norm at the end of training" for the current model —
// each batch-norm layer's running mean and variance measured over the whole train split, replacing
// the estimates training kept — with the dev loss before and after.
import ArgumentParser
import Makemore
import NotebookLanguage

struct CalibrateCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Set batch norm's running statistics to the whole train split's (lecture 3's calibration).",
        discussion: """
            During training, batch norm keeps running estimates of each channel's mean and variance for \
            evaluation and sampling, moved a little towards each batch's. calibrate measures them exactly \
            instead: one pass over every train example per batch-norm layer, in order, each layer seeing the \
            inputs it will see in eval mode. Prints the dev loss before and after (the test loss on makemore's layout, which has no dev words). For bn-mlp and wavenet.
            """)
    static let group = CommandGroup.makemore

    func run(in session: Session) throws(NotebookError) {
        let trainer = try session.requireTrainer()
        guard let model = trainer.model as? any LayeredLanguageModel, !model.buffers().isEmpty else {
            throw NotebookError(
                "\(trainer.model.configuration.kind.rawValue) has no batch norm to calibrate; bn-mlp and wavenet have")
        }
        let data = try session.windows(.train, for: model)
        // makemore's layout has no dev words: its test words show the change instead.
        let part: Split = try session.requireSplit().dev.isEmpty ? .test : .dev
        let held = try? session.windows(part, for: model)
        let before = held.map { model.loss(on: $0) }
        let layers = model.calibrateBatchNorm(on: data)
        session.emit(
            "batch norm calibrated on the whole train split (\(data.count.grouped) examples): \(layers) \(layers == 1 ? "layer's" : "layers'") running mean and variance"
        )
        if let held, let before {
            let after = trainer.evaluate(held, part)
            session.emit("\(part.rawValue) loss \(before.loss) → \(after.loss)")
        }
    }
}
