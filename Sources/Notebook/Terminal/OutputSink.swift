// Where the notebook's output goes: the terminal, or memory in tests and transcripts.
import Engine
import Makemore
import NotebookLanguage

/// Where a session writes its output.
public protocol OutputSink: AnyObject {
    func write(_ text: String)
    /// Whether a status line can be drawn and redrawn in place (a terminal).
    var showsStatus: Bool { get }
    /// Draws `line` as the status line in place of the last one, cut to fit; nil erases it. The
    /// status is not output: it is not logged, and the next write goes where it stood.
    func status(_ line: String?)
    /// Draws `lines` in place of the last status or frame (a live view several lines high), cut to the
    /// terminal's width and height; nil erases it. Like the status line, it is not output.
    func frame(_ lines: [String]?)
}

extension OutputSink {
    public var showsStatus: Bool { false }
    public func status(_ line: String?) {}
    public func frame(_ lines: [String]?) { status(lines?.first) }
}

/// Output collected in memory (tests, transcripts).
public final class CapturedOutput: OutputSink {
    public private(set) var text = ""
    public init() {}
    public func write(_ text: String) { self.text += text }
    /// Returns what was written since the last call, and forgets it.
    public func take() -> String {
        defer { text = "" }
        return text
    }
}
