// quit(), exit() and help() as a Python prompt has them, so that those reflexes work here too:
// quit() and exit() leave like `quit`; help() is `help`, help(Value) or help(x) for a Value is
// `help Value`, help('fit') is `help fit`, and help(obj) describes any other object.
import NotebookLanguage

enum SessionBuiltins {
    static func entries(_ session: Session) -> [(String, Object)] {
        func function(_ name: String, _ body: @escaping (Arguments) throws(NotebookError) -> Object) -> (String, Object)
        {
            (name, .function(Function(name: name, call: body)))
        }
        let leave = { [unowned session] (args: Arguments) throws(NotebookError) -> Object in
            try args.expect(atMost: 1)  // Python's quit(code) takes an exit code; it does not matter here
            session.requestExit()
            return .none
        }
        return [
            function("quit", leave),
            function("exit", leave),
            function("help") { [unowned session] (args) throws(NotebookError) -> Object in
                try args.expect(atMost: 1)
                switch args.positional.first {
                case nil: try CommandRegistry.run(HelpCommand.self, [], in: session)
                case .string(let topic): try CommandRegistry.run(HelpCommand.self, [topic], in: session)
                case .value: try CommandRegistry.run(HelpCommand.self, ["Value"], in: session)
                case .function(let f) where f.name == "Value":
                    try CommandRegistry.run(HelpCommand.self, ["Value"], in: session)
                case .function(let f):
                    session.emit("\(f.name)(): a built-in function of the notebook language (help language lists them)")
                case .object(let o):
                    let attributes = o.attributeNames.sorted()
                    let kind = type(of: o).typeName
                    session.emit(
                        "\(kind) object"
                            + (attributes.isEmpty ? "" : "; attributes: " + attributes.joined(separator: ", ")))
                case let other?:
                    session.emit("a \(other.typeName) (help language describes what the notebook can hold)")
                }
                return .none
            }
        ]
    }
}
