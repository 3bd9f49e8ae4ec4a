// `reset`: forget every variable and command state, and say what was forgotten.
import ArgumentParser
import Engine
import NotebookLanguage

struct ResetCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract:
            "Forget every variable, the loaded names, the models and passes in progress, and start afresh (the history stays)."
    )
    static let group = CommandGroup.session

    func run(in session: Session) throws(NotebookError) {
        let forgotten = session.resetState()
        session.emit(
            "forgot "
                + (forgotten.count < 2
                    ? forgotten.joined() : forgotten.dropLast().joined(separator: ", ") + " and " + forgotten.last!))
    }
}
