// Where the notebook's output goes: the terminal, or memory in tests and transcripts.
import Engine
import Makemore
import NotebookLanguage

/// Where a session writes its output.
public protocol OutputSink: AnyObject {
    func write(_ text: String)
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
