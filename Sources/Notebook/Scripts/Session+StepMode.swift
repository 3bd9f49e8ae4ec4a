// Classroom mode: a lesson one cell at a time. The narration is shown, then gradbook waits: Enter
// runs the cell, q stops, and anything else typed runs in the same session first.

extension Session {
    /// Steps through `script` with the presenter at `reader`. Returns false when stopped early.
    @discardableResult
    public func stepThrough(_ script: SessionScript, reader: LineReader) -> Bool {
        let total = script.cells.count
        for (number, cell) in script.cells.enumerated() {
            output.write("\n")
            for line in cell.narration { output.write(style.paint(line, .gray) + "\n") }
            guard !cell.entries.isEmpty else { continue }
            waiting: while true {
                let pause = style.paint(
                    "[cell \(number + 1)/\(total)] Enter runs it, q stops, or type a command: ", .cyan)
                switch reader.readLine(prompt: pause) {
                case .line(let line) where line.allSatisfy(\.isWhitespace):
                    break waiting
                case .line(let line) where ["q", "quit", "exit"].contains(line.trimmingCharacters(in: .whitespaces)):
                    return false
                case .line(let line):
                    execute(line)
                case .interrupted:
                    continue
                case .endOfInput:
                    return false
                }
            }
            for entry in cell.entries {
                output.write(style.paint(prompt, .bold) + entry.input + "\n")
                execute(entry.input, logged: false)
            }
        }
        output.write("\n" + style.paint("end of \(script.path)", .cyan) + "\n")
        return true
    }
}
