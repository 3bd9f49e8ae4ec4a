// `schedule SPEC`: a learning-rate schedule is a plain value that prints itself and can be plotted —
// its one-line description, the lr at a few steps, and lr against step (makemore part 2's "0.1, then
// 0.01 after 100000 steps", or any of PyTorch's schedulers, written as `LearningRateSchedule.parse` reads them).
import ArgumentParser
import Engine
import Foundation
import NotebookLanguage

struct ScheduleCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Show a learning-rate schedule: what it is, its lr at a few steps, and a plot of lr against step.",
        discussion: """
            SPEC is a learning rate (0.1), the lecture's steps (0.1@100000=0.01), or KIND:LR:KEY=VALUE…: \
            step:0.1:every=1000:gamma=0.5, multistep:0.1:at=15000,40000, exp:0.1:gamma=0.999, \
            cosine:0.1:min=0.001, restarts:0.1:period=1000, linear, factor, poly, onecycle:0.1, \
            cyclic:0.01:max=0.1:up=10. Join phases with +, e.g. warmup:100+cosine:0.1.
            """)
    static let group = CommandGroup.training

    /// The most steps shown: a plot does not need more, and the values must fit in memory.
    static let maximumSteps = 10_000_000

    @Argument(help: "The schedule, e.g. 0.1@100000=0.01 or warmup:100+cosine:0.1.") var spec: String
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "The number of training steps to show (the end for phases that run to the end).", valueName: "n"))
    var steps = 1000
    @Flag(help: "Draw the lr on a logarithmic axis.") var log = false
    @Option(
        name: .customLong("svg"), help: ArgumentHelp("Also write the plot to this SVG file.", valueName: "file"),
        completion: .file())
    var svgFile: String?

    func run(in session: Session) throws(NotebookError) {
        guard (1...Self.maximumSteps).contains(steps) else {
            throw NotebookError("--steps must be from 1 to \(Self.maximumSteps), not \(steps)")
        }
        let schedule: LearningRateSchedule
        do {
            schedule = try LearningRateSchedule.parse(spec, totalSteps: steps)
        } catch {
            throw NotebookError("\(error.description)")
        }
        let values = schedule.values(steps: steps)
        let plot = Self.plot(values, log: log)
        // first: a failure leaves nothing half shown
        if let svgFile { try FileErrors.writeAtomically(Data(svg(plot).utf8), to: svgFile) }
        session.emit(schedule.description)
        // Step 0, a quarter, half and three quarters of the way, and the last step.
        var samples: [(step: Int, name: String)] = []
        for (step, name) in zip(
            [0, steps / 4, steps / 2, 3 * steps / 4, steps - 1], ["first", "25%", "50%", "75%", "last"])
        {
            if samples.last?.step != step {
                samples.append((step, name))
            } else if name == "last" {  // a short schedule: its last step is also one of the others
                samples[samples.count - 1].name = samples[samples.count - 1].step == 0 ? "first and last" : "last"
            }
        }
        let rows = samples.map { [String($0.step), values[$0.step].compactDescription, $0.name] }
        Table(rows: [["step", "lr", "where"]] + rows, alignRight: [0, 1]).lines.forEach { session.emit($0) }
        session.emit()
        session.show(figure: render(plot, style: session.style, height: 12)) { svg(plot) }
        if let svgFile { session.emit("wrote \(svgFile): lr against step, 640×400 px") }
    }

    /// lr against step, the lr axis logarithmic when `log` is set.
    static func plot(_ values: [Double], log: Bool) -> Plot {
        Plot(x: Axis("step"), y: Axis("lr", scale: log ? .log : .linear), series: [.line(values)])
    }
}
