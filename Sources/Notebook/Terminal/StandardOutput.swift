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

    /// Carriage return, erase the line, and the new status cut to the terminal's width now (so a
    /// narrower window never wraps it into lines that the next redraw cannot erase).
    public func status(_ line: String?) {
        guard showsStatus else { return }
        var text = "\r\u{1B}[2K"
        if let line {
            var size = winsize()
            let columns = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
            text += line.fittingColumns(columns - 1)
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
