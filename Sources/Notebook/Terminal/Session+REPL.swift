// The read-eval-print loop: read a line, run it in the session, until Ctrl-D or `quit`.
import NotebookLanguage

extension Session {
    /// Reads and runs lines until the input ends or the user quits. Ctrl-C at the prompt abandons
    /// the line; Ctrl-C during a command stops the command; neither loses any state. Ctrl-D during
    /// `manual` ends the exercise and comes back to the prompt.
    public func interact(with reader: LineReader) {
        while !wantsExit {
            switch reader.readLine(prompt: style.paint(prompt, .bold)) {
            case .line(let line):
                guard let cell = completeCell(line, reader: reader) else { continue }
                runTyped(cell)
            case .interrupted: continue
            case .endOfInput:
                if isInteractive { output.write("\n") }
                // Ctrl-D at an exercise's prompt ends the exercise, not the notebook.
                if isInteractive, let exercise = state.values.exercise {
                    exercise.stop()
                    continue
                }
                return
            }
        }
    }

    /// The whole cell that `first` begins: a block goes on at the `... ` prompt until a blank line,
    /// a bracket or triple-quoted string until it is closed, as at Python's prompt. A paste of
    /// several lines is a cell of its own (as in IPython). Nil when Ctrl-C abandoned it.
    func completeCell(_ first: String, reader: LineReader) -> String? {
        var cell = Self.strippingPrompts(first)
        guard state.values.exercise == nil else { return cell }
        let pasted = cell.contains("\n")
        while Lexer.needsMoreInput(cell, blockEndsAtBlankLine: !pasted) {
            switch reader.readLine(prompt: style.paint(Self.continuationPrompt, .bold)) {
            case .line(let more):
                cell += "\n" + more
                if more.allSatisfy(\.isWhitespace) && !Lexer.needsMoreInput(cell, blockEndsAtBlankLine: false) {
                    return cell
                }
            case .interrupted: return nil
            case .endOfInput: return cell
            }
        }
        return cell
    }

    /// A paste with Python's or IPython's prompts (`>>> `, `... `) in front of its lines, without
    /// them, so that an example can be pasted as it is printed.
    static func strippingPrompts(_ text: String) -> String {
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard lines.contains(where: { $0.hasPrefix(">>> ") || $0 == ">>>" }) else { return text }
        return lines.compactMap { line -> String? in
            if line.hasPrefix(">>> ") || line.hasPrefix("... ") { return String(line.dropFirst(4)) }
            if line == ">>>" || line == "..." { return "" }
            return nil  // printed output in the paste
        }.joined(separator: "\n")
    }

    /// Runs what was typed or pasted. A paste of several statements runs one after another, each
    /// shown as if typed, and stops at the first that fails.
    func runTyped(_ text: String) {
        let chunks = Lexer.chunks(text)
        guard chunks.count > 1 else {
            refreshWidth()
            execute(text)
            return
        }
        pyplot.holding += 1  // the paste is one cell: its figure shows at the end, as in Jupyter
        defer {
            pyplot.holding -= 1
            pyplot.flush()
        }
        for (index, chunk) in chunks.enumerated() {
            refreshWidth()
            if index > 0 { output.write(typed(chunk.text) + "\n") }  // as if typed
            guard execute(chunk.text) else {
                let left = chunks.count - index - 1
                if left > 0 {
                    warn("the rest of the paste was not run (\(count(left, "statement"))), as the one above failed")
                }
                return
            }
            if wantsExit { return }
        }
    }

    /// The window may have been resized since the last command: draw for its width now.
    private func refreshWidth() {
        if output.showsStatus { style.width = TextStyle.terminalWidth() }
    }
}
