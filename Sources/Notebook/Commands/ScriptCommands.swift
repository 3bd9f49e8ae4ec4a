// Commands for session scripts: `run FILE` replays a lesson into this session; `record FILE`
// keeps a script of everything from now on; `save FILE` writes everything so far.
import ArgumentParser
import Foundation

struct RunCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Replay a session script into this session, keeping its variables.")
    static let group = CommandGroup.session

    @Argument(help: "The script, e.g. sessions/01-derivatives.txt.") var file: String

    func run(in session: Session) throws(NotebookError) {
        let script = try SessionScript(contentsOf: file)
        let failures = session.replay(script)
        if !failures.isEmpty {
            throw NotebookError("\(failures.count) command\(failures.count == 1 ? "" : "s") of \(file) failed, at line\(failures.count == 1 ? "" : "s") \(failures.map(String.init).joined(separator: ", "))")
        }
    }
}

struct RecordCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record this session from now on into a session script, kept up to date after every line.",
        discussion: "Lines starting with # become narration, a blank line starts a new cell. record --stop ends the recording.")
    static let group = CommandGroup.session

    @Argument(help: "The script to write.") var file: String?
    @Flag(name: .long, help: "Stop recording.") var stop = false

    func run(in session: Session) throws(NotebookError) {
        if stop {
            guard let recording = session.recording else { throw NotebookError("record: nothing is being recorded") }
            session.recording = nil
            session.emit("stopped recording; \(recording.path) is complete")
            return
        }
        guard let file else { throw NotebookError("record: name the file to write, e.g. record sessions/my-lesson.txt") }
        try FileErrors.writeAtomically(Data(), to: file)
        session.recording = (file, session.log.count - 1)   // this `record` line
        session.emit("recording to \(file): every line from now on is written there with its output")
    }
}

struct SaveCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "save",
        abstract: "Write everything typed so far, with its output, as a session script.")
    static let group = CommandGroup.session

    @Argument(help: "The script to write.") var file: String

    func run(in session: Session) throws(NotebookError) {
        let entries = session.log.dropLast()   // everything before this `save` line
        try FileErrors.writeAtomically(Data(SessionScript.text(fromLog: entries).utf8), to: file)
        session.emit("saved \(entries.filter { !$0.input.allSatisfy(\.isWhitespace) }.count) lines to \(file)")
    }
}

extension Session {
    /// After each line, rewrites the file being recorded, so nothing is lost if gradbook stops.
    func keepRecording() {
        guard let (path, start) = recording, start < log.count else { return }
        let entries = log[(start + 1)...]   // after the `record` line itself
        do {
            try FileErrors.writeAtomically(Data(SessionScript.text(fromLog: entries).utf8), to: path)
        } catch {
            recording = nil
            report(NotebookError("recording stopped: \(error.message)"))
        }
    }
}
