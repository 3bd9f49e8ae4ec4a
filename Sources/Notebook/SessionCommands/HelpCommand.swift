// `help`: the language at a glance and every command with its one-line summary; `help COMMAND`
// for a command's arguments, `help Value` for what a Value offers.
import ArgumentParser
import NotebookLanguage

struct HelpCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "help", abstract: "Show this help, or help COMMAND for one command.", aliases: ["?"])
    static let group = CommandGroup.session

    @Argument(
        help: "A command, or 'Value' / 'language'.",
        completion: .list(HelpCommand.topics))
    var topic: String?

    /// What `help` has a page for: the commands, Value and the language.
    static var topics: [String] { CommandRegistry.names + ["Value", "language"] }

    static let language = """
        Type Python, as in the lectures:
          a = Value(2.0, label='a')     a leaf Value (b = -3.0 stays a float, as in Python)
          L = (a*b + c) * f             + - * / ** between Values and numbers
          o = (2*n).exp()               exp() log() tanh() relu() sigmoid()
          L.backward(); a.grad          backpropagate, then read a gradient
          a.data = 3.0; forward L       change an input and recompute
          def f(x):  class Value:       blocks go on with '... ' and end at a blank line; a pasted cell runs whole
          import torch, math, random    torch, F and plt as the lectures use them; random is CPython's
          n = MLP(3, [4, 4, 1]); n(x)   micrograd's networks: Neuron, Layer, MLP, n.parameters()
          d = moons(100, noise=0.1)     toy data: moons, circles, xor, blobs (d.xs, d.ys)
          x?  help(x)  %timeit f(2)     IPython's habits; _ is the last result
        A Value assigned to a name takes the name as its label unless it has one. ';' separates statements,
        '#' starts a comment.
        """

    static let value = """
        A Value holds:
          data, grad, label      settable: x.data = 3.0, x.grad = 0, x.label = 'x'
          _op, _prev             the op that made it and its inputs (as in micrograd)
        and has the methods exp() log() tanh() relu() sigmoid() backward() zero_grad() forward().
        Operators: + - * / with numbers on either side, ** with a number or a Value exponent, unary -.
        """

    func run(in session: Session) throws(NotebookError) {
        guard let topic else {
            session.emit("gradbook: a notebook for learning how neural networks work, from micrograd to makemore.")
            session.emit()
            session.emit(Self.language)
            for group in CommandGroup.allCases {
                session.emit()
                session.emit(group.rawValue + ":")
                let commands = CommandRegistry.all.filter { $0.group == group }
                let width = commands.map { ($0.configuration.commandName ?? "").count }.max() ?? 0
                for command in commands {
                    let name = command.configuration.commandName ?? ""
                    session.emit(
                        "  " + name + String(repeating: " ", count: width - name.count + 2)
                            + command.configuration.abstract)
                }
            }
            session.emit()
            session.emit(
                "help COMMAND shows a command's arguments. Tab completes names and commands; Ctrl-C interrupts; Ctrl-D leaves."
            )
            return
        }
        switch topic.lowercased() {
        case "value": session.emit(Self.value)
        case "language", "syntax": session.emit(Self.language)
        default:
            guard let command = CommandRegistry.find(topic) else {
                throw .unknown(
                    "help topic", topic, among: CommandRegistry.names + ["Value", "language"],
                    hint: "type help for the list of commands")
            }
            session.emit(command.helpMessage(columns: session.style.width).trimmingTrailingNewlines)
        }
    }
}
