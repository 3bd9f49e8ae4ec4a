// `bigram`: build the counting bigram model of makemore part 1 from the loaded words — N, the counts
// of each pair of characters, and P = (N + k) / row sums — with the lecture's smoothing k = 1 by default.
import ArgumentParser
import Makemore
import NotebookLanguage

struct BigramCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "bigram",
        abstract: "Build the bigram model of the loaded names: counts N, probabilities P.",
        discussion: """
            N[i, j] counts how often character j follows character i, with '.' before and after every name; \
            P = (N + k).float() / row sums, in float32 as the lecture computes it. counts, probs, nll and sample \
            build the model with k = 1 themselves when bigram was not run; run bigram to choose another k \
            (load keeps it).
            """)
    static let group = CommandGroup.makemore

    @Option(
        name: .long, parsing: .unconditional,
        help: "k, added to every count before normalising (the lecture's model smoothing; 0 for none).")
    var smoothing: Double = 1

    func run(in session: Session) throws(NotebookError) {
        let dataset = try session.requireDataset()
        let model = try session.buildBigram(from: dataset, smoothing: smoothing)
        session.state.names.bigram = model
        let V = model.size
        session.emit(model.description)
        session.emit("N: how often each character follows each other one, \(V)×\(V) (counts; counts row a; counts a b)")
        session.emit(
            "P = \(ProbsCommand.formula(smoothing)) / row sums, float32: row i is the distribution of the character after itos[i] (probs)"
        )
    }
}
