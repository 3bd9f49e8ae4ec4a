// `step NAME`: backpropagation one node per call, showing the chain rule at each node. Enter on an
// empty line continues; the pass makes exactly the updates `backward()` makes.
import ArgumentParser
import Engine
import NotebookLanguage

struct StepCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "step",
        abstract: "Backpropagate one node at a time, showing the chain rule at each node.",
        usage: "step <expression> [<count>] [--all] [--restart] [--graph]",
        discussion: """
            The first step of a pass sets the graph's grads to zero and the output's to 1. Each step then \
            takes the next node from the output back: its gradient is complete (every node that uses it \
            has sent its share), and it sends local derivative × its gradient to each of its inputs. \
            Press Enter for the next node.
            """)
    static let group = CommandGroup.graph

    @Argument(help: "The Value to backpropagate from.", completion: CommandCompletion.variables) var expression: String
    /// A list so that the parser also takes a negative number here, and validate() can say why it is wrong.
    @Argument(
        parsing: .allUnrecognized, help: ArgumentHelp("How many nodes to step through (default 1).", valueName: "count")
    )
    var counts: [Int] = []
    var count: Int { counts.first ?? 1 }
    @Flag(name: .long, help: "Run the rest of the pass.") var all = false
    @Flag(name: .long, help: "Start the pass again from the output.") var restart = false
    @Flag(name: .long, help: "Draw the graph after stepping.") var graph = false

    func validate() throws {
        guard counts.count <= 1 else { throw ValidationError("give one number of nodes, not \(counts.count)") }
        guard count >= 1 else { throw ValidationError("the number of nodes must be at least 1, not \(count)") }
    }

    func run(in session: Session) throws(NotebookError) {
        let output = try session.value(named: expression)
        if restart || session.state.values.steppers[output]?.isFinished ?? true {
            output.zeroGrad()
            session.state.values.steppers[output] = BackwardStepper(output: output)
            session.emit(
                "backward pass from \(session.name(of: output)): \(Notebook.count(session.state.values.steppers[output]?.order.count ?? 0, "node")), grads set to 0"
            )
        }
        guard var stepper = session.state.values.steppers[output] else { return }
        var taken = 0
        while all || taken < count, !Interrupt.isRequested, let step = stepper.next() {
            show(step, of: stepper, output: output, session)
            taken += 1
        }
        if Interrupt.isRequested && !stepper.isFinished {
            session.warn(
                "stopped by Ctrl-C after \(Notebook.count(taken, "node")); step \(expression) goes on from node \(stepper.position + 1)"
            )
        }
        session.state.values.steppers[output] = stepper
        if stepper.isFinished {
            session.emit(
                "done: every node's grad is in place, as \(session.name(of: output)).backward() would leave them")
            session.state.values.lastStepped = nil
        } else {
            session.state.values.lastStepped = expression
            if session.isInteractive { session.emit(session.style.paint("(Enter: next node)", .gray)) }
        }
        if graph {
            renderGraph(output, form: .auto, style: session.style).forEach { session.emit($0) }
        }
    }

    private func show(_ step: BackwardStepper.Step, of stepper: BackwardStepper, output: Value, _ session: Session) {
        let node = step.node
        let name = session.name(of: node)
        let outName = session.name(of: output)
        session.emit(
            session.style.paint("step \(step.index)/\(stepper.order.count)", .bold) + "  "
                + ChainRule.formula(node, session))
        let users = stepper.users[node]
        let source =
            node == output
            ? "the output: d\(outName)/d\(outName) = 1"
            : "sent by " + users.map { session.name(of: $0.user) }.joined(separator: ", ")
        session.emit("  \(name).grad = \(node.grad.compactDescription)   (\(source))")
        for (index, share) in step.contributions.enumerated() {
            let input = session.name(of: share.input)
            let local = ChainRule.local(node, input: index, session)
            session.emit(
                "  → \(input): d\(outName)/d\(input) += \(name).grad * \(local) = "
                    + "\(share.upstream.compactDescription) * \(share.local.compactDescription) = \(share.contribution.compactDescription)"
            )
        }
    }
}
