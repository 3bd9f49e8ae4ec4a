// Commands for session scripts: `run FILE` replays a lesson into this session; `record FILE`
// keeps a script of everything from now on; `save FILE` writes everything so far.
import ArgumentParser
import Foundation
import NotebookLanguage
import SafeFiles

struct RunCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Replay a session script into this session, keeping its variables.")
    static let group = CommandGroup.session

    @Argument(help: "The script, e.g. sessions/01-derivatives.txt.") var file: String

    func run(in session: Session) throws(NotebookError) {
        let script = try SessionScript(contentsOf: file)
        // The file itself, however it is named (relative, through links), for recognising re-entry.
        let identity =
            realpath(file, nil).map { pointer in
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

struct RecordCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record this session from now on into a session script, kept up to date after every line.",
        discussion:
            "Lines starting with # become narration, a blank line starts a new cell. record --stop ends the recording.")
    static let group = CommandGroup.session

    @Argument(help: "The script to write.") var file: String?
    @Flag(name: .long, help: "Stop recording.") var stop = false

    func run(in session: Session) throws(NotebookError) {
        if stop {
            guard let recording = session.recording else { throw NotebookError("nothing is being recorded") }
            session.recording = nil
            session.emit("stopped recording; \(recording.path) is complete")
            return
        }
        guard let file else { throw NotebookError("name the file to write, e.g. record sessions/my-lesson.txt") }
        do {
            session.recording = Recording(try SafeFile.Appender(emptying: file))
        } catch {
            throw NotebookError("cannot write \(file): \(error)")
        }
        session.emit("recording to \(file): every line from now on is written there with its output")
    }
}

/// The script `record` is writing: each line is added to the file, with its output, once it has
/// run, so nothing is lost if gradbook stops. Blank lines separate cells; one is written only when
/// a command follows it, so the file never ends in blank lines.
final class Recording {
    let file: SafeFile.Appender
    var path: String { file.path }
    private var blankPending = false
    private var started = false
    /// The `record` line itself is not part of the script.
    var skipsNext = true

    init(_ file: SafeFile.Appender) { self.file = file }

    func append(input: String, output: String) throws(FileProblem) {
        let trimmed = input.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty {
            blankPending = started
            return
        }
        var lines: [String] = blankPending ? [""] : []
        blankPending = false
        started = true
        lines.append(input)
        if !trimmed.hasPrefix("#") { lines += SessionScript.outputLines(output) }
        try file.append(Array((lines.joined(separator: "\n") + "\n").utf8))
    }
}

struct SaveCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "save",
        abstract: "Write everything typed so far, with its output, as a session script.")
    static let group = CommandGroup.session

    @Argument(help: "The script to write.") var file: String

    func run(in session: Session) throws(NotebookError) {
        let entries = session.log.dropLast()  // everything before this `save` line
        try FileErrors.writeAtomically(Data(SessionScript.text(fromLog: entries).utf8), to: file)
        session.emit("saved \(entries.filter { !$0.input.allSatisfy(\.isWhitespace) }.count) lines to \(file)")
    }
}

extension Session {
    /// After each line, adds it with its output to the file being recorded.
    func keepRecording() {
        guard let recording, let entry = log.last else { return }
        if recording.skipsNext {
            recording.skipsNext = false
            return
        }
        do {
            try recording.append(input: entry.input, output: entry.output)
        } catch {
            self.recording = nil
            report(
                NotebookError(
                    "recording stopped: cannot write \(recording.path): \(error); the lines before this one are in the file"
                ))
        }
    }
}
