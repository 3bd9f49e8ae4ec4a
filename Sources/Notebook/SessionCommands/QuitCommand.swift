// `quit` (or `exit`): leave gradbook.
import ArgumentParser
import Engine
import NotebookLanguage

struct QuitCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "quit", abstract: "Leave gradbook (Ctrl-D does the same).", aliases: ["exit"])
    static let group = CommandGroup.session

    func run(in session: Session) throws(NotebookError) { session.requestExit() }
}
