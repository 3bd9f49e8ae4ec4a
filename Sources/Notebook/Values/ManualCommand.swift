// `manual NAME`: the lecture's manual backpropagation as an exercise. gradbook walks the nodes from
// the output back, asks for each gradient, checks the answer, explains the local derivative and
// fills the grad in. While it runs, the lines typed are answers.
import ArgumentParser
import Engine
import NotebookLanguage

struct ManualCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "manual",
        abstract:
            "Backpropagate by hand: gradbook asks for each node's (or named tensor's) gradient and checks your answer.",
        discussion: """
            Answer with a number or an expression such as f.data * L.grad (grads you have found are \
            filled in as you go). An expression must be the right formula, not only the right number: \
            it is tried again with the inputs moved. ? gives a hint: first the rule, then the numbers, \
            then the answer. q (or Ctrl-D) stops, keeping the grads found.
            """)
    static let group = CommandGroup.graph

    @Argument(help: "The Value (or tensor loss) to backpropagate from.", completion: CommandCompletion.variables)
    var expression: String

    func run(in session: Session) throws(NotebookError) {
        // A tensor loss: makemore part 4's exercise, a tensor at a time.
        if let parsed = try? Parser.parseExpression(expression),
            case .object(let tensor as TensorObject)? = try? session.interpreter.evaluate(parsed)
        {
            let exercise = try TensorManualExercise(output: tensor, name: expression, session: session)
            guard !exercise.remaining.isEmpty else {
                throw NotebookError(
                    "manual \(expression): none of the tensors it was computed from has a name; assign the steps of the forward pass to variables"
                )
            }
            session.state.values.exercise = exercise
            session.emit(
                "Manual backprop through \(expression): \(count(exercise.remaining.count, "named tensor")), from the loss back to the parameters."
            )
            session.emit(
                "For each, type its gradient as tensor code (each one found is kept as d<name>). ? for a hint, q to stop."
            )
            return
        }
        let output = try session.value(named: expression)
        let exercise = ManualExercise(output: output, session: session)
        guard !exercise.remaining.isEmpty else {
            throw NotebookError("\(expression) has no nodes to backpropagate through")
        }
        session.state.values.exercise = exercise
        let name = session.name(of: output)
        session.emit(
            "Manual backprop through \(name): \(count(exercise.remaining.count, "node")), from the output back to the inputs."
        )
        session.emit(
            "For each node type d\(name)/dnode: a number or an expression (e.g. f.data * \(name).grad). ? for a hint, q to stop."
        )
        session.emit("Grads are set to 0 and filled in as you answer.")
    }
}
