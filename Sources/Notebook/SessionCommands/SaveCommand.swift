// `save FILE`: write everything typed so far, with its output, as a session script.
import ArgumentParser
import Foundation
import NotebookLanguage
import SafeFiles

struct SaveCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "save",
        abstract: "Write everything typed so far, with its output, as a session script (or a web page).",
        discussion: """
            --html writes one self-contained web page instead: the lines replayed in a fresh session, each \
            with its output and every figure as SVG (lines that save, record or quit are not run again); \
            --clean leaves the outputs out.
            """)
    static let group = CommandGroup.session

    @Argument(help: "The script to write.", completion: .file()) var file: String
    @Flag(help: "Write a web page: code, output and figures as SVG.") var html = false
    @Flag(help: "With --html: the code without its output (a student's copy).") var clean = false

    func validate() throws {
        if clean && !html { throw ValidationError("--clean goes with --html") }
    }

    func run(in session: Session) throws(NotebookError) {
        if html {
            let page = session.pageOfLog(clean: clean)
            if Interrupt.isRequested {
                throw NotebookError(
                    "stopped by Ctrl-C while replaying the session for the page; \(file) was not written")
            }
            try FileErrors.writeAtomically(Data(page.utf8), to: file)
            session.emit("wrote \(file): the session as a web page (\(page.utf8.count.grouped) bytes)")
            return
        }
        let entries = session.log.dropLast()  // everything before this `save` line
        try FileErrors.writeAtomically(Data(SessionScript.text(fromLog: entries).utf8), to: file)
        session.emit("saved \(count(entries.filter { !$0.input.allSatisfy(\.isWhitespace) }.count, "line")) to \(file)")
    }
}
