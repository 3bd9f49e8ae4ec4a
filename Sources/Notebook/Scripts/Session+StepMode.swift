// Classroom mode: a lesson one cell at a time. The narration and the cell's code are shown, then
// gradbook waits: Enter runs the cell, q stops, and anything else typed runs in the same session
// first. A quiz (`manual`) or a step-by-step pass (`step`) started by a cell is answered live by
// whoever is at the keyboard; the script's own answers are skipped.

extension Session {
    /// Steps through `script` with the presenter at `reader`. Returns false when stopped early.
    @discardableResult
    public func stepThrough(_ script: SessionScript, reader: LineReader) -> Bool {
        let total = script.cells.count
        var skipped = 0  // scripted quiz answers still to skip: the class answered live
        for (number, cell) in script.cells.enumerated() {
            output.write("\n")
            for line in cell.narration { output.write(style.paint(line, .gray) + "\n") }
            var entries = Array(cell.entries.dropFirst(Swift.min(skipped, cell.entries.count)))
            skipped -= cell.entries.count - entries.count
            guard !entries.isEmpty else { continue }
            // The code first, so that the class reads it before it runs.
            for entry in entries {
                for line in entry.input.components(separatedBy: "\n") {
                    output.write(style.paint("    " + line, .cyan) + "\n")
                }
            }
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
            while !entries.isEmpty {
                let entry = entries.removeFirst()
                output.write(typed(entry.input) + "\n")
                execute(entry.input, logged: false)
                if wantsExit { return false }
                if let exercise = state.values.exercise {
                    // The script's answers: the rest of this cell, then the cells after it.
                    let later = script.cells.dropFirst(number + 1).flatMap(\.entries)
                    let answers = scriptedAnswers(to: exercise, in: (entries + later).map(\.input))
                    guard answerLive(reader) else { return false }
                    let here = Swift.min(answers, entries.count)
                    entries.removeFirst(here)
                    skipped = answers - here
                } else if let name = state.values.lastStepped {
                    guard stepLive(name, reader) else { return false }
                }
            }
        }
        output.write("\n" + style.paint("end of \(script.path)", .cyan) + "\n")
        return true
    }

    /// How many of `lines` the script spends answering `exercise`, found by rehearsing them
    /// silently on a copy; the exercise is then set up afresh, as it was.
    private func scriptedAnswers(to exercise: any Exercise, in lines: [String]) -> Int {
        let rehearsal = exercise.restarted()
        state.values.exercise = rehearsal
        var used = 0
        silently {
            for line in lines {
                guard state.values.exercise === rehearsal else { break }
                _ = rehearsal.handle(line)
                used += 1
            }
        }
        state.values.exercise = exercise.restarted()
        return used
    }

    /// The person at the keyboard answers the exercise; false when the input ended.
    private func answerLive(_ reader: LineReader) -> Bool {
        output.write(style.paint("(your turn: answer at the prompt; ? for a hint, q to stop)", .cyan) + "\n")
        while state.values.exercise != nil {
            switch reader.readLine(prompt: style.paint(prompt, .bold)) {
            case .line(let line): execute(line)
            case .interrupted: continue
            case .endOfInput:
                state.values.exercise?.stop()
                return false
            }
        }
        return true
    }

    /// Enter steps the pass of `name` one more node, live, until it ends or `c` goes on with the
    /// lesson; false when the input ended.
    private func stepLive(_ name: String, _ reader: LineReader) -> Bool {
        while state.values.lastStepped == name {
            switch reader.readLine(prompt: style.paint("[step] Enter: the next node, c: on with the lesson: ", .cyan)) {
            case .line(let line) where line.allSatisfy(\.isWhitespace): execute("step \(name)")
            case .line(let line) where line.trimmingCharacters(in: .whitespaces) == "c": return true
            case .line(let line): execute(line)
            case .interrupted: continue
            case .endOfInput: return false
            }
        }
        return true
    }
}
