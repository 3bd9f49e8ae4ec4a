// `train MODEL DATA`: micrograd's demo loop as a command — forward over every example, the loss (with
// an L2 penalty), zero_grad, backward, an SGD step with a scheduled learning rate — printing the loss
// and accuracy as it goes. Ctrl-C stops between steps and keeps what was learned.
import ArgumentParser
import Engine
import NotebookLanguage

struct TrainCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an MLP by gradient descent on a data set (or xs ys), printing loss and accuracy.",
        discussion: """
            Each step: the loss over every example, zero_grad, backward, then p.data -= lr * p.grad. \
            The defaults are micrograd's demo: hinge loss, alpha 1e-4, and the learning rate \
            1.0 - 0.9*k/steps (linear:1:from=1:to=0.1). The lecture's loop is --loss squared --alpha 0 \
            --lr 0.05. --lr takes any schedule (see the schedules' syntax: 0.05, cosine:0.1, \
            step:0.1:every=50, …), stretched over this run's steps. Ctrl-C stops between steps, keeping \
            the model as trained so far. Without a network (train, or train --steps N …) it trains the \
            current language model instead: see help fit.
            """)
    static let group = CommandGroup.neuralNets

    @Argument(help: "The MLP to train.", completion: CommandCompletion.variables) var model: String
    @Argument(parsing: .allUnrecognized, help: "The data: a data set, or the inputs and targets (xs ys).") var data:
        [String] = []
    @Option(parsing: .unconditional, help: "The number of steps.") var steps = 100
    @Option(help: "The loss: hinge (the demo), squared (the lecture) or bce.") var loss = ValueLoss.hinge
    @Option(help: "The learning-rate schedule, e.g. 0.05 or linear:1:from=1:to=0.1.") var lr = "linear:1:from=1:to=0.1"
    @Option(parsing: .unconditional, help: "The L2 penalty's factor: loss + alpha * sum(p*p).") var alpha = 1e-4
    @Option(parsing: .unconditional, help: "Print every k steps (default: about 10 lines).") var every: Int?
    @Flag(help: "At a terminal, leave out the live view (the decision boundary and loss redrawn as it learns).")
    var noLive = false

    static let maximumSteps = 1_000_000

    func run(in session: Session) throws(NotebookError) {
        // Everything is checked before the first step: a mistake changes nothing.
        let network = try session.mlp(named: model)
        let mlp = network.model
        let examples = try session.examples(data, for: "train", features: mlp.inputCount)
        try Self.check(examples, loss: loss, alpha: alpha, model: mlp)
        guard (1...Self.maximumSteps).contains(steps) else {
            throw NotebookError(
                "--steps must be from 1 to \(Self.maximumSteps.grouped), not \(steps)")
        }
        if let every, every < 1 { throw NotebookError("--every must be at least 1, not \(every)") }
        let schedule = try LearningRateSchedule.parse(option: "--lr", lr, totalSteps: steps)
        var optimizer = ValueSGD(schedule: schedule)
        let interval = every ?? Swift.max(1, steps / 10)
        let isConstant = schedule.values(steps: Swift.min(steps, 1000)).allSatisfy {
            $0 == schedule.learningRate(atStep: 0)
        }

        session.emit("training \(model): \(mlp.summary)")
        session.emit("on \(data.joined(separator: " ")): \(examples)")
        session.emit(
            "loss: \(loss)\(alpha == 0 ? "" : " + \(alpha.pythonDescription) · Σp²"); lr: \(schedule); \(steps) step\(steps == 1 ? "" : "s")"
        )
        // Rows are printed as they come, at fixed widths, so a long run shows its progress.
        let columns =
            [("step", Swift.max(4, String(steps - 1).count)), ("loss", 9)]
            + (examples.isLabeled ? [("accuracy", 8)] : []) + (isConstant ? [] : [("lr", 7)])
        func emitRow(_ cells: [String]) {
            session.emit(
                zip(cells, columns).map { cell, column in
                    String(repeating: " ", count: Swift.max(0, column.1 - cell.count)) + cell
                }.joined(separator: "  "))
        }
        emitRow(columns.map(\.0))

        // At a terminal: the loss so far and (for points in the plane) the decision boundary, redrawn
        // in place as the network learns.
        var losses: [Double] = []
        var live = LiveProgress(
            session: session, total: steps, start: 0,
            dashboard: noLive
                ? nil
                : { width, rows in
                    Self.liveView(mlp, examples, losses: losses, style: session.style, width: width, rows: rows)
                },
            frameInterval: .milliseconds(200))
        let outcome = mlp.train(
            on: examples, loss: loss, alpha: alpha, optimizer: &optimizer, steps: steps,
            report: { step in
                let k = step.step
                losses.append(step.loss)
                live.update(step: k + 1, loss: Float(step.loss), learningRate: step.learningRate, every: 1)
                if k % interval == 0 || k == steps - 1 {
                    live.clear()
                    emitRow(
                        ["\(k)", step.loss.fixed(4)] + (step.accuracy.map { [Self.percent($0)] } ?? [])
                            + (isConstant
                                ? []
                                : [
                                    step.learningRate >= 1e-3
                                        ? step.learningRate.fixed(4) : step.learningRate.compactDescription
                                ]))
                }
            }, shouldStop: { Interrupt.isRequested })
        live.clear()
        let taken: Int
        let final: Double
        switch outcome {
        case .diverged(let step, let overflowed, let kept):
            network.stepsTrained += kept
            if let step {
                let what = overflowed ? "the weights overflowed" : "the scores became inf or nan"
                session.warn(
                    "training diverged at step \(step): \(what). Stopped; \(model) keeps its weights from before step \(kept), the last with a finite loss. Try a smaller --lr."
                )
            } else {
                session.warn(
                    "training diverged at the last step: the scores became inf or nan. \(model) keeps its weights from before step \(kept), the last with a finite loss. Try a smaller --lr."
                )
            }
            return
        case .stopped(let steps):
            network.stepsTrained += steps
            session.emit(
                "interrupted (Ctrl-C) after step \(steps - 1): \(model) keeps its \(steps) step\(steps == 1 ? "" : "s") of training"
            )
            return
        case .finished(let steps, let loss):
            (taken, final) = (steps, loss)
        }
        network.stepsTrained += taken
        let accuracy =
            mlp.accuracy(on: examples).map {
                ", accuracy \(Self.percent($0)) (\(Int(($0 * Double(examples.count)).rounded())) of \(examples.count))"
            } ?? ""
        session.emit("after \(taken) step\(taken == 1 ? "" : "s"): loss \(final.fixed(4))\(accuracy)")
    }

    /// Checks that `model` can be trained on `examples` with `loss`: one output, labels ±1 for the
    /// classification losses, a finite α ≥ 0.
    static func check(_ examples: ToyDataset, loss: ValueLoss, alpha: Double, model: MLP) throws(NotebookError) {
        guard model.outputCount == 1 else {
            throw NotebookError(
                "the network has \(model.outputCount) outputs; a loss needs one score per example, so make its last layer 1 neuron"
            )
        }
        if loss.needsLabels, let i = examples.targets.firstIndex(where: { $0 != 1 && $0 != -1 }) {
            throw NotebookError(
                "the \(loss.rawValue) loss needs labels -1 or 1, but target \(i) is \(examples.targets[i].pythonDescription); use --loss squared for other targets"
            )
        }
        guard alpha.isFinite, alpha >= 0 else {
            throw NotebookError("--alpha must be a number ≥ 0, not \(alpha.pythonDescription)")
        }
    }

    /// The live view of `train`: the loss curve so far and, for 2-D points, where the network puts its
    /// boundary now (a small grid, so that drawing it costs little next to the training).
    static func liveView(
        _ mlp: MLP, _ examples: ToyDataset, losses: [Double], style: TextStyle, width: Int, rows: Int
    ) -> [String] {
        var lines: [String] = []
        if examples.features == 2, mlp.inputCount == 2, rows >= 14 {
            let picture = DecisionBoundary(
                data: examples, score: { mlp.predict([$0, $1])[0] }, columns: Swift.min(48, width - 4),
                rows: Swift.min(14, rows - 10))
            lines += picture.lines(style: style)
        }
        if losses.count >= 2, rows >= 8 {
            let plot = Plot(
                title: "", x: Axis("step"), y: Axis("loss"),
                series: [Series(name: "loss", xs: losses.indices.map(Double.init), ys: losses)])
            lines += render(plot, style: style, width: Swift.min(width, 72), height: 6)
        }
        return lines
    }

    /// `98.0%`.
    static func percent(_ fraction: Double) -> String { (fraction * 100).fixed(1) + "%" }
}
