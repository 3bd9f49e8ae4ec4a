// `sample K`: names drawn from the current model with the lecture's loop (makemore part 1), from the
// session's generator, so `seed 2147483647` then `sample 5` on the lecture's names gives its five names.
import ArgumentParser
import Makemore

struct SampleCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Sample names from the bigram model, one per line (default 5, as the lecture's loop).",
        discussion: """
            Each name starts after '.', draws the next character from P[previous] with torch.multinomial's rule, \
            and ends when '.' is drawn (shown at the end, as in the lecture). Draws continue the session's \
            generator: seed 2147483647 first to get the lecture's names. Builds the bigram model (+1 smoothing) \
            when bigram was not run.
            """)
    static let group = CommandGroup.makemore

    /// The most names one command prints.
    static let limit = 10_000

    @Argument(help: "How many names, 1 to 10,000.") var count = 5

    func run(in session: Session) throws(NotebookError) {
        guard (1...Self.limit).contains(count) else {
            throw NotebookError("sample: the number of names must be from 1 to \(Self.limit.grouped), got \(count)")
        }
        let model: any NextCharacterModel = try session.requireBigram(for: "sample")
        for _ in 0..<count {
            try Interrupt.check()
            do {
                session.emit(try model.sample(using: session.generator))
            } catch {
                throw NotebookError("sample: \(error)")
            }
        }
    }
}
