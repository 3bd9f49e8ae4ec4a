// `record FILE`: keep a session script of everything typed from now on, line by line.
import ArgumentParser
import Foundation
import NotebookLanguage
import SafeFiles

struct RecordCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record this session from now on into a session script, kept up to date after every line.",
        discussion:
            "Lines starting with # become narration, a blank line starts a new cell. record --stop ends the recording.")
    static let group = CommandGroup.session

    @Argument(help: "The script to write.", completion: .file()) var file: String?
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
