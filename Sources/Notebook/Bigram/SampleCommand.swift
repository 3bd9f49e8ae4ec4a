// `sample K`: names drawn from the current model with the lecture's loop (makemore part 1), from the
// session's generator, so `seed 2147483647` then `sample 5` on the lecture's names gives its five names.
// The current model is the neural one `model` made (parts 2–3) when there is one, else the count bigram.
import ArgumentParser
import Makemore
import NotebookLanguage

struct SampleCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Sample names from the current model, one per line (default 5, as the lecture's loop).",
        usage: "sample [<count>] [--temperature <temperature>] [--top-k <top-k>] [--rule <rule>] [--counts]",
        discussion: """
            Draws continue the session's generator: seed 2147483647 first to get the lecture's names. Each \
            name starts after '.', draws the next character from the model's distribution given the \
            characters so far, and ends when '.' is drawn (shown at the end, as \
            in the lecture). The model is the one model made or checkpoint loaded (in eval mode), else the \
            count bigram (P[previous]), built with +1 smoothing when bigram was not run; --counts always uses \
            the count bigram. --temperature T divides the logits by T: below 1 safer, more common names; above \
            1 stranger ones. torch.multinomial draws one sample in one of two ways, and the lectures use both: \
            the count bigram and bigram-nn draw as makemore part 1 did (cumulative: one uniform, searched in \
            the cumulative sum), the other models as parts 2-5 do (race: argmax of p / q with q ~ Exp(1), \
            what PyTorch 2 does for every single draw); --rule chooses the other. \
            --top-k K draws only from the K likeliest characters at each step (makemore's \
            --top-k). Whole-word models (rnn, gru, lstm, bow, transformer) read the name from its start.
            """)
    static let group = CommandGroup.makemore

    /// The most names one command prints.
    static let limit = 10_000

    /// A list so that the parser takes a negative number here too, and validate() can say why it is wrong.
    @Argument(
        parsing: .allUnrecognized, help: ArgumentHelp("How many names, 1 to 10,000 (default 5).", valueName: "count"))
    var counts: [Int] = []
    var count: Int { counts.first ?? 5 }
    @Option(parsing: .unconditional, help: "Divide the logits by T before softmax (1: as the model says).")
    var temperature = 1.0
    @Option(
        name: .customLong("top-k"), parsing: .unconditional,
        help: "Draw only from the K likeliest characters at each step.") var topK: Int?
    @Option(help: "How each character is drawn (default: as the model's lecture drew).") var rule: SamplingRule?
    @Flag(name: .customLong("counts"), help: "Use the count bigram even when a neural model exists.") var useCounts =
        false

    func validate() throws {
        guard counts.count <= 1 else { throw ValidationError("give one number of names, not \(counts.count)") }
        guard (1...Self.limit).contains(count) else {
            throw ValidationError("the number of names must be from 1 to \(Self.limit.grouped), got \(count)")
        }
        guard temperature.isFinite, temperature > 0, temperature <= 100 else {
            throw ValidationError("--temperature must be a number above 0 and at most 100, not \(temperature)")
        }
        if let topK, topK < 1 {
            throw ValidationError("--top-k must be at least 1 (1 always takes the likeliest character), not \(topK)")
        }
    }

    func run(in session: Session) throws(NotebookError) {
        let model: any NextCharacterModel
        if !useCounts, let trainer = session.state.languageModels.trainer {
            model = trainer.model
        } else {
            model = try session.requireBigram()
        }
        for _ in 0..<count {
            try Interrupt.check()
            do {
                session.emit(
                    try model.sample(using: session.generator, temperature: temperature, topK: topK, rule: rule))
            } catch {
                throw NotebookError("\(error)")
            }
        }
    }
}
