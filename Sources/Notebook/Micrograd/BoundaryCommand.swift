// `boundary MODEL DATA`: the decision boundary of a 2-input classifier over its data, like micrograd's
// moon_mlp.png — shaded regions for the two classes, the points on top — and `--svg FILE` to save it.
import ArgumentParser
import Engine
import Foundation
import NotebookLanguage

struct BoundaryCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "boundary",
        abstract: "Draw the decision boundary of a 2-input MLP over 2-D data; --svg FILE saves it as a picture.",
        discussion: """
            Every character cell is coloured by the class the network gives its centre (plain text: '·' \
            where it says 1, blank where it says -1); the points go on top, o for label 1 and x for -1.
            """)
    static let group = CommandGroup.neuralNets

    @Argument(help: "The MLP (2 inputs, 1 output).", completion: CommandCompletion.variables) var model: String
    @Argument(parsing: .allUnrecognized, help: "The data: a data set, or the inputs and labels (xs ys).") var data:
        [String] = []
    @Option(help: "Also write the picture to this SVG file.", completion: .file()) var svg: String?
    @Option(parsing: .unconditional, help: "The plot's width in characters.") var width: Int?
    @Option(parsing: .unconditional, help: "The plot's height in lines (default: the data's proportions).") var height:
        Int?

    func run(in session: Session) throws(NotebookError) {
        let mlp = try session.mlp(named: model).model
        guard mlp.inputCount == 2, mlp.outputCount == 1 else {
            throw NotebookError(
                "\(model) takes \(mlp.inputCount) input\(mlp.inputCount == 1 ? "" : "s") and gives \(mlp.outputCount) output\(mlp.outputCount == 1 ? "" : "s"); a boundary in the plane needs 2 inputs and 1 output"
            )
        }
        let examples = try session.examples(data, for: "boundary", features: 2)
        guard examples.isLabeled else {
            throw NotebookError("the points need labels -1 or 1 to be drawn as two classes")
        }
        let columns = try DecisionBoundary.checkedWidth(width, style: session.style)
        if let height, !(3...200).contains(height) {
            throw NotebookError("--height must be from 3 to 200 lines, not \(height)")
        }
        let picture = DecisionBoundary(
            data: examples, score: { mlp.predict([$0, $1])[0] }, columns: columns, rows: height)
        if let svg {
            try FileErrors.writeAtomically(Data(picture.svg().utf8), to: svg)
        }
        session.show(figure: picture.lines(style: session.style)) { picture.svg() }
        if let accuracy = mlp.accuracy(on: examples) {
            let right = Int((accuracy * Double(examples.count)).rounded())
            session.emit("accuracy \(TrainCommand.percent(accuracy)) (\(right) of \(examples.count))")
        }
        if let svg { session.emit("wrote \(svg)") }
    }
}
