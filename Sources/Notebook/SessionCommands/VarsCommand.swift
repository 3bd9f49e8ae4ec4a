// `vars`: every variable of the session, with its type and value.
import ArgumentParser
import Engine
import NotebookLanguage

struct VarsCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "vars", abstract: "List the variables and what they hold.")
    static let group = CommandGroup.session

    func run(in session: Session) throws(NotebookError) {
        let variables = session.interpreter.variables.entries.sorted { $0.key < $1.key }
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
