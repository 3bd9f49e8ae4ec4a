// `save FILE`: write everything typed so far, with its output, as a session script.
import ArgumentParser
import Foundation
import NotebookLanguage
import SafeFiles

struct SaveCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "save",
        abstract: "Write everything typed so far, with its output, as a session script.")
    static let group = CommandGroup.session

    @Argument(help: "The script to write.", completion: .file()) var file: String

    func run(in session: Session) throws(NotebookError) {
        let entries = session.log.dropLast()  // everything before this `save` line
        try FileErrors.writeAtomically(Data(SessionScript.text(fromLog: entries).utf8), to: file)
        session.emit("saved \(count(entries.filter { !$0.input.allSatisfy(\.isWhitespace) }.count, "line")) to \(file)")
    }
}
