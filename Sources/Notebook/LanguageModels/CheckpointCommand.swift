// `checkpoint save FILE` / `checkpoint load FILE`: the current language model in one file — weights,
// configuration, vocabulary, optimizer state, steps, plan and loss history (format: Makemore's
// Checkpoint.swift). Saving writes a temporary file and renames it; loading checks the whole file
// before the session's model changes, so a bad file leaves everything as it was.
import ArgumentParser
import Engine
import Foundation
import Makemore
import NotebookLanguage

struct CheckpointCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Save the current language model to a file, or load one: checkpoint save|load FILE.",
        discussion: """
            A checkpoint holds the model's configuration, vocabulary, weights (and batch norm's running \
            statistics), its mode, the optimizer's settings and state, the steps trained, the unfinished run \
            (fit --resume finishes it), where the session's generator and the Transformer's dropout generator \
            stood (load puts them back, so a resumed run draws what the whole run would have drawn and prints \
            the same rows), and the loss history (figure loss). The file is versioned and ends with a \
            CRC-32 checksum; a truncated or damaged file, another version, or a model whose vocabulary differs \
            from the loaded names is refused with the current model kept. Loading needs no dataset: sample works \
            at once.
            """)
    static let group = CommandGroup.makemore

    @Argument(help: "save or load.") var action: CheckpointAction
    @Argument(help: "The checkpoint file, e.g. mlp.ckpt.", completion: .file()) var file: String

    func run(in session: Session) throws(NotebookError) {
        switch action {
        case .save: try save(in: session)
        case .load: try load(in: session)
        }
    }

    private func save(in session: Session) throws(NotebookError) {
        let trainer = try session.requireTrainer()
        let data = Checkpoint.encode(trainer, generator: session.generator)
        try FileErrors.writeAtomically(data, to: file)
        session.emit(
            "saved \(trainer.model.configuration.kind.rawValue) (\(trainer.model.parameterCount.grouped) parameters, \(stepCount(trainer.stepsTaken)) trained) to \(file): \(data.count.grouped) bytes"
        )
    }

    private func load(in session: Session) throws(NotebookError) {
        let trainer: Trainer
        do {
            trainer = try Checkpoint.read(
                from: file,
                syntax: ScheduleSyntax { text, steps in try LearningRateSchedule.parse(text, totalSteps: steps) })
            // A schedule saved as a value is checked as one typed after --lr would be.
            try trainer.plan?.schedule.validate()
            if trainer.model.configuration.kind.readsText {
                if let corpus = session.state.languageModels.corpus, corpus.vocabulary != trainer.model.vocabulary {
                    throw NotebookError(
                        "its vocabulary (\(trainer.model.vocabulary)) is not the loaded text's (\(corpus.vocabulary)); load --text the text it learned from"
                    )
                }
            } else if let dataset = session.state.names.dataset {
                try Checkpoint.checkVocabulary(of: trainer.model, against: dataset)
            }
        } catch {
            throw NotebookError("cannot load \(file): \(error)")
        }
        session.state.languageModels.trainer = trainer
        if let saved = trainer.savedGenerator { session.generator.restore(saved) }
        session.emit("loaded \(file): \(stepCount(trainer.stepsTaken)) trained with \(trainer.optimizerSettings)")
        session.emit(trainer.model.description)
        if let plan = trainer.plan, !plan.isFinished {
            session.emit(
                "its run stopped at step \(plan.completed.grouped) of \(plan.steps.grouped); fit --resume finishes it"
                    + (trainer.savedGenerator == nil ? "" : ", drawing the batches the whole run would have drawn"))
        }
    }
}
