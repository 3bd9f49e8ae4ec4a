// `data NAME KIND`: a small data set to train on — the lecture's four examples, or 2-D moons, circles,
// xor or blobs — assigned to NAME and drawn as a scatter plot. `moons(…)` and friends make the same.
import ArgumentParser
import Engine
import NotebookLanguage

struct DataCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Make a data set to train on (lecture, moons, circles, xor, blobs) and draw it.",
        discussion: """
            lecture is the lecture's four examples (xs, ys); the others are 2-D points with labels -1 and 1: \
            moons as scikit-learn's make_moons (micrograd's demo), circles as make_circles, xor, and two \
            Gaussian blobs. They draw from the session's generator (see seed) unless --seed is given. \
            The same from code: d = moons(100, noise=0.1).
            """)
    static let group = CommandGroup.neuralNets

    @Argument(help: "The variable to assign the data set to.") var name: String
    @Argument(help: ArgumentHelp("The shape of the data set.", valueName: "data set")) var kind: ToyShape
    @Option(name: .customLong("n"), parsing: .unconditional, help: "The number of points (default 100).") var count:
        Int?
    @Option(
        parsing: .unconditional,
        help: "The noise's standard deviation (default: 0.1 moons, 0.05 circles and xor, 0.5 blobs).") var noise:
        Double?
    @Option(parsing: .unconditional, help: "circles: the inner circle's radius (default 0.5).") var factor: Double?
    @Option(parsing: .unconditional, help: "Draw from a fresh generator with this seed instead of the session's.")
    var seed: Int?
    @Option(
        parsing: .unconditional,
        help: "moons: scikit-learn's make_moons after np.random.seed(N), bit for bit (micrograd's demo: 1337).")
    var numpySeed: Int?
    @Option(parsing: .unconditional, help: "The plot's width in characters.") var width: Int?

    func run(in session: Session) throws(NotebookError) {
        let shape = kind
        let data: ToyDataset
        data = try reporting {
            try shape.make(
                count: count, noise: noise, factor: factor, seed: seed, numpySeed: numpySeed,
                generator: session.generator)
        }
        let columns = try DecisionBoundary.checkedWidth(width, style: session.style)
        try session.assign(.object(DatasetObject(data)), to: name)
        session.emit("\(name) = \(data)")
        if data.features == 2 {
            let picture = DecisionBoundary(data: data, score: nil, columns: columns)
            session.show(figure: picture.lines(style: session.style)) { picture.svg() }
        } else {
            for (x, y) in zip(data.inputs, data.targets) {
                session.emit("  \(x.map(\.pythonDescription).joined(separator: ", "))  →  \(y.pythonDescription)")
            }
        }
    }
}
