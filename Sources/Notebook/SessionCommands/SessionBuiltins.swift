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
            // The lecture's draw_dot, built in: draws any Value (or Value-shaped object) as graph does.
            function("draw_dot") { [unowned session] (args) throws(NotebookError) -> Object in
                try args.expect(atMost: 1, keywords: ["root"])
                guard let root = args.value(0, "root") else {
                    throw NotebookError("draw_dot() needs the Value to draw")
                }
                let output = try session.engineValue(of: root, named: "draw_dot's argument")
                renderGraph(output, form: .auto, style: session.style).forEach { session.emit($0) }
                return .none
            },
            function("quit", leave),
            function("exit", leave),
            function("help") { [unowned session] (args) throws(NotebookError) -> Object in
                try args.expect(atMost: 1)
                switch args.positional.first {
                case nil: try CommandRegistry.run(HelpCommand.self, [], in: session)
                case .string(let topic): try CommandRegistry.run(HelpCommand.self, [topic], in: session)
                case .value: try CommandRegistry.run(HelpCommand.self, ["Value"], in: session)
                case .object(let t as BuiltinType) where t.name == "Value":
                    try CommandRegistry.run(HelpCommand.self, ["Value"], in: session)
                case .object(let o):
                    let attributes = o.attributeNames.sorted()
                    let kind = type(of: o).typeName
                    session.emit(
                        "\(kind) object"
                            + (attributes.isEmpty ? "" : "; attributes: " + attributes.joined(separator: ", ")))
                case let other?:
                    session.interpreter.describe(other).forEach { session.emit($0) }
                }
                return .none
            }
        ]
    }
}
