// The read-eval-print loop: read a line, run it in the session, until Ctrl-D or `quit`.

extension Session {
    /// Reads and runs lines until the input ends or the user quits. Ctrl-C at the prompt abandons
    /// the line; Ctrl-C during a command stops the command; neither loses any state. Ctrl-D during
    /// `manual` ends the exercise and comes back to the prompt.
    public func interact(with reader: LineReader) {
        while !wantsExit {
            switch reader.readLine(prompt: style.paint(prompt, .bold)) {
            case .line(let line):
                runTyped(line)
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

    /// Runs what was typed or pasted. A paste of several lines (readline hands a bracketed paste over
    /// whole) runs line by line, as if typed, and stops at the first line that fails.
    func runTyped(_ text: String) {
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard lines.count > 1 else {
            refreshWidth()
            execute(text)
            return
        }
        let typed = lines.map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
        for (index, line) in typed.enumerated() {
            refreshWidth()
            if index > 0 { output.write(style.paint(prompt, .bold) + line + "\n") }  // as if typed
            guard execute(line) else {
                let left = typed.count - index - 1
                if left > 0 {
                    warn("the rest of the paste was not run (\(count(left, "line"))), as the line above failed")
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
