// The read-eval-print loop: read a line, run it in the session, until Ctrl-D or `quit`.

extension Session {
    /// Reads and runs lines until the input ends or the user quits. Ctrl-C at the prompt abandons
    /// the line; Ctrl-C during a command stops the command; neither loses any state. Ctrl-D during
    /// `manual` ends the exercise and comes back to the prompt.
    public func interact(with reader: LineReader) {
        while !wantsExit {
            switch reader.readLine(prompt: style.paint(prompt, .bold)) {
            case .line(let line):
                // The window may have been resized since the last command: draw for its width now.
                if output.showsStatus { style.width = TextStyle.terminalWidth() }
                execute(line)
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
}
