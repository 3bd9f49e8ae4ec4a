// Where the notebook's input comes from, behind one small protocol: GNU readline at a terminal,
// plain lines from a pipe, scripted lines in tests. End of input and Ctrl-C are distinct outcomes.

/// What reading a line gave.
public enum LineInput: Equatable {
    case line(String)
    /// Ctrl-C at the prompt: the line typed so far is abandoned.
    case interrupted
    /// Ctrl-D, or the end of a pipe or script.
    case endOfInput
}

/// A source of input lines.
public protocol LineReader: AnyObject {
    func readLine(prompt: String) -> LineInput
}

/// Lines given in advance (tests), with the prompts they were read at.
public final class ScriptedLineReader: LineReader {
    private var lines: [LineInput]
    /// The prompt of every read, in order (the last one is the read that found the end).
    public private(set) var prompts: [String] = []
    public init(_ lines: [String]) { self.lines = lines.map(LineInput.line) }
    public init(inputs: [LineInput]) { self.lines = inputs }
    public func readLine(prompt: String) -> LineInput {
        prompts.append(prompt)
        return lines.isEmpty ? .endOfInput : lines.removeFirst()
    }
    /// How many scripted inputs were never read.
    public var unread: Int { lines.count }
}

/// Standard input read plainly, with no prompt: for pipes and redirected files.
public final class PlainLineReader: LineReader {
    public init() {}
    public func readLine(prompt: String) -> LineInput {
        Swift.readLine(strippingNewline: true).map(LineInput.line) ?? .endOfInput
    }
}
