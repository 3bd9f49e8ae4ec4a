// `run FILE`: replay a session script into this session, checking each recorded output.
import ArgumentParser
import Foundation
import NotebookLanguage
import SafeFiles

struct RunCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Replay a session script into this session, keeping its variables.")
    static let group = CommandGroup.session

    @Argument(help: "The script, e.g. sessions/01-derivatives.txt.", completion: .file()) var file: String

    func run(in session: Session) throws(NotebookError) {
        let script = try SessionScript(contentsOf: file)
        // The file itself, however it is named (relative, through links), for recognising re-entry.
        let identity =
            realpath(SafeFile.expandingTilde(file), nil).map { pointer in
                defer { free(pointer) }
                return String(cString: pointer)
            } ?? file
        guard !session.scriptsRunning.contains(identity) else {
            throw NotebookError(
                "\(file) is already running (it runs itself, directly or through another script); remove that run line")
        }
        guard session.scriptsRunning.count < 20 else {
            throw NotebookError(
                "scripts nest more than 20 deep (each runs the next); run them one after another instead")
        }
        session.scriptsRunning.append(identity)
        defer { session.scriptsRunning.removeLast() }
        let failures = session.replay(script)
        if !failures.isEmpty {
            throw NotebookError(
                "\(failures.count) command\(failures.count == 1 ? "" : "s") of \(file) failed, at line\(failures.count == 1 ? "" : "s") \(failures.map(String.init).joined(separator: ", "))"
            )
        }
    }
}
