// The session keeps the file `record` writes up to date, a line at a time.
import ArgumentParser
import Foundation
import NotebookLanguage
import SafeFiles

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
