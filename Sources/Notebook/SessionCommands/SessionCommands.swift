// Commands about the session itself: vars, history, reset, quit.
import ArgumentParser
import Engine
import NotebookLanguage

struct VarsCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "vars", abstract: "List the variables and what they hold.")
    static let group = CommandGroup.session

    func run(in session: Session) throws(NotebookError) {
        let variables = session.interpreter.variables.sorted { $0.key < $1.key }
        guard !variables.isEmpty else {
            session.emit("no variables yet: try a = Value(2.0, label='a')")
            return
        }
        var rows = [["name", "type", "value"]]
        for (name, object) in variables {
            rows.append([name, object.typeName, object.preview(70)])
        }
        Table(rows: rows).lines.forEach { session.emit($0) }
    }
}

struct HistoryCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show the lines typed in this session.")
    static let group = CommandGroup.session

    @Argument(help: "Show only the last N lines.") var last: Int?

    func run(in session: Session) throws(NotebookError) {
        let lines = session.history.dropLast()  // not this `history` line itself
        let shown = last.map { lines.suffix(max(0, $0)) } ?? lines[...]
        let width = String(lines.count).count
        for (index, line) in zip(shown.indices, shown) {
            let number = String(index + 1)
            session.emit(String(repeating: " ", count: width - number.count) + number + "  " + line)
        }
    }
}

struct ResetCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract:
            "Forget every variable, the loaded names, the models and passes in progress, and start afresh (the history stays)."
    )
    static let group = CommandGroup.session

    func run(in session: Session) throws(NotebookError) {
        let forgotten = session.resetState()
        session.emit(
            "forgot "
                + (forgotten.count < 2
                    ? forgotten.joined() : forgotten.dropLast().joined(separator: ", ") + " and " + forgotten.last!))
    }
}

struct QuitCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "quit", abstract: "Leave gradbook (Ctrl-D does the same).", aliases: ["exit"])
    static let group = CommandGroup.session

    func run(in session: Session) throws(NotebookError) { session.requestExit() }
}

struct SeedCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Seed the random generator (PyTorch's generator, bit for bit; the lectures use 2147483647).",
        discussion:
            "With no number, shows the current seed. Everything random (initialisation, data, sampling) draws from this generator."
    )
    static let group = CommandGroup.session

    @Argument(help: "A whole number from 0 to 2^64 - 1.") var seed: UInt64?

    func run(in session: Session) throws(NotebookError) {
        guard let seed else {
            session.emit("seed \(session.generator.seed)")
            return
        }
        session.generator.manualSeed(seed)
        session.emit("seeded with \(seed)")
    }
}
