// `history`: the lines typed so far, numbered.
import ArgumentParser
import Engine
import NotebookLanguage

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
