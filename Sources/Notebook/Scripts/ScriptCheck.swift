// Replaying a session script into a session: as a transcript (`gradbook FILE`, `run FILE`), or
// checked against its recorded output (`gradbook --check FILE`, with `--accept` to re-record).
import Foundation
import NotebookLanguage

/// What a check of one script found.
public struct ScriptCheck {
    public let path: String
    public var passed = 0
    /// Unified diffs, one per command whose output changed.
    public var diffs: [[String]] = []
    /// New output for each changed command, keyed by the command's line.
    public var replacements: [Int: [String]] = [:]
    /// Lines of the commands never run because a command before them ended the session (`quit`).
    public var notRun: [Int] = []
    /// Commands whose output changed, and commands never run: neither was checked.
    public var failed: Int { diffs.count + notRun.count }
}

extension Session {
    /// Runs every command of `script`, writing a transcript: narration, each command after a
    /// `>>> ` marker, then its output. Returns the lines whose command reported an error.
    @discardableResult
    public func replay(_ script: SessionScript, errors: OutputSink? = nil) -> [Int] {
        var failures: [Int] = []
        for (number, cell) in script.cells.enumerated() {
            if number > 0 { output.write("\n") }
            for line in cell.narration { output.write(style.paint(line, .gray) + "\n") }
            for entry in cell.entries {
                output.write(typed(entry.input) + "\n")
                if !execute(entry.input, logged: false) {
                    failures.append(entry.line)
                    // The line of the block the error came from.
                    let within = (lastError?.line ?? 1) - 1
                    let lines = entry.input.components(separatedBy: "\n")
                    let line = lines[safe: within] ?? lines[0]
                    errors?.write(
                        "\(script.path):\(entry.line + (lines.indices.contains(within) ? within : 0)): error in: \(line.trimmingCharacters(in: .whitespaces))\n"
                    )
                }
                if wantsExit { return failures }
            }
        }
        return failures
    }

    /// Runs every command of `script` in this session and compares its output with the recording.
    public func check(_ script: SessionScript) -> ScriptCheck {
        let savedOutput = output
        let savedStyle = style
        let captured = CapturedOutput()
        output = captured
        style = .plain
        defer {
            output = savedOutput
            style = savedStyle
        }
        var result = ScriptCheck(path: script.path)
        let entries = script.entries
        for (index, entry) in entries.enumerated() {
            execute(entry.input, logged: false)
            var actual = captured.take().components(separatedBy: "\n")
            if actual.last == "" { actual.removeLast() }
            actual = actual.map(\.trimmingTrailingSpaces)
            if TranscriptMatch.matches(entry.expected, actual) {
                result.passed += 1
            } else {
                result.diffs.append(
                    TranscriptMatch.unifiedDiff(
                        expected: entry.expected, actual: actual, path: script.path, line: entry.line))
                result.replacements[entry.line] = actual
            }
            if wantsExit {
                result.notRun = entries[(index + 1)...].map(\.line)
                break
            }
        }
        return result
    }
}

extension ScriptCheck {
    /// Rewrites the script with the new output of the commands that changed, and nothing else.
    public func accept(into script: SessionScript) throws(NotebookError) {
        guard !replacements.isEmpty else { return }
        try FileErrors.writeAtomically(Data(script.rewritten(with: replacements).utf8), to: script.path)
    }
}
