// The process's standard output and error as output sinks.
import Foundation
import NotebookLanguage

/// Standard output, flushed after every write so output and prompts interleave correctly.
public final class StandardOutput: OutputSink {
    public let showsStatus = isatty(STDOUT_FILENO) == 1
    public init() {}
    public func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Lines of the status or frame on the screen now (the cursor is at the end of its last line).
    private var frameHeight = 0

    /// The status line: a frame of one line.
    public func status(_ line: String?) { frame(line.map { [$0] }) }

    /// Back to the first line of the last frame, erase to the end of the screen, and draw the new one,
    /// every line cut to the terminal's width now and the frame to its height (so a narrower window
    /// never wraps it into lines that the next redraw cannot erase). One write: no flicker.
    public func frame(_ lines: [String]?) {
        guard showsStatus else { return }
        let (columns, rows) = TextStyle.windowSize() ?? (80, 24)
        var text = "\r" + (frameHeight > 1 ? "\u{1B}[\(frameHeight - 1)A" : "") + "\u{1B}[J"
        if let lines, !lines.isEmpty {
            let fitted = lines.prefix(Swift.max(1, rows - 1)).map { $0.fittingColumns(columns - 1) }
            text += fitted.joined(separator: "\n")
            frameHeight = fitted.count
        } else {
            frameHeight = 0
        }
        write(text)
    }
}

/// Standard error.
public final class StandardError: OutputSink {
    public init() {}
    public func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
