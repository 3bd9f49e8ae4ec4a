// The process's standard output and error as output sinks.
import Foundation
import NotebookLanguage

/// Standard output, flushed after every write so output and prompts interleave correctly.
public final class StandardOutput: OutputSink {
    public init() {}
    public func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Standard error.
public final class StandardError: OutputSink {
    public init() {}
    public func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
